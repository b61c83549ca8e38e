/**
 * V8's `--trace-gc` lines in a role's output, read for one window of a bench: how often the role
 * paused for a young-generation scavenge or a full mark-compact, for how long, and how fast the
 * heap left after each scavenge grows (the old generation: mostly what scavenges promote, garbage
 * or not, until a mark-compact). A sequential sync call waits out any pause of a process on its
 * path.
 */

export interface GcWindow {
  scavenges: number;
  scavengeMs: number;
  scavengeMaxMs: number;
  markCompacts: number;
  markCompactMs: number;
  markCompactMaxMs: number;
  /** Heap in use after the window's scavenges, first and last (MB): the old generation's growth. */
  heapAfterFirstMb?: number;
  heapAfterLastMb?: number;
}

// e.g. `[123:0x55d0]   5016 ms: Scavenge 57.4 (77.0) -> 45.7 (78.3) MB, 4.95 / 0.00 ms  (average mu = …`
const LINE = /(Scavenge|Mark-Compact)\b[^\n]*?\d+(?:\.\d+)? \(\d+(?:\.\d+)?\) -> (\d+(?:\.\d+)?) \(\d+(?:\.\d+)?\) MB, (\d+(?:\.\d+)?) \//g;

/** Parses the `--trace-gc` lines of `text`. */
export function parseGcTrace(text: string): GcWindow {
  const w: GcWindow = { scavenges: 0, scavengeMs: 0, scavengeMaxMs: 0, markCompacts: 0, markCompactMs: 0, markCompactMaxMs: 0 };
  for (const m of text.matchAll(LINE)) {
    const after = Number(m[2]);
    const pause = Number(m[3]);
    if (m[1] === 'Scavenge') {
      w.scavenges += 1;
      w.scavengeMs += pause;
      w.scavengeMaxMs = Math.max(w.scavengeMaxMs, pause);
      w.heapAfterFirstMb ??= after;
      w.heapAfterLastMb = after;
    } else {
      w.markCompacts += 1;
      w.markCompactMs += pause;
      w.markCompactMaxMs = Math.max(w.markCompactMaxMs, pause);
    }
  }
  return w;
}

/** From now on: call the answer to read the window of `output` (a role's output so far) since. */
export function gcWindow(output: () => string): () => GcWindow {
  const from = output().length;
  return () => parseGcTrace(output().slice(from));
}

/** One line: pauses by kind, the share of `seconds` spent in them, and the growth after scavenges. */
export function describeGc(name: string, w: GcWindow, seconds: number): string {
  // A busy role scavenges several times a second: none read means the trace was not parsed.
  if (w.scavenges === 0 && w.markCompacts === 0) return `${name}: no --trace-gc line read (the role not started with --trace-gc, or V8 changed its format)`;
  const share = ((w.scavengeMs + w.markCompactMs) / (seconds * 1000)) * 100;
  const mean = w.scavenges > 0 ? w.scavengeMs / w.scavenges : 0;
  const growth = w.heapAfterFirstMb !== undefined && w.heapAfterLastMb !== undefined ? (w.heapAfterLastMb - w.heapAfterFirstMb) / seconds : 0;
  return (
    `${name}: ${w.scavenges} scavenges (mean ${mean.toFixed(2)}, max ${w.scavengeMaxMs.toFixed(2)} ms), ` +
    `${w.markCompacts} mark-compacts (max ${w.markCompactMaxMs.toFixed(1)} ms), ${share.toFixed(2)} % of the time paused, ` +
    `heap after scavenges ${growth >= 0 ? '+' : ''}${growth.toFixed(2)} MB/s`
  );
}
