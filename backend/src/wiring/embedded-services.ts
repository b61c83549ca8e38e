/** In embedded mode every service is this process: server, each worker unit (with its pool), beat. */
import { hostname } from 'node:os';
import type { FuncRunnerPool } from '../domain/ports/runner.js';
import type { ServiceStatus } from '../domain/topology/topology-status.js';
import type { WorkerUnit } from '../worker/worker-unit.js';
import { VERSION } from './version.js';

const startedAt = Date.now();

export function embeddedServices(units: readonly WorkerUnit[], pools: readonly FuncRunnerPool[], now: number): ServiceStatus[] {
  const common = { host: hostname(), pid: process.pid, version: VERSION, uptimeS: Math.round((Date.now() - startedAt) / 1000), lastSeen: now };
  return [
    { kind: 'server', name: 'server', ...common, subscriptions: true },
    ...units.map((u, i): ServiceStatus => {
      const stats = pools[i]?.stats();
      return { kind: 'worker', name: u.name, ...common, queues: [...u.queues], processes: stats?.processes ?? 0, busy: stats?.busy ?? 0, tasksDone: u.done };
    }),
    { kind: 'beat', name: 'beat', ...common },
  ];
}
