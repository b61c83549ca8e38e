/**
 * The seed's capacity formula, shared by the server (planner endpoint) and the console (what-if
 * inputs): a replica with `processes` Python processes running tasks of `T` ms each completes
 * `A = processes × 60000 ÷ T` tasks a minute; `M` tasks a minute need `ceil(M ÷ A)` replicas.
 */

/** Task times are measured in whole milliseconds: below that (a mean of 0 ms over tasks that all finished within their millisecond) T is taken as 1 ms. */
export const MIN_MEASURED_TASK_MS = 1;

/**
 * T for the formula from a measured duration: null stays unknown, a measured 0 (or anything under
 * the clock's resolution) becomes MIN_MEASURED_TASK_MS, so tasks too fast to time still get a
 * capacity (an upper bound on T, hence a lower bound on A) instead of "unknown".
 */
export function measuredTaskMs(ms: number | null): number | null {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return null;
  return Math.max(ms, MIN_MEASURED_TASK_MS);
}

/** Tasks per minute one replica can complete; 0 when T is unknown or not positive. */
export function capacityPerReplica(processes: number, taskMs: number): number {
  if (!(taskMs > 0) || !(processes > 0)) return 0;
  return (processes * 60_000) / taskMs;
}

/** Replicas needed to carry `tasksPerMinute`; at least 1 when there is any load, 0 without load. */
export function replicasNeeded(tasksPerMinute: number, perReplica: number): number {
  if (!(tasksPerMinute > 0)) return 0;
  if (!(perReplica > 0)) return Number.POSITIVE_INFINITY;
  // Round away float noise first (1000 ÷ (1000/3) must be 3, not 3.0000000000000004 → 4).
  return Math.ceil(Number((tasksPerMinute / perReplica).toFixed(9)));
}
