/**
 * The composition root of `func up`: every role in one process, on SQLite (or FUNC_DB_URL) and
 * the in-process broker. Used by the CLI, the integration tests, the benchmark and (later) the
 * desktop app.
 */
import { setFlagsFromString } from 'node:v8';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import type { FuncRunnerPool } from '../domain/ports/runner.js';
import type { Store } from '../domain/ports/store.js';
import { TaskDispatcher } from '../domain/tasks/dispatcher.js';
import { EmbeddedBroker } from '../adapters/broker/embedded/embedded-broker.js';
import { EmbeddedCache } from '../adapters/broker/embedded/embedded-cache.js';
import { EmbeddedLiveLogs } from '../adapters/broker/embedded/embedded-live-logs.js';
import { CronOverrideStore } from '../domain/cron/cron-overrides.js';
import { Beat } from '../beat/beat.js';
import type { SubscriptionMaintainer } from '../subscriptions/maintainer.js';
import type { AppContext } from '../server/app-context.js';
import { buildApp } from '../server/build-app.js';
import { FuncMetrics } from '../server/metrics.js';
import type { WorkerUnit } from '../worker/worker-unit.js';
import { recoverUnfinished } from '../worker/recover-unfinished.js';
import { ensureAdmin, seedExamples, unlessStarted } from './bootstrap.js';
import { openCore, serverContext } from './core.js';
import { markDeadLetter } from './dead-letters.js';
import { embeddedServices } from './embedded-services.js';
import { listenOn } from './listen.js';
import { subscriptionMaintainer } from './subscriptions.js';
import { VERSION } from './version.js';
import { createWorkerRole } from './worker-role.js';

export { VERSION };

/** Processes per worker unit in embedded mode unless FUNC_WORKER_PROCESSES says otherwise. */
export const EMBEDDED_PROCESSES_PER_UNIT = 2;

export interface EmbeddedStackOptions {
  now?: () => number;
  /** Run the beat's timer (tests drive `beat.tick()` themselves). Default true. */
  beatTimer?: boolean;
  logger?: boolean;
  /** Embedded broker visibility timeout (tests shorten it). */
  visibilityTimeoutMs?: number;
  /** How often the subscription maintainer re-reads the connectors (ms; tests shorten it). */
  subscriptionPollMs?: number;
  /**
   * Told the failures that are not a task's own — a worker unit's (store or broker, each kind at
   * most once a minute per unit), the beat's, the subscription maintainer's — as the production
   * roles tell theirs (`func up` logs them on stderr as `func worker` does).
   */
  onError?: (err: unknown) => void;
}

export interface EmbeddedStack {
  app: FastifyInstance;
  ctx: AppContext;
  store: Store;
  broker: EmbeddedBroker;
  units: WorkerUnit[];
  pools: FuncRunnerPool[];
  beat: Beat;
  /** Keeps the connectors' subscriptions (always active: one process). */
  subscriptions: SubscriptionMaintainer;
  /** Set on the first start when the admin password was generated. */
  generatedAdminPassword: string | undefined;
  recovered: number;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function startEmbeddedStack(config: Config, options: EmbeddedStackOptions = {}): Promise<EmbeddedStack> {
  if (config.redisUrl)
    throw new ConfigError('FUNC_REDIS_URL', 'is for the production roles (func server / worker / beat); func up runs everything in one process without Redis: unset it');
  // V8 drops the bytecode of functions unused for a few collections; after an idle spell the first
  // call compiled the whole call path again (~25 ms of it, issue 20: 147-167 ms against 178-188).
  // The bytecode kept costs a few MB.
  setFlagsFromString('--no-flush-bytecode');
  const now = options.now ?? Date.now;
  const core = await openCore(config, now, EMBEDDED_PROCESSES_PER_UNIT);
  const { store, topology, catalog } = core;
  const broker = new EmbeddedBroker({
    now,
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? config.visibilityTimeoutMs,
    onDeadLetter: markDeadLetter(store, now),
  });
  const cache = new EmbeddedCache(now);
  const liveLogs = new EmbeddedLiveLogs(now);
  const dispatcher = new TaskDispatcher(store, broker, cache);
  // One process, one registry: server, queues, every unit and the beat (always the leader here).
  // One event-loop sample a second: an idle desktop stack wakes up as little as it can (issue 20).
  const metrics = new FuncMetrics({ eventLoopResolutionMs: 1000 });
  metrics.watchQueues(broker);
  const workers = await createWorkerRole(
    core,
    broker,
    cache,
    dispatcher,
    topology.units.filter((u) => u.replicas > 0),
    metrics,
    liveLogs,
    // A desktop's stack: Python processes start on demand and stop when idle (FUNC_RUNNER_IDLE_STOP_S).
    config.runnerIdleStopMs > 0 ? { idleStopMs: config.runnerIdleStopMs } : undefined,
    options.onError,
  );
  const { units, discoverer } = workers;
  const admin = await ensureAdmin(store, config.adminPassword, now());
  return unlessStarted(store, admin, async () => {
    if (config.seedExamples && admin.created) await seedExamples(store, discoverer, now());
    const recovered = await recoverUnfinished(store, broker);
    workers.start();
    const beat = new Beat({ store, dispatcher, catalog, topology, now, overrides: new CronOverrideStore(cache, now), onError: options.onError });
    if (options.beatTimer !== false) beat.start();
    metrics.watchLeader('beat', () => true);
    const subscriptions = subscriptionMaintainer(core, { dispatcher, broker, name: 'func up', pollMs: options.subscriptionPollMs, onError: options.onError });
    await subscriptions.start();
    const ctx: AppContext = serverContext(core, {
      broker,
      cache,
      liveLogs,
      dispatcher,
      discoverer,
      connectors: workers.connectors,
      metrics,
      mode: 'embedded',
      services: () => Promise.resolve(embeddedServices(units, workers.pools, now())),
    });
    const app = await buildApp(ctx, { logger: options.logger ?? false });
    let closed = false;
    return {
      app,
      ctx,
      store,
      broker,
      units,
      pools: [discoverer, ...workers.pools],
      beat,
      subscriptions,
      recovered,
      generatedAdminPassword: admin.generatedPassword,
      listen: () => unlessStarted(store, admin, () => listenOn(app, config.host, config.port)),
      close: async () => {
        if (closed) return;
        closed = true;
        beat.stop();
        await subscriptions.stop();
        await app.close();
        await workers.close();
        await broker.close();
        await cache.close();
        await liveLogs.close();
        await store.close();
      },
    };
  });
}
