/**
 * What a worker unit does when the store fails under it (MySQL down, restarting, connections
 * dropped): a task it reserved keeps its reservation and waits for the store, rather than being
 * dropped and delivered again (each delivery counts: five of them during an outage put every task
 * that became ready meanwhile in the dead letters); an outcome whose write failed is kept and
 * written again, rather than the task run again after the visibility timeout.
 */

import type { ThrottledReport } from '../domain/throttled-report.js';

/** Waits between probes of a store that does not answer: 0.5 s doubling to this. */
export const STORE_PROBE_MAX_MS = 5000;
/** Tries of an operation that fails while the store answers (a dropped connection, or its own fault). */
const OWN_FAILURE_TRIES = 3;

/** `ms`, ended early by `signal`. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

export class StoreOutage {
  /** The probe loop while one runs: every waiting task shares it (one probe per step, not one per task). */
  private probing: Promise<boolean> | undefined;

  constructor(
    /** A cheap read (the one GET /healthz makes). */
    private readonly probe: () => Promise<unknown>,
    private readonly signal: AbortSignal,
    private readonly report: ThrottledReport,
  ) {}

  /**
   * `op` until it succeeds. A failure while the store does not answer its probe is waited out
   * (probing with back-off) however long it lasts; a failure while it answers is the operation's
   * own (or a connection the pool drops and replaces): tried again a few times, then thrown.
   * Stopping (the signal) ends the wait: the last failure is thrown.
   */
  async retry<T>(kind: string, op: () => Promise<T>): Promise<T> {
    for (let own = 0; ;) {
      try {
        return await op();
      } catch (err) {
        this.report.report(kind, err);
        if (this.signal.aborted) throw err;
        const wasDown = await this.answered();
        if (this.signal.aborted) throw err;
        if (!wasDown) {
          own += 1;
          if (own >= OWN_FAILURE_TRIES) throw err;
          await pause(100 * own, this.signal);
        }
      }
    }
  }

  /** Resolves once the store answers a probe (or the unit stops): true when it did not at first. */
  private answered(): Promise<boolean> {
    this.probing ??= this.probeUntilAnswered().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probeUntilAnswered(): Promise<boolean> {
    const since = Date.now();
    for (let step = 0; ; step += 1) {
      try {
        await this.probe();
        if (step > 0) this.report.say(`the store answers again (it did not for ${Math.round((Date.now() - since) / 1000)} s); the tasks that waited for it go on`);
        return step > 0;
      } catch (err) {
        if (step === 0) this.report.report('reaching the store (the tasks reserved wait for it)', err);
        if (this.signal.aborted) return true;
        await pause(Math.min(500 * 2 ** step, STORE_PROBE_MAX_MS), this.signal);
      }
    }
  }
}
