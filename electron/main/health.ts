/** Waits until `GET {url}/healthz` answers 2xx. */
export type HealthFetch = (url: string) => Promise<{ ok: boolean }>;

export interface HealthWaitOptions {
  fetch: HealthFetch;
  timeoutMs: number;
  intervalMs: number;
  /** Stops waiting early (the child died). */
  aborted?: () => boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitHealthy(url: string, opts: HealthWaitOptions): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (opts.aborted?.()) return false;
    try {
      if ((await opts.fetch(`${url}/healthz`)).ok) return true;
    } catch {
      // not listening yet
    }
    if (Date.now() >= deadline) return false;
    await sleep(opts.intervalMs);
  }
}
