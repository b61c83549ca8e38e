/**
 * Counts per key for the current UTC day (the requests per route of DataFlux Func's system
 * metrics): the first count of a new day starts from zero. Called on every request, so the day's
 * bounds are kept as numbers rather than a date string built per call.
 */
const DAY_MS = 86_400_000;

export class DailyCounts {
  readonly counts = new Map<string, number>();
  private dayStart = Number.NaN;

  add(key: string, now: number): void {
    if (!(now >= this.dayStart && now < this.dayStart + DAY_MS)) {
      this.dayStart = now - (((now % DAY_MS) + DAY_MS) % DAY_MS);
      this.counts.clear();
    }
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}
