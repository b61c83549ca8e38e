/**
 * The seed's capacity formula, shared by the server (planner endpoint) and the console (what-if
 * inputs): a replica with `processes` Python processes running tasks of `T` ms each completes
 * `A = processes × 60000 ÷ T` tasks a minute; `M` tasks a minute need `ceil(M ÷ A)` replicas.
 */

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
