/** Everything the HTTP layer needs, handed in by the wiring (cli / embedded stack / tests). */
import type { Config } from '../config/config.js';
import type { SecretBox } from '../domain/auth/secret-box.js';
import type { TokenSigner } from '../domain/auth/auth-token.js';
import type { Broker, FuncCache } from '../domain/ports/broker.js';
import type { ConnectorClients } from '../domain/ports/connectors.js';
import type { FuncRunnerPool } from '../domain/ports/runner.js';
import type { LiveLogs } from '../domain/ports/live-logs.js';
import type { PythonPackages } from '../domain/ports/python-packages.js';
import type { RedisReporter } from '../domain/ports/redis-report.js';
import type { ResourceFolder } from '../domain/resources/resource-folder.js';
import type { Store } from '../domain/ports/store.js';
import type { FuncCatalog } from '../domain/scripts/func-catalog.js';
import type { TaskDispatcher } from '../domain/tasks/dispatcher.js';
import type { Topology } from '../domain/topology/topology.js';
import type { FuncMetrics } from './metrics.js';
import type { ServiceStatus } from '../domain/topology/topology-status.js';
import type { DeployedTopology } from '../domain/stack/deployed-topology.js';
import type { StackManager } from '../domain/stack/stack-manager.js';

export interface AppContext {
  config: Config;
  store: Store;
  broker: Broker;
  cache: FuncCache;
  /** Running tasks' print lines (GET /api/v1/tasks/:id/logs/stream); absent: the stream only reports the end. */
  liveLogs?: LiveLogs;
  dispatcher: TaskDispatcher;
  catalog: FuncCatalog;
  topology: Topology;
  tokens: TokenSigner;
  secrets: SecretBox;
  /** A runner used to discover a draft's functions on publish. */
  discoverer: Pick<FuncRunnerPool, 'discover'>;
  /** Connector clients (the connection test on add/modify, `:id/do/query`). */
  connectors: ConnectorClients;
  /** The resources folder (resource routes, file services). */
  resources: ResourceFolder;
  /** Extra Python packages for the functions (python-packages routes). */
  pythonPackages: PythonPackages;
  /** This process's Prometheus registry (`GET /metrics`). */
  metrics: FuncMetrics;
  now: () => number;
  version: string;
  mode: 'embedded' | 'production';
  /** The services alive now (this process's own, or heartbeats in production). */
  services: () => Promise<ServiceStatus[]>;
  /**
   * Set when the server has a Docker endpoint (FUNC_DOCKER_HOST): the stack it manages (the
   * /api/v1/stack routes) and its deployed topology, shown instead of the static one.
   */
  stack?: { manager: StackManager; deployed: DeployedTopology };
  /** Production mode: the reports' view of the shared Redis (`/api/v1/system-report`, `/api/v1/detailed-redis-report`); absent in embedded mode, which has no Redis. */
  redis?: RedisReporter;
}

/** `make(ctx)`, made once per context on first use: one server's own state (caches, monitors, recorders). */
export function perContext<T>(make: (ctx: AppContext) => T): (ctx: AppContext) => T {
  const made = new WeakMap<AppContext, T>();
  return (ctx) => {
    if (!made.has(ctx)) made.set(ctx, make(ctx));
    return made.get(ctx)!;
  };
}
