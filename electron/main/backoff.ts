/** Restart back-off: doubles from `baseMs` to `maxMs`; gives up after `maxAttempts` crashes in a row. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Crashes in a row (without a stable run in between) after which the supervisor stops trying. */
  maxAttempts: number;
  /** A run this long resets the count. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, maxAttempts: 8, stableMs: 60_000 };

/** Delay before restart number `attempt` (0-based), or null when the policy gives up. */
export function restartDelay(policy: BackoffPolicy, attempt: number): number | null {
  if (attempt >= policy.maxAttempts) return null;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
}
