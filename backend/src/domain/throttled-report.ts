/** Failures reported by kind, at most once a minute each: a role's log is not flooded by one cause. */

/** The same kind of failure is reported at most once per this long (one line per task or tick would flood the log). */
export const REPORT_EVERY_MS = 60_000;

/**
 * Reports failures by kind, at most once per `everyMs` each, saying how many were left out
 * meanwhile. The sink (the role's logger) masks secrets.
 */
export class ThrottledReport {
  private readonly last = new Map<string, { at: number; left: number }>();

  constructor(
    private readonly sink: ((err: unknown) => void) | undefined,
    private readonly prefix: string,
    private readonly everyMs = REPORT_EVERY_MS,
  ) {}

  report(kind: string, err: unknown): void {
    if (!this.sink) return;
    const now = Date.now();
    const seen = this.last.get(kind);
    if (seen && now - seen.at < this.everyMs) {
      seen.left += 1;
      return;
    }
    const more = seen && seen.left > 0 ? ` (and ${seen.left} more since the last report)` : '';
    this.last.set(kind, { at: now, left: 0 });
    const message = err instanceof Error ? err.message : String(err);
    this.sink(new Error(`${this.prefix}${kind} failed: ${message}${more}`, { cause: err }));
  }

  /** A plain line (not throttled): something that happens once per outage. */
  say(message: string): void {
    this.sink?.(new Error(`${this.prefix}${message}`));
  }
}
