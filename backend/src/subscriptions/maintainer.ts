/**
 * The subscription maintainer (issue 17): the connectors of message types (redis, mqtt, amqp,
 * nats) carry `topicHandlers` (topic → handler function); while this instance is active (it
 * holds the `subscriptions` lease in production; always in embedded mode) it keeps one
 * subscription per connector on the broker and turns every message into a task on the
 * topology's subscription queue (#6), origin `subscription`, kwargs `topic` and `message`,
 * submitted like any task (recorded, then enqueued). The broker's ack (MQTT PUBACK, AMQP ack)
 * waits for that submit.
 *
 * It re-reads the connectors every `pollMs`: an added connector is subscribed, a deleted one
 * unsubscribed, a modified config or topic list resubscribed (handlers alone change in place).
 * Back-pressure: while the subscription queue holds more than `maxBacklog` ready tasks, messages
 * wait before their submit (so MQTT/AMQP stop being acked and their brokers stop sending at
 * their in-flight / prefetch bound); more than `maxWaiting` waiting messages per connector are
 * refused (at-most-once sources drop them, counted as failed).
 *
 * Counters per (connector, topic) — received, dispatched, failed, last message time, messages of
 * the last minute — are written to the store's expiring values every second (any server's
 * sub-info route reads them) and taken over by the next maintainer.
 */
import { createHash } from 'node:crypto';
import { MESSAGE_CONNECTOR_TYPES, type ConnectorType } from '../../../contract/operations/connectors.js';
import type { SecretBox } from '../domain/auth/secret-box.js';
import { connectorConfigOf } from '../domain/connectors/connector-config.js';
import type { Broker } from '../domain/ports/broker.js';
import type { ConnectorDriver, ConnectorMessage, ConnectorSubscription, ConnectorTimeouts } from '../domain/ports/connectors.js';
import type { ConnectorRow, Store } from '../domain/ports/store.js';
import type { FuncCatalog } from '../domain/scripts/func-catalog.js';
import { buildTask } from '../domain/tasks/build-task.js';
import type { TaskDispatcher } from '../domain/tasks/dispatcher.js';
import type { Topology } from '../domain/topology/topology.js';

/** How often the snapshot is written while nothing is subscribed (it is kept twice as long). */
const IDLE_PUBLISH_MS = 60_000;
/** Where the counters live (store.expiring), for the sub-info route. */
export const SUB_INFO_KEY = 'subscriptions:state';

export type SubscriptionState = 'subscribing' | 'subscribed' | 'error' | 'paused';

/** One subscription's state and counters (sub-info; DataFlux's `connectorId`, `topic`, `lastMinuteCount`). */
export interface SubInfo {
  connectorId: string;
  topic: string;
  funcId: string;
  state: SubscriptionState;
  /** Why it is in `error`, or the last message's failure. */
  error: string | null;
  received: number;
  dispatched: number;
  failed: number;
  /** Epoch ms of the last message, null: none yet. */
  lastMessageTime: number | null;
  lastMinuteCount: number;
  /** The last task a message became. */
  lastTaskId: string | null;
}

export interface SubInfoSnapshot {
  /** Who maintains the subscriptions (a server's name). */
  maintainer: string;
  time: number;
  /** The subscription queue's number and depth (ready tasks) when it was written. */
  queue: number;
  backlog: number;
  maxBacklog: number;
  subscriptions: SubInfo[];
}

export interface SubscriptionMaintainerDeps {
  store: Store;
  secrets: SecretBox;
  catalog: FuncCatalog;
  topology: Topology;
  dispatcher: TaskDispatcher;
  broker: Broker;
  drivers: Readonly<Partial<Record<ConnectorType, ConnectorDriver>>>;
  timeouts: ConnectorTimeouts;
  /** This instance's name in sub-info. */
  name: string;
  now?: () => number;
  /** Maintain only while this answers true (the leader lease). Default: always. */
  isActive?: () => boolean;
  /** How often the connectors are re-read (ms). */
  pollMs?: number;
  /** Ready tasks on the subscription queue above which messages wait. */
  maxBacklog?: number;
  /** Messages per connector waiting for the backlog to drain, at most (more are refused). */
  maxWaiting?: number;
  onError?: (err: unknown) => void;
}

interface Running {
  connector: string;
  key: string;
  type: ConnectorType;
  /** topic → handler funcId (updated in place when only handlers change). */
  handlers: Map<string, string>;
  sub: ConnectorSubscription | undefined;
  state: SubscriptionState;
  error: string | null;
  waiting: number;
  closed: boolean;
}

interface Counters {
  received: number;
  dispatched: number;
  failed: number;
  lastMessageTime: number | null;
  lastTaskId: string | null;
  error: string | null;
  /** 10-second bucket start → messages. */
  buckets: Map<number, number>;
}

const ctKey = (connectorId: string, topic: string): string => `${connectorId}\n${topic}`;

/** The topic → funcId entries of a message connector that are not disabled (first entry of a topic wins). */
export function activeHandlers(row: Pick<ConnectorRow, 'type' | 'configJSON'>): Map<string, string> {
  const out = new Map<string, string>();
  if (!MESSAGE_CONNECTOR_TYPES.includes(row.type)) return out;
  const list = row.configJSON['topicHandlers'];
  if (!Array.isArray(list)) return out;
  for (const h of list as unknown[]) {
    const e = h as { topic?: unknown; funcId?: unknown; isDisabled?: unknown };
    if (typeof e?.topic === 'string' && e.topic !== '' && typeof e.funcId === 'string' && e.isDisabled !== true && !out.has(e.topic)) out.set(e.topic, e.funcId);
  }
  return out;
}

export class SubscriptionMaintainer {
  private readonly now: () => number;
  private readonly running = new Map<string, Running>();
  private readonly counters = new Map<string, Counters>();
  private timer: NodeJS.Timeout | undefined;
  private depthTimer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private wasActive = false;
  private backlog = 0;
  /** When the snapshot was last written with nothing subscribed; null while something is. */
  private idlePublishedAt: number | null = null;
  private readonly drainWaiters = new Set<() => void>();
  private readonly queue: number;
  private readonly maxBacklog: number;
  private readonly maxWaiting: number;

  constructor(private readonly deps: SubscriptionMaintainerDeps) {
    this.now = deps.now ?? Date.now;
    this.queue = deps.topology.queueMap.subscription;
    this.maxBacklog = deps.maxBacklog ?? 5000;
    this.maxWaiting = deps.maxWaiting ?? 1000;
  }

  /** Poll every `pollMs` (and once now); resolves after the first pass. */
  async start(): Promise<void> {
    const every = this.deps.pollMs ?? 3000;
    await this.reconcile().catch((err: unknown) => this.deps.onError?.(err));
    this.timer = setInterval(() => void this.reconcile().catch((err: unknown) => this.deps.onError?.(err)), every);
    this.timer.unref();
    this.watchBacklog();
  }

  /** The backlog and the counters, every half second while subscriptions run; no timer while none does (an idle stack stays asleep). */
  private watchBacklog(): void {
    if (this.running.size === 0 || this.timer === undefined) {
      if (this.depthTimer) clearInterval(this.depthTimer);
      this.depthTimer = undefined;
      return;
    }
    if (this.depthTimer) return;
    let tick = 0;
    this.depthTimer = setInterval(() => {
      void this.refreshBacklog();
      if (++tick % 2 === 0) void this.publish().catch((err: unknown) => this.deps.onError?.(err));
    }, 500);
    this.depthTimer.unref();
  }

  /** Stop maintaining: close every subscription (the brokers keep durable ones for the next maintainer). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.depthTimer) clearInterval(this.depthTimer);
    this.timer = undefined;
    this.depthTimer = undefined;
    await this.busy;
    await this.closeAll(false);
  }

  /** Leadership lost: stop consuming at once (the lease's onChange calls this). */
  async standDown(): Promise<void> {
    await this.closeAll(false);
    this.wasActive = false;
  }

  /** One pass: subscribe what the connectors want, drop what they no longer want. */
  reconcile(): Promise<void> {
    this.busy ??= this.pass().finally(() => {
      this.busy = undefined;
      this.watchBacklog();
    });
    return this.busy;
  }

  /** The current state and counters (what sub-info serves). */
  snapshot(): SubInfoSnapshot {
    const now = this.now();
    const minuteAgo = now - 60_000;
    const subscriptions: SubInfo[] = [];
    for (const r of this.running.values()) {
      for (const [topic, funcId] of r.handlers) {
        const c = this.counters.get(ctKey(r.connector, topic));
        let lastMinuteCount = 0;
        for (const [t, n] of c?.buckets ?? []) if (t >= minuteAgo - 10_000) lastMinuteCount += n;
        subscriptions.push({
          connectorId: r.connector,
          topic,
          funcId,
          state: r.state === 'subscribed' && this.backlog > this.maxBacklog ? 'paused' : r.state,
          error: r.error ?? c?.error ?? null,
          received: c?.received ?? 0,
          dispatched: c?.dispatched ?? 0,
          failed: c?.failed ?? 0,
          lastMessageTime: c?.lastMessageTime ?? null,
          lastMinuteCount,
          lastTaskId: c?.lastTaskId ?? null,
        });
      }
    }
    return { maintainer: this.deps.name, time: now, queue: this.queue, backlog: this.backlog, maxBacklog: this.maxBacklog, subscriptions };
  }

  private async pass(): Promise<void> {
    const active = this.deps.isActive?.() ?? true;
    if (!active) {
      if (this.wasActive || this.running.size > 0) await this.closeAll(false);
      this.wasActive = false;
      return;
    }
    if (!this.wasActive) {
      this.wasActive = true;
      this.idlePublishedAt = null;
      await this.takeOverCounters();
    }
    const rows = (await this.deps.store.entity('connectors').list()).filter((r) => MESSAGE_CONNECTOR_TYPES.includes(r.type));
    const wanted = new Map<string, { row: ConnectorRow; handlers: Map<string, string>; key: string }>();
    for (const row of rows) {
      const handlers = activeHandlers(row);
      if (handlers.size === 0) continue;
      const key = createHash('sha256')
        .update(JSON.stringify([row.type, row.configJSON, [...handlers.keys()].sort()]))
        .digest('hex');
      wanted.set(row.id, { row, handlers, key });
    }
    for (const [id, r] of [...this.running]) {
      const w = wanted.get(id);
      if (w && w.key === r.key && r.state !== 'error') {
        r.handlers = w.handlers;
        continue;
      }
      // Deleted, or its config or topics changed, or failed: gone from the broker too (unless it failed: retried below).
      await this.close(r, w === undefined || w.key !== r.key);
    }
    for (const [id, w] of wanted) if (!this.running.has(id)) await this.open(w.row, w.handlers, w.key);
    if (this.running.size > 0) {
      await this.refreshBacklog();
      await this.publish();
      this.idlePublishedAt = null;
    } else if (this.idlePublishedAt === null || this.now() - this.idlePublishedAt >= IDLE_PUBLISH_MS) {
      // Nothing subscribed: the (empty) snapshot once, then once a minute, not every pass: an idle
      // `func up` writes nothing (its beat sleeps while the database is unchanged).
      await this.publish(IDLE_PUBLISH_MS * 2);
      this.idlePublishedAt = this.now();
    }
  }

  private async open(row: ConnectorRow, handlers: Map<string, string>, key: string): Promise<void> {
    const r: Running = { connector: row.id, key, type: row.type, handlers, sub: undefined, state: 'subscribing', error: null, waiting: 0, closed: false };
    this.running.set(row.id, r);
    const driver = this.deps.drivers[row.type];
    const client = driver?.create(connectorConfigOf(row, this.deps.secrets), this.deps.timeouts);
    if (!client?.subscribe) {
      r.state = 'error';
      r.error = `a ${row.type} connector cannot subscribe`;
      return;
    }
    try {
      r.sub = await client.subscribe([...handlers.keys()], (m) => this.onMessage(r, m), {
        subscriberId: row.id,
        prefetch: Math.min(this.maxWaiting, 100),
        onLost: (err) => {
          r.state = 'error';
          r.error = `connection lost: ${err.message}`;
        },
      });
      if (r.closed) await r.sub.close();
      else r.state = 'subscribed';
    } catch (err) {
      r.state = 'error';
      r.error = err instanceof Error ? err.message : String(err);
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  private async close(r: Running, unsubscribe: boolean): Promise<void> {
    r.closed = true;
    this.running.delete(r.connector);
    for (const wake of this.drainWaiters) wake();
    await r.sub?.close({ unsubscribe }).catch((err: unknown) => this.deps.onError?.(err));
  }

  private async closeAll(unsubscribe: boolean): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => this.close(r, unsubscribe)));
  }

  private counter(connectorId: string, topic: string): Counters {
    const k = ctKey(connectorId, topic);
    let c = this.counters.get(k);
    if (!c) {
      c = { received: 0, dispatched: 0, failed: 0, lastMessageTime: null, lastTaskId: null, error: null, buckets: new Map() };
      this.counters.set(k, c);
    }
    return c;
  }

  /** A message: counted, held while the queue is over its backlog, then submitted as a task; resolves once enqueued. */
  private async onMessage(r: Running, m: ConnectorMessage): Promise<void> {
    const c = this.counter(r.connector, m.subscription);
    const now = this.now();
    c.received += 1;
    c.lastMessageTime = now;
    const bucket = now - (now % 10_000);
    c.buckets.set(bucket, (c.buckets.get(bucket) ?? 0) + 1);
    for (const t of c.buckets.keys()) if (t < bucket - 60_000) c.buckets.delete(t);
    const fail = (why: string): void => {
      c.failed += 1;
      c.error = why;
    };
    if (r.closed) throw new Error('the subscription is closed');
    if (this.backlog > this.maxBacklog) {
      if (r.waiting >= this.maxWaiting) {
        fail(`refused: queue #${this.queue} holds more than ${this.maxBacklog} tasks and ${r.waiting} messages wait`);
        throw new Error('back-pressure');
      }
      r.waiting += 1;
      try {
        await this.drained(r);
      } finally {
        r.waiting -= 1;
      }
      if (r.closed) throw new Error('the subscription is closed');
    }
    const funcId = r.handlers.get(m.subscription);
    const func = funcId === undefined ? undefined : await this.deps.catalog.func(funcId);
    if (!func) {
      // Nothing can handle it: counted and acked (redelivering it would fail again).
      fail(`no function ${funcId ?? '(none)'} to handle topic ${m.subscription}`);
      return;
    }
    let task;
    try {
      task = buildTask({ func, kwargs: { topic: m.topic, message: m.message }, origin: 'connector', originId: r.connector, topology: this.deps.topology, now: this.now() });
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
      return;
    }
    // The store or the broker failing: tried again a few times, then left unacked (the broker keeps it).
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.dispatcher.submit(task);
        break;
      } catch (err) {
        if (attempt >= 3 || r.closed) {
          fail(`not enqueued: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
        await new Promise((res) => setTimeout(res, 200 * (attempt + 1)));
      }
    }
    this.backlog += 1;
    c.dispatched += 1;
    c.lastTaskId = task.id;
  }

  /** Resolves when the backlog is back under its bound (or `r` closes). */
  private drained(r: Running): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        if (this.backlog <= this.maxBacklog || r.closed) {
          this.drainWaiters.delete(wake);
          resolve();
        }
      };
      this.drainWaiters.add(wake);
      wake();
    });
  }

  private async refreshBacklog(): Promise<void> {
    try {
      const stats = await this.deps.broker.stats();
      this.backlog = stats.find((s) => s.queue === this.queue)?.length ?? 0;
    } catch (err) {
      this.deps.onError?.(err);
      return;
    }
    for (const wake of [...this.drainWaiters]) wake();
  }

  /** Writes the snapshot for the sub-info route, kept `ttlMs`. */
  private async publish(ttlMs = 15_000): Promise<void> {
    const now = this.now();
    await this.deps.store.expiring.set(SUB_INFO_KEY, this.snapshot(), now + ttlMs, now);
  }

  /** The counters of the previous maintainer (a handover keeps counting from them). */
  private async takeOverCounters(): Promise<void> {
    const prev = (await this.deps.store.expiring.get(SUB_INFO_KEY, this.now()).catch(() => undefined))?.value as SubInfoSnapshot | undefined;
    for (const s of prev?.subscriptions ?? []) {
      if (this.counters.has(ctKey(s.connectorId, s.topic))) continue;
      const c = this.counter(s.connectorId, s.topic);
      c.received = s.received;
      c.dispatched = s.dispatched;
      c.failed = s.failed;
      c.lastMessageTime = s.lastMessageTime;
      c.lastTaskId = s.lastTaskId;
    }
  }
}
