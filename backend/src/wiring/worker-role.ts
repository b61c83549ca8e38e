/** Worker units with their Python pools, for any broker. */
import { hostname } from 'node:os';
import type { Broker, FuncCache } from '../domain/ports/broker.js';
import type { FuncRunnerPool } from '../domain/ports/runner.js';
import type { TaskDispatcher } from '../domain/tasks/dispatcher.js';
import { TaskRecordRetention } from '../domain/tasks/retention.js';
import type { WorkerUnit as UnitSpec } from '../domain/topology/topology.js';
import { createConnectorClients } from '../adapters/connectors/index.js';
import type { ConnectorClients } from '../domain/ports/connectors.js';
import { createRunnerPool } from '../adapters/python/runner-pool.js';
import { createRunnerHost } from '../worker/runner-host.js';
import type { FuncMetrics } from '../server/metrics.js';
import { WorkerUnit } from '../worker/worker-unit.js';
import { LiveLogRelay } from '../worker/live-log-relay.js';
import type { LiveLogs } from '../domain/ports/live-logs.js';
import type { Core } from './core.js';
import { runnerPoolOptions } from './runner-options.js';

export interface WorkerRole {
  units: WorkerUnit[];
  /** pools[i] belongs to units[i]. */
  pools: FuncRunnerPool[];
  /** A one-process pool for publishing (discovering a draft's functions). */
  discoverer: FuncRunnerPool;
  /** DFF.CONN's pooled connector clients, shared by every unit's Python processes. */
  connectors: ConnectorClients;
  start(): void;
  /**
   * Stop taking tasks (those waiting in the pools go back to the broker), give the running ones
   * up to `graceMs` to finish (they are stored and acked as usual), then stop the Python
   * processes: what still runs then goes back to the broker too, ready again at once.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * With `metrics`: each unit's finished tasks and its pool's busy/idle processes are reported there.
 * With `onDemand`: no Python process runs until a task needs one, and one idle `idleStopMs` stops.
 * With `onError`: the units' failures that are not a task's own (store or broker down), each kind
 * at most once a minute per unit (the role's logger masks secrets).
 */
export async function createWorkerRole(
  core: Core,
  broker: Broker,
  cache: FuncCache,
  dispatcher: TaskDispatcher,
  specs: readonly UnitSpec[],
  metrics?: FuncMetrics,
  liveLogs?: LiveLogs,
  onDemand?: { idleStopMs: number },
  onError?: (err: unknown) => void,
): Promise<WorkerRole> {
  const { config, store, catalog, topology, secrets, now } = core;
  const connectors = createConnectorClients();
  const host = createRunnerHost({ store, cache, catalog, dispatcher, topology, secrets, now, connectors });
  // Running tasks' print lines, to whoever watches them (GET /api/v1/tasks/:id/logs/stream).
  const live = liveLogs ? new LiveLogRelay(liveLogs) : undefined;
  const poolOptions = { ...runnerPoolOptions(config), host, now, ...(live ? { live } : {}), ...(onDemand ? { minProcesses: 0, idleStopMs: onDemand.idleStopMs } : {}) };
  const discoverer = await createRunnerPool({ ...poolOptions, processes: 1 });
  const retention = new TaskRecordRetention(store);
  const units: WorkerUnit[] = [];
  const pools: FuncRunnerPool[] = [];
  for (const u of specs) {
    const pool = await createRunnerPool({ ...poolOptions, processes: u.processes });
    pools.push(pool);
    metrics?.watchPool(u.name, pool);
    const onFinished = metrics ? metrics.taskFinished.bind(metrics) : undefined;
    units.push(
      new WorkerUnit({
        name: u.name,
        queues: u.queues,
        broker,
        store,
        pool,
        catalog,
        now,
        retention,
        extendEveryMs: Math.max(500, Math.floor(config.visibilityTimeoutMs / 3)),
        visibilityTimeoutMs: config.visibilityTimeoutMs,
        ...(onError ? { onError } : {}),
        instance: `${hostname()}:${process.pid}`,
        onFinished,
        ...(live ? { live } : {}),
        // One unit on this broker (a worker process) takes sync tasks handed straight by servers.
        ...(specs.length === 1 ? { handOffSlots: u.processes } : {}),
      }),
    );
  }
  return {
    units,
    pools,
    discoverer,
    connectors,
    start: () => units.forEach((u) => u.start()),
    close: async (graceMs = 0) => {
      const stopping = Promise.all(units.map((u) => u.stop()));
      if (graceMs > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([stopping, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
      }
      await Promise.all([discoverer, ...pools].map((p) => p.close()));
      await stopping;
      retention.close();
      await connectors.close();
    },
  };
}
