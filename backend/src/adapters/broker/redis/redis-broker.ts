/**
 * The Redis broker (production mode): per-queue work queues with at-least-once delivery,
 * delayed tasks, dead letters and sync results, shared by any number of servers, worker
 * units and beats. Design, keys and failure behaviour: docs/broker-redis.md. Every state
 * change touching several keys is one Lua script in `lua/`.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  BROKER_DEFAULTS,
  type Broker,
  type BrokerOptions,
  type DeadLetterEntry,
  type Delivery,
  type HandOffConsumer,
  type HandOffStats,
  type QueueStats,
  type ReplyRoute,
  type ResultMessage,
} from '../../../domain/ports/broker.js';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import { QUEUES, isQueue } from '../../../domain/topology/queues.js';
import { brokerKeys, type BrokerKeys } from './redis-keys.js';
import { closeRedis, corkForTick, createRedisConnection, execPipeline, redisCall, type RedisConnectionOptions } from './redis-connection.js';
import { RedisResults } from './redis-results.js';
import { defineScripts, pipeScript, runScript } from './redis-scripts.js';
import { BlockingPool } from './blocking-pool.js';
import { HANDED, canHandOff, type ClaimedReply } from './hand-offs.js';

export interface SweepResult {
  promoted: number;
  requeued: number;
  dead: DeadLetterEntry[];
}

export interface RedisBrokerOptions extends RedisConnectionOptions, BrokerOptions {
  /** Prefix of every key (default `func:`). */
  prefix?: string;
  /** Use this connection for commands instead of opening one (it is not closed by `close`). */
  connection?: Redis;
  // visibilityTimeoutMs, maxDeliveries, now (instances must agree within a fraction of the
  // visibility timeout) and onDeadLetter (each task this instance's sweep moved) from BrokerOptions.
  /** Run `sweep()` this often (default min(1 s, visibility/2)); 0 disables it. */
  sweepEveryMs?: number;
  /**
   * Longest single blocking wait (BLPOP) inside `reserve` (default 10 s, at most a quarter of the
   * visibility timeout): an idle consumer costs Redis a BLPOP and a reserve this often.
   */
  blockSliceMs?: number;
  /** Dead letters kept (default 10,000). */
  deadLetterLimit?: number;
  /** How long a result that reached no subscriber is kept for a reconnecting waiter (default 60 s). */
  resultFallbackTtlMs?: number;
  /** Names this instance's result channel (default random). */
  instanceId?: string;
  /**
   * Servers: also take sync results sent straight by workers on a listener on this host
   * (`direct-replies.ts`); undefined: results come through Redis only.
   */
  replyHost?: string;
  /**
   * Servers with `replyHost`: hand sync calls straight to a worker unit that offered itself for
   * their queue and has a free process (`hand-offs.ts`) instead of enqueueing them (default true).
   */
  syncHandOff?: boolean;
  /**
   * Servers: how often the sync tasks enqueued for this instance's waiters are looked for on Redis
   * while any is kept (default 3 s; those kept that long): a `FLUSHALL` keeps the connections up,
   * and those Redis lost are enqueued again (`redis-results.ts`). 0: only after a reconnect.
   */
  lostCheckEveryMs?: number;
}

const RATE_TTL_MS = 120_000;
const SWEEP_BATCH = 1000;
/**
 * A sweep looks at every queue this often, not only at those the `due` index names: the scripts
 * keep the index, but an older version's instances (during a rolling upgrade) do not.
 */
const FULL_SWEEP_EVERY_MS = 5 * 60_000;

/** Most tasks one reserve call takes. */
const MAX_BATCH = 64;
/** Most deliveries one ack call finishes. */
const MAX_ACK_BATCH = 500;
/** Queue sets whose reserve keys are kept (a consumer reserves from one set; the cap guards misuse). */
const MAX_KEY_SETS = 64;

interface PendingAck {
  q: number;
  attempt: string;
  mid: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A dead letter as `sweep-9` stores it in `P dead` (JSON `{queue, task, attempts, at, history}`), without the broker's own `replyTo` in its task. */
function parseDeadLetter(entry: string): DeadLetterEntry {
  const d = JSON.parse(entry) as Omit<DeadLetterEntry, 'taskId' | 'funcId'> & { task: { replyTo?: unknown } };
  delete d.task.replyTo;
  const out: DeadLetterEntry = { taskId: d.task.id, funcId: d.task.funcId, queue: d.queue, attempts: d.attempts, at: d.at, history: d.history, task: d.task };
  if (typeof d.reason === 'string') out.reason = d.reason;
  return out;
}

export class RedisBroker implements Broker {
  readonly kind = 'redis';
  readonly durable = true;
  readonly keys: BrokerKeys;
  private readonly cmd: Redis;
  private readonly ownsConnection: boolean;
  private readonly results: RedisResults;
  private readonly blocking: BlockingPool;
  private readonly visibilityMs: number;
  private readonly maxDeliveries: number;
  private readonly now: () => number;
  private readonly blockSliceMs: number;
  private readonly deadLetterLimit: number;
  private readonly sweeper: NodeJS.Timeout | undefined;
  /** When this instance last swept every queue (the `due` index aside). */
  private lastFullSweep = Number.NEGATIVE_INFINITY;
  private readonly queueOfReady: ReadonlyMap<string, number>;
  private readonly onError: (err: Error) => void;
  private closed = false;
  private readonly pendingAcks: PendingAck[] = [];
  private readonly reserveKeysOf = new Map<string, { keys: string[]; wakeKeys: string[] }>();
  /** Handed tasks finished and not counted in Redis yet, per queue. */
  private readonly doneCounts = new Map<number, number>();

  constructor(private readonly options: RedisBrokerOptions = {}) {
    this.keys = brokerKeys(options.prefix ?? 'func:');
    this.queueOfReady = new Map(QUEUES.map((q) => [this.keys.ready(q), q]));
    this.onError = options.onError ?? (() => undefined);
    this.ownsConnection = options.connection === undefined;
    // No auto-pipelining: every command is written when issued, so they reach Redis in call
    // order. A pipeline object per tick cost 20-30 us of CPU for a lone command (most of ours are:
    // an enqueue per request, a reserve, one ack call per tick) and kept its garbage alive past
    // young collections (docs/decisions.md).
    this.cmd = options.connection ?? createRedisConnection(options);
    defineScripts(this.cmd);
    this.visibilityMs = options.visibilityTimeoutMs ?? BROKER_DEFAULTS.visibilityTimeoutMs;
    this.maxDeliveries = options.maxDeliveries ?? BROKER_DEFAULTS.maxDeliveries;
    this.now = options.now ?? Date.now;
    // The reserve behind a BLPOP dates its deadline from before the wait: keep a slice short
    // against the visibility timeout (a quarter at most, well inside the first extend).
    this.blockSliceMs = Math.min(options.blockSliceMs ?? 10_000, Math.max(10, Math.floor(this.visibilityMs / 4)));
    this.deadLetterLimit = options.deadLetterLimit ?? 10_000;
    // A unit gave a handed task back or went away with it: on Redis as any other, its waiter
    // still waiting (a delivery that began counts, as a crash's does).
    const requeue = (task: TaskMessage, reply: ClaimedReply, delivered: boolean): void => {
      if (this.closed) return;
      const again = delivered ? { ...task, attempt: (task.attempt ?? 0) + 1 } : task;
      this.enqueueOnRedis(again, reply).catch((err: unknown) => this.onError(err instanceof Error ? err : new Error(String(err))));
    };
    this.results = new RedisResults(
      this.cmd,
      this.keys,
      options.instanceId ?? randomUUID(),
      options.resultFallbackTtlMs ?? 60_000,
      this.onError,
      options.replyHost,
      options.syncHandOff === false ? undefined : requeue,
      (task, reply) => this.enqueueOnRedis(task, reply),
      options.lostCheckEveryMs,
    );
    this.blocking = new BlockingPool(this.cmd, this.onError);
    const every = options.sweepEveryMs ?? Math.min(1000, this.visibilityMs / 2);
    if (every > 0) {
      this.sweeper = setInterval(() => void this.sweep().catch((err: unknown) => this.onError(err instanceof Error ? err : new Error(String(err)))), every);
      this.sweeper.unref();
    }
  }

  /** Resolves when the result subscription is live; rejects when Redis cannot be reached. */
  async ready(): Promise<void> {
    await redisCall(this.cmd, 'connect', () => this.results.ready());
  }

  async enqueue(task: TaskMessage): Promise<number | null> {
    if (this.closed) throw new Error('broker closed');
    if (!isQueue(task.queue)) throw new Error(`queue ${String(task.queue)} is not one of the queues 0-15`);
    // Claimed before the first await: a waiter registered just before is written by this script.
    const reply = this.results.claimReply(task.id);
    await this.ready();
    const json = JSON.stringify(task);
    // A sync call with a unit offering itself for its queue goes to it straight (`hand-offs.ts`).
    if (reply?.direct && canHandOff(task) && this.results.handOff(task, reply, json)) return null;
    return this.enqueueOnRedis(task, reply, json);
  }

  private async enqueueOnRedis(task: TaskMessage, reply: ClaimedReply | undefined, json = JSON.stringify(task)): Promise<number | null> {
    const k = this.keys;
    const q = task.queue;
    // A waiter that takes its result straight: the worker finds where in the message.
    const message = reply?.direct ? `${json.slice(0, -1)},"replyTo":${JSON.stringify(reply.direct)}}` : json;
    if (reply) this.results.enqueuedOnRedis(task, reply);
    corkForTick(this.cmd);
    const place = await redisCall(this.cmd, 'enqueue', () =>
      runScript(
        this.cmd,
        'enqueue',
        k.msg,
        k.att,
        k.ready(q),
        k.delayed(q),
        k.wake(q),
        k.reply(task.id),
        k.due,
        k.waiting(q),
        task.id,
        message,
        task.attempt ?? 0,
        task.eta ?? '',
        Math.floor(this.now()),
        reply?.channel ?? '',
        reply?.ttlMs ?? 0,
      ),
    );
    return Number(place) > 0 ? Number(place) : null;
  }

  /** ZRANK in the queue's `waiting` zset (O(log n)); null when not there or still delayed. */
  async queuePosition(taskId: string, queue: number): Promise<number | null> {
    if (!isQueue(queue)) return null;
    const key = this.keys.waiting(queue);
    const r = await redisCall(this.cmd, 'queuePosition', () => this.cmd.pipeline().zscore(key, taskId).zrank(key, taskId).exec());
    const score = r?.[0]?.[1];
    const rank = r?.[1]?.[1];
    if (score === null || score === undefined || rank === null || rank === undefined || Number(score) > this.now()) return null;
    return Number(rank) + 1;
  }

  async reserve(queues: readonly number[], consumerId: string, waitMs: number, signal?: AbortSignal): Promise<Delivery | null> {
    return (await this.reserveBatch(queues, consumerId, 1, waitMs, signal))[0] ?? null;
  }

  async reserveBatch(queues: readonly number[], consumerId: string, max: number, waitMs: number, signal?: AbortSignal, options?: { waitFirst?: boolean }): Promise<Delivery[]> {
    const qs = [...new Set(queues)].filter(isQueue);
    if (qs.length === 0 || this.closed) return [];
    const { keys, wakeKeys } = this.reserveKeys(qs);
    const until = Date.now() + waitMs;
    const count = Math.max(1, Math.min(Math.floor(max), MAX_BATCH));
    // Waiting first is safe: a queue found empty has no task without a wake token (enqueue
    // pushes one whenever its wake list is shorter than its ready list).
    let look = options?.waitFirst !== true;
    for (;;) {
      if (look) {
        const deliveries = await this.tryReserve(keys, qs, consumerId, count);
        if (deliveries.length > 0) return deliveries;
      }
      look = false;
      const left = until - Date.now();
      if (left <= 0 || signal?.aborted || this.closed) return [];
      // Block on the wake lists with the reserve right behind: one round trip per wake-up. The
      // popped token's queue is unknown to the script (-1): it re-wakes every queue left with tasks.
      const now = Math.floor(this.now());
      const reply = await this.blocking.waitThen(
        wakeKeys,
        Math.min(left, this.blockSliceMs),
        (conn) => runScript(conn, 'reserve', keys.length, ...keys, now, now + this.visibilityMs, JSON.stringify(consumerId), -1, count),
        signal,
      );
      if (reply === undefined || this.closed) return [];
      const deliveries = this.deliveries(reply, qs);
      if (deliveries.length > 0) return deliveries;
    }
  }

  /**
   * The reserve script's keys and the wake lists of a set of queues, built once: a worker reserves
   * from the same queues every time, and for all 16 that is 68 key strings a reserve (garbage a
   * busy worker made per task).
   */
  private reserveKeys(qs: readonly number[]): { keys: string[]; wakeKeys: string[] } {
    const id = qs.join(',');
    let found = this.reserveKeysOf.get(id);
    if (!found) {
      const k = this.keys;
      found = { keys: [k.msg, k.att, k.hist, k.due, ...qs.flatMap((q) => [k.ready(q), k.inflight(q), k.wake(q), k.waiting(q)])], wakeKeys: qs.map((q) => k.wake(q)) };
      if (this.reserveKeysOf.size >= MAX_KEY_SETS) this.reserveKeysOf.clear();
      this.reserveKeysOf.set(id, found);
    }
    return found;
  }

  private async tryReserve(keys: string[], qs: number[], consumerId: string, max: number): Promise<Delivery[]> {
    const now = Math.floor(this.now());
    const r = await redisCall(this.cmd, 'reserve', () => runScript(this.cmd, 'reserve', keys.length, ...keys, now, now + this.visibilityMs, JSON.stringify(consumerId), 0, max));
    return this.deliveries(r, qs);
  }

  /** The reserve script's reply as deliveries. */
  private deliveries(reply: unknown, qs: number[]): Delivery[] {
    const r = reply as (number | string)[] | null;
    if (!r) return [];
    const out: Delivery[] = [];
    for (let j = 0; j + 3 < r.length; j += 4) {
      const i = Number(r[j]);
      const mid = String(r[j + 1]);
      const attempt = Number(r[j + 3]);
      const task = JSON.parse(String(r[j + 2])) as TaskMessage & { replyTo?: ReplyRoute };
      delete task.eta;
      const replyTo = task.replyTo;
      const receipt = `${qs[i - 1]!}:${attempt}:${mid}`;
      if (replyTo) {
        this.results.noteReplyTo(task.id, replyTo);
        delete task.replyTo;
        out.push({ task, attempt, receipt, replyTo });
      } else out.push({ task, attempt, receipt });
    }
    return out;
  }

  private parseReceipt(receipt: string): { q: number; attempt: string; mid: string } {
    const m = /^(\d+):(\d+):(.+)$/.exec(receipt);
    if (!m) throw new Error(`not a Redis broker receipt: ${receipt}`);
    return { q: Number(m[1]), attempt: m[2]!, mid: m[3]! };
  }

  /**
   * Acks issued in the same tick (a batch of finished tasks) leave as one `ack-var` call; each
   * promise settles with that call.
   */
  ack(delivery: Delivery): Promise<void> {
    this.results.forgetReplyTo(delivery.task.id);
    if (delivery.receipt.startsWith(HANDED)) {
      this.results.taker.settle(delivery.task.id, 'done');
      this.countDone(delivery.task.queue);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.pendingAcks.push({ ...this.parseReceipt(delivery.receipt), resolve, reject });
      if (this.pendingAcks.length === 1) process.nextTick(() => this.flushAcks());
    });
  }

  private flushAcks(): void {
    const k = this.keys;
    const second = Math.floor(this.now() / 1000);
    while (this.pendingAcks.length > 0) {
      const batch = this.pendingAcks.splice(0, MAX_ACK_BATCH);
      const qs = [...new Set(batch.map((a) => a.q))];
      const keys = [k.msg, k.att, k.hist, ...qs.flatMap((q) => [k.inflight(q), k.done(q), k.rate(q, second)])];
      const args = batch.flatMap((a) => [qs.indexOf(a.q) + 1, a.mid, a.attempt]);
      redisCall(this.cmd, 'ack', () => runScript(this.cmd, 'ack', keys.length, ...keys, RATE_TTL_MS, ...args)).then(
        () => batch.forEach((a) => a.resolve()),
        (err: unknown) => batch.forEach((a) => a.reject(err)),
      );
    }
  }

  async release(delivery: Delivery): Promise<void> {
    this.results.forgetReplyTo(delivery.task.id);
    if (delivery.receipt.startsWith(HANDED)) return this.results.taker.settle(delivery.task.id, 'release');
    const { q, attempt, mid } = this.parseReceipt(delivery.receipt);
    const k = this.keys;
    await redisCall(this.cmd, 'release', () => runScript(this.cmd, 'release', k.att, k.ready(q), k.inflight(q), k.wake(q), k.waiting(q), mid, attempt, this.maxDeliveries));
  }

  async cancel(taskId: string, queue: number): Promise<boolean> {
    if (!isQueue(queue)) return false;
    const k = this.keys;
    const n = await redisCall(this.cmd, 'cancel', () => runScript(this.cmd, 'cancel', k.msg, k.att, k.hist, k.ready(queue), k.delayed(queue), k.waiting(queue), taskId));
    return n === 1;
  }

  async extend(delivery: Delivery): Promise<void> {
    // A handed task has no reservation: the server keeps it while the connection lives.
    if (delivery.receipt.startsWith(HANDED)) return;
    const { q, attempt, mid } = this.parseReceipt(delivery.receipt);
    await redisCall(this.cmd, 'extend', () => runScript(this.cmd, 'extend', this.keys.inflight(q), this.keys.att, mid, attempt, Math.floor(this.now()) + this.visibilityMs));
  }

  async retry(delivery: Delivery, next: TaskMessage): Promise<boolean> {
    if (!isQueue(next.queue)) throw new Error(`queue ${String(next.queue)} is not one of the queues 0-15`);
    if (delivery.receipt.startsWith(HANDED)) throw new Error(`task ${delivery.task.id} was handed straight to this unit: it has no retries`);
    this.results.forgetReplyTo(delivery.task.id);
    const { q, attempt, mid } = this.parseReceipt(delivery.receipt);
    const k = this.keys;
    const n = next.queue;
    const eta = next.eta === undefined ? '' : Math.floor(next.eta);
    const out = await redisCall(this.cmd, 'retry', () =>
      runScript(
        this.cmd,
        'retry',
        k.inflight(q),
        k.msg,
        k.att,
        k.hist,
        k.done(q),
        k.ready(n),
        k.delayed(n),
        k.wake(n),
        k.due,
        k.waiting(n),
        mid,
        attempt,
        JSON.stringify(next),
        eta,
        Math.floor(this.now()),
      ),
    );
    return out !== 0;
  }

  async bury(delivery: Delivery, reason: string): Promise<boolean> {
    if (delivery.receipt.startsWith(HANDED)) throw new Error(`task ${delivery.task.id} was handed straight to this unit: it has no retries`);
    this.results.forgetReplyTo(delivery.task.id);
    const { q, attempt, mid } = this.parseReceipt(delivery.receipt);
    const k = this.keys;
    const out = await redisCall(this.cmd, 'bury', () =>
      runScript(this.cmd, 'bury', k.inflight(q), k.msg, k.att, k.hist, k.done(q), k.dead, mid, attempt, Math.floor(this.now()), JSON.stringify(reason), this.deadLetterLimit, q),
    );
    return typeof out === 'string';
  }

  /** Each entry is removed with LREM of its exact text: of two servers taking it, one removes it (1) and the other finds it gone (0). */
  async takeDeadLetters(taskIds: readonly string[]): Promise<DeadLetterEntry[]> {
    const wanted = new Set(taskIds);
    if (wanted.size === 0) return [];
    const entries = await redisCall(this.cmd, 'deadLetters', () => this.cmd.lrange(this.keys.dead, 0, -1));
    const out: DeadLetterEntry[] = [];
    for (const text of entries) {
      const entry = parseDeadLetter(text);
      if (!wanted.has(entry.taskId)) continue;
      wanted.delete(entry.taskId);
      const removed = await redisCall(this.cmd, 'takeDeadLetter', () => this.cmd.lrem(this.keys.dead, 1, text));
      if (removed === 1) out.push(entry);
    }
    return out;
  }

  /** Workers: `consumer` takes sync tasks servers hand it straight (`hand-offs.ts`); undefined: no more. */
  serveHandOffs(consumer: HandOffConsumer | undefined): void {
    this.results.serveHandOffs(consumer);
  }

  /**
   * A handed task finished: counted in its queue's `done` and per-second rate as the ack script
   * counts the others; the acks of one tick (the outcomes of one record commit) in one write.
   */
  private countDone(queue: number): void {
    if (this.doneCounts.size === 0) process.nextTick(() => this.flushDoneCounts());
    this.doneCounts.set(queue, (this.doneCounts.get(queue) ?? 0) + 1);
  }

  private flushDoneCounts(): void {
    if (this.doneCounts.size === 0) return;
    const k = this.keys;
    const second = Math.floor(this.now() / 1000);
    const pipe = this.cmd.pipeline();
    for (const [q, n] of this.doneCounts) pipe.incrby(k.done(q), n).incrby(k.rate(q, second), n).pexpire(k.rate(q, second), RATE_TTL_MS);
    this.doneCounts.clear();
    void execPipeline(this.cmd, 'countDone', pipe).catch((err: unknown) => this.onError(err instanceof Error ? err : new Error(String(err))));
  }

  publishResult(result: ResultMessage): Promise<void> {
    return this.results.publish(result);
  }

  waitResult(taskId: string, timeoutMs: number): { promise: Promise<ResultMessage | null>; cancel: () => void } {
    return this.results.wait(taskId, timeoutMs);
  }

  /**
   * Move due delayed tasks to their queues and expired reservations back (or to the dead letters).
   * Only the queues the `due` index names as due are looked at (one ZRANGEBYSCORE when none is);
   * every queue at the first sweep, every FULL_SWEEP_EVERY_MS after and when `full`.
   */
  async sweep(options?: { full?: boolean }): Promise<SweepResult> {
    const k = this.keys;
    const now = Math.floor(this.now());
    let queues: readonly number[] = QUEUES;
    if (options?.full !== true && now - this.lastFullSweep < FULL_SWEEP_EVERY_MS && now >= this.lastFullSweep) {
      const due = await redisCall(this.cmd, 'sweep', () => this.cmd.zrangebyscore(k.due, '-inf', now));
      queues = due.map((key) => this.queueOfReady.get(key)).filter((q): q is number => q !== undefined);
      if (queues.length === 0) return { promoted: 0, requeued: 0, dead: [] };
    } else {
      this.lastFullSweep = now;
    }
    const pipe = this.cmd.pipeline();
    for (const q of queues) {
      pipeScript(
        pipe,
        'sweep',
        k.ready(q),
        k.inflight(q),
        k.delayed(q),
        k.wake(q),
        k.msg,
        k.att,
        k.hist,
        k.dead,
        k.due,
        now,
        this.maxDeliveries,
        this.deadLetterLimit,
        SWEEP_BATCH,
        q,
      );
    }
    const replies = await execPipeline(this.cmd, 'sweep', pipe);
    const out: SweepResult = { promoted: 0, requeued: 0, dead: [] };
    for (const reply of replies) {
      const [promoted, requeued, ...dead] = reply as [number, number, ...string[]];
      out.promoted += promoted;
      out.requeued += requeued;
      for (const entry of dead) out.dead.push(parseDeadLetter(entry));
    }
    for (const d of out.dead) {
      try {
        this.options.onDeadLetter?.(d);
      } catch (err) {
        this.onError(err instanceof Error ? err : new Error(String(err)));
      }
    }
    return out;
  }

  async stats(): Promise<QueueStats[]> {
    const k = this.keys;
    const pipe = this.cmd.pipeline();
    for (const q of QUEUES) pipe.llen(k.ready(q)).zcard(k.delayed(q)).zcard(k.inflight(q)).get(k.done(q));
    const replies = await execPipeline(this.cmd, 'stats', pipe);
    const value = (i: number): number => Number(replies[i] ?? 0);
    return QUEUES.map((q) => ({ queue: q, length: value(q * 4), delayed: value(q * 4 + 1), inFlight: value(q * 4 + 2), done: value(q * 4 + 3) }));
  }

  /** Acked tasks per second over the last `windowS` whole seconds, per queue (index = queue). */
  async throughput(windowS = 10): Promise<number[]> {
    const k = this.keys;
    const second = Math.floor(this.now() / 1000);
    const seconds = Array.from({ length: windowS }, (_, i) => second - 1 - i);
    const pipe = this.cmd.pipeline();
    for (const q of QUEUES) pipe.mget(seconds.map((s) => k.rate(q, s)));
    const replies = await execPipeline(this.cmd, 'throughput', pipe);
    return replies.map((v) => (v as (string | null)[]).reduce((sum, x) => sum + Number(x ?? 0), 0) / windowS);
  }

  /** The newest dead letters first: one LRANGE of `P dead` (LPUSHed by the sweep). */
  async deadLetters(limit: number): Promise<DeadLetterEntry[]> {
    const n = Math.floor(limit);
    if (!(n > 0)) return [];
    const entries = await redisCall(this.cmd, 'deadLetters', () => this.cmd.lrange(this.keys.dead, 0, n - 1));
    return entries.map(parseDeadLetter);
  }

  /** Servers: the hand-offs so far (`func_sync_handoffs_total`), those not finished, the units offering themselves now. */
  handOffStats(): HandOffStats {
    return this.results.handOffs;
  }

  /** Sync callers waiting on this instance. */
  get waitingResults(): number {
    return this.results.waiting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.doneCounts.size > 0) this.flushDoneCounts();
    this.blocking.close();
    await this.results.close();
    if (this.ownsConnection) await closeRedis(this.cmd);
  }
}
