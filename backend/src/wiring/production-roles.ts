/**
 * Production mode: `func server`, `func worker`, `func beat` as separate processes sharing Redis
 * (FUNC_REDIS_URL) and the store (FUNC_DB_URL, or SQLite on one host). Any number of servers
 * and worker replicas; the beat fires only while it holds the leader lease.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import { TaskDispatcher } from '../domain/tasks/dispatcher.js';
import type { WorkerUnit as UnitSpec } from '../domain/topology/topology.js';
import { createRunnerPool } from '../adapters/python/runner-pool.js';
import { RedisRefusedError, waitForRedis } from '../adapters/broker/redis/redis-connection.js';
import { CronOverrideStore } from '../domain/cron/cron-overrides.js';
import { Beat } from '../beat/beat.js';
import type { AppContext } from '../server/app-context.js';
import { buildApp } from '../server/build-app.js';
import { FuncMetrics } from '../server/metrics.js';
import { createRunnerHost } from '../worker/runner-host.js';
import { createConnectorClients } from '../adapters/connectors/index.js';
import { ensureAdmin, unlessStarted } from './bootstrap.js';
import { openCore, serverContext, type Core } from './core.js';
import { startHeartbeat } from './heartbeat.js';
import { listenOn } from './listen.js';
import { startMetricsListener } from './metrics-listener.js';
import { openRedisAdapters, type RedisAdapterOptions, type RedisAdapters } from './redis-adapters.js';
import { startRedisRecovery } from './redis-recovery.js';
import { runnerPoolOptions } from './runner-options.js';
import { serverStack, startAutoscaler } from './stack.js';
import { subscriptionMaintainer } from './subscriptions.js';
import { createWorkerRole } from './worker-role.js';

export interface RoleHandle {
  /** The server's URL, for `server`. */
  url?: string;
  app?: FastifyInstance;
  generatedAdminPassword?: string | undefined;
  /** A worker's or beat's own /metrics port (FUNC_METRICS_PORT), when it serves one. */
  metricsPort?: number | undefined;
  close(): Promise<void>;
}

export interface RoleOptions extends RedisAdapterOptions {
  now?: () => number;
  /** How often the server's subscription maintainer re-reads the connectors (ms; tests shorten it). */
  subscriptionPollMs?: number;
  logger?: boolean;
  onError?: (err: unknown) => void;
  /** Told while the role waits at start for its Redis to answer (the CLI prints it). */
  onWait?: (message: string) => void;
  /** Told what the role noticed that an operator should know (a Redis without persistence, tasks recovered). */
  onNotice?: (message: string) => void;
  /** The sweep for records left queued with no task in Redis, or running with none (redis-recovery.ts; tests shorten them). */
  orphanSweepMs?: number;
  orphanAgeMs?: number;
  runningGraceMs?: number;
}

/**
 * A worker's task-record writes (outcomes, `running` marks) wait this long to share a commit:
 * nobody waits for them (a sync caller has its result pushed first; the ack waits, unseen).
 */
export const WORKER_RECORD_LINGER_MS = 10;

async function open(config: Config, options: RoleOptions, recordLingerMs = 0, replyHost?: string): Promise<{ core: Core; redis: RedisAdapters }> {
  // Servers (those with a reply host) hand sync calls straight to worker units unless told not to.
  if (!config.redisUrl) throw new ConfigError('FUNC_REDIS_URL', 'is required for func server, func worker and func beat (redis://host:6379/0)');
  try {
    await waitForRedis(config.redisUrl, { onWait: options.onWait });
  } catch (err) {
    if (err instanceof RedisRefusedError) throw new ConfigError('FUNC_REDIS_URL', `— ${err.message}`);
    throw err;
  }
  const core = await openCore(config, options.now ?? Date.now, undefined, recordLingerMs);
  const adapters = openRedisAdapters(core, config.redisUrl, {
    prefix: config.redisPrefix,
    visibilityTimeoutMs: config.visibilityTimeoutMs,
    replyHost,
    syncHandOff: config.syncHandOff,
    ...options,
  });
  // A Redis that lost its data gets the queued tasks back from their records (any role notices).
  const recovery = await startRedisRecovery({
    url: config.redisUrl,
    prefix: options.prefix ?? config.redisPrefix,
    store: core.store,
    broker: adapters.broker,
    now: core.now,
    orphanSweepMs: options.orphanSweepMs,
    orphanAgeMs: options.orphanAgeMs,
    runningGraceMs: options.runningGraceMs,
    onNotice: options.onNotice,
    onError: options.onError,
  }).catch(async (err: unknown) => {
    await adapters.close();
    await core.store.close();
    throw err;
  });
  const close = async (): Promise<void> => {
    await recovery.close();
    await adapters.close();
  };
  return { core, redis: { ...adapters, close } };
}

export async function startServerRole(config: Config, options: RoleOptions = {}): Promise<RoleHandle> {
  // Sync callers wait here: workers may send their results straight to this server.
  const { core, redis } = await open(config, options, 0, config.replyHost);
  const { store, catalog, topology, secrets, now } = core;
  const dispatcher = new TaskDispatcher(store, redis.broker, redis.cache);
  const connectors = createConnectorClients();
  const host = createRunnerHost({ store, cache: redis.cache, catalog, dispatcher, topology, secrets, now, connectors });
  const discoverer = await createRunnerPool({ ...runnerPoolOptions(config), host, processes: 1 });
  const admin = await ensureAdmin(store, config.adminPassword, now());
  return unlessStarted(store, admin, async () => {
    // The server's /metrics: its requests and submissions, the queues (shared by every server).
    const metrics = new FuncMetrics();
    metrics.watchQueues(redis.broker);
    metrics.watchHandOffs(redis.broker);
    const ctx: AppContext = serverContext(core, {
      broker: redis.broker,
      cache: redis.cache,
      liveLogs: redis.liveLogs,
      dispatcher,
      discoverer,
      connectors,
      metrics,
      mode: 'production',
      services: () => redis.presence.list(),
      redis: redis.report,
    });
    const stack = serverStack(config);
    if (stack) ctx.stack = stack;
    // The server holding the `autoscaler` lease evaluates the stack's autoscaling policies.
    const autoscaler = stack ? await startAutoscaler(stack, { store, broker: redis.broker, lease: redis.lease('autoscaler'), now, onError: options.onError }) : undefined;
    const app = await buildApp(ctx, { logger: options.logger ?? false });
    const url = await listenOn(app, config.host, config.port);
    // The server holding the `subscriptions` lease maintains the connectors' subscriptions (queue #6); another takes over when it dies.
    const subLease = redis.lease('subscriptions');
    const subscriptions = subscriptionMaintainer(core, {
      dispatcher,
      broker: redis.broker,
      name: `server@${new URL(url).port} (pid ${process.pid})`,
      isActive: () => subLease.isLeader(),
      onError: options.onError,
      pollMs: options.subscriptionPollMs,
    });
    subLease.onChange((leader) => {
      if (leader) void subscriptions.reconcile().catch((err: unknown) => options.onError?.(err));
      else void subscriptions.standDown();
    });
    metrics.watchLeader('subscriptions', () => subLease.isLeader());
    await subLease.start();
    await subscriptions.start();
    const stopHeartbeat = startHeartbeat(redis.presence, 'server', `server@${new URL(url).port}`, () => ({ subscriptions: subLease.isLeader() }), options.onError);
    return {
      url,
      app,
      generatedAdminPassword: admin.generatedPassword,
      close: async () => {
        await subscriptions.stop();
        await subLease.stop();
        await autoscaler?.stop();
        await stopHeartbeat();
        await app.close();
        await discoverer.close();
        await connectors.close();
        await redis.close();
        await store.close();
      },
    };
  });
}

export async function startWorkerProcess(config: Config, unit: Pick<UnitSpec, 'name' | 'queues' | 'processes'>, options: RoleOptions = {}): Promise<RoleHandle> {
  const { core, redis } = await open(config, options, WORKER_RECORD_LINGER_MS);
  const dispatcher = new TaskDispatcher(core.store, redis.broker, redis.cache);
  // This process's tasks and processes, on its own FUNC_METRICS_PORT (queues: the server's).
  const metrics = new FuncMetrics();
  const role = await createWorkerRole(core, redis.broker, redis.cache, dispatcher, [{ ...unit, replicas: 1 }], metrics, redis.liveLogs, undefined, options.onError);
  const listener = await startMetricsListener(config, metrics).catch(async (err: unknown) => {
    await role.close();
    await redis.close();
    await core.store.close();
    throw err;
  });
  role.start();
  const [worker] = role.units;
  const [pool] = role.pools;
  const stopHeartbeat = startHeartbeat(
    redis.presence,
    'worker',
    unit.name,
    () => ({ queues: [...unit.queues], processes: pool!.stats().processes, busy: pool!.stats().busy, tasksDone: worker!.done, metricsPort: listener?.port }),
    options.onError,
  );
  return {
    metricsPort: listener?.port,
    close: async () => {
      await stopHeartbeat();
      await listener?.close();
      await role.close(config.stopGraceMs);
      await redis.close();
      await core.store.close();
    },
  };
}

export async function startBeatProcess(config: Config, options: RoleOptions = {}): Promise<RoleHandle & { isLeader(): boolean; beat: Beat }> {
  const { core, redis } = await open(config, options);
  const dispatcher = new TaskDispatcher(core.store, redis.broker, redis.cache);
  const lease = redis.lease('beat');
  const beat = new Beat({
    store: core.store,
    dispatcher,
    catalog: core.catalog,
    topology: core.topology,
    now: core.now,
    overrides: new CronOverrideStore(redis.cache, core.now),
    isActive: () => lease.isLeader(),
    onError: options.onError,
  });
  const metrics = new FuncMetrics();
  metrics.watchLeader('beat', () => lease.isLeader());
  const listener = await startMetricsListener(config, metrics).catch(async (err: unknown) => {
    await redis.close();
    await core.store.close();
    throw err;
  });
  await lease.start();
  beat.start();
  const stopHeartbeat = startHeartbeat(redis.presence, 'beat', 'beat', () => ({ metricsPort: listener?.port }), options.onError);
  return {
    beat,
    metricsPort: listener?.port,
    isLeader: () => lease.isLeader(),
    close: async () => {
      beat.stop();
      await stopHeartbeat();
      await listener?.close();
      await lease.stop();
      await redis.close();
      await core.store.close();
    },
  };
}
