/**
 * From a worker's runner pools to the live-log channel (ports/live-logs.ts): each `live` batch of
 * a task is published under its task id (and a debug run's `liveKey`), after a second limit here
 * (the first is in Python, dff.py): at most RELAY_LINES_PER_SEC lines and RELAY_CHARS_PER_SEC
 * characters a second per task, the rest replaced by one marker line. When a task that streamed
 * ends (its record stored), `end` says so. A task that never streamed costs one Map lookup.
 */
import type { LiveLogs, LiveLogSink } from '../domain/ports/live-logs.js';
import type { TaskMessage } from '../domain/tasks/task.js';

export const RELAY_LINES_PER_SEC = 400;
export const RELAY_CHARS_PER_SEC = 120_000;
/** Tasks tracked at once (a task lost without an end is forgotten past this). */
const MAX_TRACKED = 10_000;

interface Streamed {
  seq: number;
  /** Start (ms) of the current one-second window, its counts, and the lines dropped in it. */
  windowAt: number;
  lines: number;
  chars: number;
  dropped: number;
}

export class LiveLogRelay implements LiveLogSink {
  private readonly tasks = new Map<string, Streamed>();

  constructor(
    private readonly live: LiveLogs,
    private readonly now: () => number = Date.now,
  ) {}

  private send(task: TaskMessage, s: Streamed, e: { lines?: string[]; end?: string }): void {
    s.seq += 1;
    const event = { seq: s.seq, ...e };
    this.live.publish(task.id, event);
    if (task.liveKey !== undefined) this.live.publish(task.liveKey, event);
  }

  lines(task: TaskMessage, lines: string[]): void {
    let s = this.tasks.get(task.id);
    const now = this.now();
    if (!s) {
      if (this.tasks.size >= MAX_TRACKED) this.tasks.delete(this.tasks.keys().next().value!);
      s = { seq: 0, windowAt: now, lines: 0, chars: 0, dropped: 0 };
      this.tasks.set(task.id, s);
    }
    const out: string[] = [];
    if (now - s.windowAt >= 1000) {
      if (s.dropped > 0) out.push(marker(s.dropped));
      s.windowAt = now;
      s.lines = 0;
      s.chars = 0;
      s.dropped = 0;
    }
    for (const line of lines) {
      if (typeof line !== 'string') continue;
      if (s.lines < RELAY_LINES_PER_SEC && s.chars + line.length <= RELAY_CHARS_PER_SEC) {
        s.lines += 1;
        s.chars += line.length;
        out.push(line);
      } else s.dropped += 1;
    }
    if (out.length > 0) this.send(task, s, { lines: out });
  }

  /** The task's record is stored: subscribers may read it. Nothing for a task that never streamed. */
  end(task: TaskMessage, status: string): void {
    const s = this.tasks.get(task.id);
    if (!s) return;
    this.tasks.delete(task.id);
    this.send(task, s, s.dropped > 0 ? { lines: [marker(s.dropped)], end: status } : { end: status });
  }

  /** Tasks streaming now (tests). */
  tracked(): number {
    return this.tasks.size;
  }
}

function marker(n: number): string {
  return `[… ${n} lines not streamed live (over ${RELAY_LINES_PER_SEC} lines or ${RELAY_CHARS_PER_SEC} characters a second); the task record keeps its log]`;
}
