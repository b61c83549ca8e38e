/**
 * Sync results over Redis: each broker instance subscribes to its own channel
 * (`<prefix>results:<instanceId>`). A waiter's channel is written under the task's reply key
 * (`reply:<taskId>`, expiring with the wait) before any worker can see the task: by the enqueue
 * script itself when the task is enqueued in the same tick as the wait starts, else by a SET
 * sent on the command connection before the enqueue. The worker's `publishResult` script reads
 * that key and publishes there. Many waiters share
 * one subscription; each is bounded by its own timer.
 *
 * No missed results: when the publish reached nobody (our subscription was reconnecting), the
 * script keeps a copy under `result:<taskId>` for a while, and after resubscribing we fetch the
 * copies of everything still waited for.
 *
 * No lost sync tasks: a Redis that restarted empty lost the tasks enqueued there for our waiters
 * (their record is the worker's to write: nothing else knows them). After resubscribing, a waited
 * task whose body, reply key and result copy are all gone is enqueued again from the message we
 * kept (`enqueuedOnRedis`), with its reply key for the rest of the wait: the caller gets its run.
 * A `FLUSHALL` (or a failover to an empty replica) keeps the connections up, so while any such
 * task is kept the same check also runs every `lostCheckEveryMs` on those kept that long.
 *
 * With `replyHost` (servers), results also come straight from the worker (`direct-replies.ts`):
 * the task of a waiter registered with the enqueue carries this instance's listener address, and
 * the worker that reserves it sends the result there when it has a verified connection, else
 * through Redis as above.
 */
import type { Redis } from 'ioredis';
import type { ResultMessage } from '../../../domain/ports/broker.js';
import type { BrokerKeys } from './redis-keys.js';
import type { HandOffConsumer, HandOffStats, ReplyRoute } from '../../../domain/ports/broker.js';
import { ReplyListener, ReplySender } from './direct-replies.js';
import { HandOffDesk, HandOffTaker, NO_HANDOFFS, type ClaimedReply } from './hand-offs.js';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import { closeRedis, execPipeline, redisCall } from './redis-connection.js';
import { runScript } from './redis-scripts.js';

type Finish = (r: ResultMessage | null) => void;

/** How long a result published just before the lost-task check has to arrive. */
const LOST_CHECK_GRACE_MS = 200;
/**
 * How often, while sync tasks are kept for waiters, those kept at least this long are looked for
 * on Redis (nothing else tells a `FLUSHALL` that keeps the connections).
 */
export const LOST_CHECK_EVERY_MS = 3_000;

export class RedisResults {
  readonly channel: string;
  private readonly sub: Redis;
  private readonly waiters = new Map<string, Set<Finish>>();
  /** Waiters of this tick whose reply key is not written yet: task id → TTL ms. */
  private readonly unclaimed = new Map<string, number>();
  private connectedOnce = false;
  /** This instance's listener for results sent straight by workers (servers only). */
  private readonly listener: ReplyListener | undefined;
  /** Settles once the listener is up (or could not start); never rejects. */
  private listening: Promise<void> | undefined;
  private direct: ReplyRoute | undefined;
  private readonly sender: ReplySender;
  /** Servers: the sync tasks handed straight to worker units (`hand-offs.ts`). */
  private readonly desk: HandOffDesk | undefined;
  /** Workers: the unit that takes tasks handed by servers. */
  readonly taker: HandOffTaker;
  /** Reserved tasks whose waiter takes its result straight: task id → where. */
  private readonly replyTo = new Map<string, ReplyRoute>();
  private readonly replyKeysToDrop: string[] = [];
  /** Sync tasks enqueued on Redis whose waiter still waits: task id → message, claim, when. */
  private readonly onRedis = new Map<string, { task: TaskMessage; reply: ClaimedReply; at: number }>();
  /** The periodic lost-task check, set only while `onRedis` holds something. */
  private lostTimer: NodeJS.Timeout | undefined;
  /** The lost-task check running now (a reconnect's or a periodic one): one at a time. */
  private lostCheck: Promise<void> = Promise.resolve();
  private subscribed = false;
  private subscribing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly cmd: Redis,
    private readonly keys: BrokerKeys,
    instanceId: string,
    private readonly fallbackTtlMs: number,
    private readonly onError: (err: Error) => void,
    private readonly replyHost?: string,
    /** Enqueue on Redis a handed task that came back (`HandOffDesk`). */
    requeue?: (task: TaskMessage, reply: ClaimedReply, delivered: boolean) => void,
    /** Enqueue again on Redis a waited task that Redis lost (`recover`). */
    private readonly reenqueue?: (task: TaskMessage, reply: ClaimedReply) => Promise<unknown>,
    private readonly lostCheckEveryMs: number = LOST_CHECK_EVERY_MS,
  ) {
    this.channel = keys.resultsChannel(instanceId);
    this.taker = new HandOffTaker(() => this.sender.ready());
    this.sender = new ReplySender(this.taker);
    if (replyHost !== undefined) {
      const desk = requeue ? new HandOffDesk(requeue) : undefined;
      this.desk = desk;
      this.listener = new ReplyListener((message) => {
        const taskId = this.onMessage(message);
        if (taskId !== undefined) this.dropReplyKey(taskId);
      }, desk);
    }
    this.sub = cmd.duplicate({ connectionName: `func-results:${instanceId}`, enableAutoPipelining: false });
    this.sub.on('error', onError);
    this.sub.on('message', (_channel: string, message: string) => {
      const taskId = this.onMessage(message);
      if (taskId !== undefined) this.dropReplyKey(taskId);
    });
    this.sub.on('ready', () => {
      if (this.connectedOnce) void this.recover().catch(onError);
      this.connectedOnce = true;
    });
    void this.ready().catch(() => undefined);
  }

  /**
   * Resolves once the subscription is live (enqueue waits for it). A failed first subscribe
   * (Redis down at start) is tried again on the next call; after that ioredis resubscribes by
   * itself on every reconnect.
   */
  ready(): Promise<void> {
    if (this.listener && !this.listening) {
      // A listener that cannot start (the host is not this machine's) leaves results on Redis.
      this.listening = this.listener.listen(this.replyHost!).then(
        (address) => {
          this.direct = address;
        },
        (err: unknown) => {
          this.onError(new Error(`results sent straight by workers are off: cannot listen on ${this.replyHost!}: ${String(err)}`));
        },
      );
    }
    // Called before every enqueue: once up, no new promise per call.
    if (this.subscribed) return this.listening ?? Promise.resolve();
    this.subscribing ??= Promise.all([this.sub.subscribe(this.channel), this.listening]).then(
      () => {
        this.subscribed = true;
        this.subscribing = undefined;
      },
      (err: unknown) => {
        this.subscribing = undefined;
        throw err;
      },
    );
    return this.subscribing;
  }

  /**
   * Hands a result to its waiters; answers its task id, undefined when it is not a result or its
   * task was handed straight to a unit (no enqueue wrote a reply key for it).
   */
  private onMessage(message: string): string | undefined {
    let result: ResultMessage;
    try {
      result = JSON.parse(message) as ResultMessage;
    } catch {
      return undefined;
    }
    if (typeof result !== 'object' || result === null || typeof result.taskId !== 'string') return undefined;
    const set = this.waiters.get(result.taskId);
    if (set) for (const finish of [...set]) finish(result);
    return this.desk?.resulted(result.taskId) === true ? undefined : result.taskId;
  }

  /**
   * A result that came straight from the worker left its reply key, and one published through
   * Redis left it empty (the publish script's mark that the task is answered, for the lost-task
   * check): once the result is here, drop those keys in one UNLINK per 100 ms rather than leave
   * them to their TTL.
   */
  private dropReplyKey(taskId: string): void {
    this.replyKeysToDrop.push(this.keys.reply(taskId));
    if (this.replyKeysToDrop.length > 1) return;
    setTimeout(() => {
      const keys = this.replyKeysToDrop.splice(0);
      if (!this.closed && keys.length > 0) void this.cmd.unlink(...keys).catch(() => undefined);
    }, 100).unref();
  }

  /** After a reconnect: make sure we are subscribed, then collect results published meanwhile. */
  private async recover(): Promise<void> {
    if (this.closed) return;
    await this.sub.subscribe(this.channel);
    const ids = [...this.waiters.keys()];
    if (ids.length === 0) return;
    const copies = await this.cmd.mget(ids.map((id) => this.keys.result(id)));
    copies.forEach((copy) => {
      if (copy !== null) this.onMessage(copy);
    });
    await this.checkLost(0);
  }

  /** `reenqueueLost` for the tasks kept at least `minAgeMs`, after any check still running. */
  private checkLost(minAgeMs: number): Promise<void> {
    const run = this.lostCheck.then(() => this.reenqueueLost(minAgeMs));
    this.lostCheck = run.catch(() => undefined);
    return run;
  }

  /**
   * Every `lostCheckEveryMs` while tasks are kept (armed by `enqueuedOnRedis`, not re-armed once
   * nothing is): a Redis emptied under live connections loses them with no reconnect to tell.
   */
  private async periodicLostCheck(): Promise<void> {
    try {
      // With the subscription down, results wait in their copies for `recover`, which checks then.
      if (!this.closed && this.cmd.status === 'ready' && this.sub.status === 'ready' && this.subscribed) await this.checkLost(this.lostCheckEveryMs);
    } catch (err) {
      if (!this.closed) this.onError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.lostTimer = undefined;
      if (!this.closed && this.onRedis.size > 0) this.armLostCheck();
    }
  }

  private armLostCheck(): void {
    this.lostTimer = setTimeout(() => void this.periodicLostCheck(), this.lostCheckEveryMs);
    this.lostTimer.unref();
  }

  /**
   * The tasks of our waiters (kept at least `minAgeMs`) that Redis no longer knows (no body, no
   * reply key, no result copy: it restarted or was flushed empty) go to Redis again. A result
   * published just before the check is on its way (on the subscription, or straight): only those
   * still waited for a moment later are enqueued again.
   */
  private async reenqueueLost(minAgeMs: number): Promise<void> {
    const reenqueue = this.reenqueue;
    const before = Date.now() - minAgeMs;
    const entries = [...this.onRedis.values()].filter((e) => e.at <= before && this.waiters.has(e.task.id));
    if (!reenqueue || entries.length === 0) return;
    // One round trip; HEXISTS, not HMGET: a body can be large (files sent with a call).
    const pipeline = this.cmd.pipeline();
    for (const { task } of entries) pipeline.hexists(this.keys.msg, task.id).exists(this.keys.reply(task.id), this.keys.result(task.id));
    const found = await execPipeline(this.cmd, 'lost sync tasks', pipeline);
    const lost = entries.filter((_e, i) => found[2 * i] === 0 && found[2 * i + 1] === 0);
    if (lost.length === 0) return;
    // Then the socket reads due meanwhile (poll phase) before going on (check phase): a loop
    // held up past the grace still hands out the results that arrived in it first.
    await new Promise((r) => setTimeout(() => setImmediate(r), LOST_CHECK_GRACE_MS));
    for (const { task, reply, at } of lost) {
      if (this.closed || !this.waiters.has(task.id)) continue;
      const ttlMs = reply.ttlMs - (Date.now() - at);
      if (ttlMs <= 0) continue;
      await reenqueue(task, { ...reply, ttlMs });
    }
  }

  /**
   * A sync task went to Redis for a waiter of ours: kept until its waiter is done, for `recover`
   * and the periodic check (armed here when nothing was kept: no Redis command on this path).
   */
  enqueuedOnRedis(task: TaskMessage, reply: ClaimedReply): void {
    if (!this.waiters.has(task.id) || this.onRedis.has(task.id)) return;
    this.onRedis.set(task.id, { task, reply, at: Date.now() });
    if (this.lostTimer === undefined && !this.closed && this.lostCheckEveryMs > 0) this.armLostCheck();
  }

  wait(taskId: string, timeoutMs: number): { promise: Promise<ResultMessage | null>; cancel: () => void } {
    let finish: Finish = () => undefined;
    const replyKey = this.keys.reply(taskId);
    const promise = new Promise<ResultMessage | null>((resolve) => {
      let done = false;
      const timer = setTimeout(() => finish(null), timeoutMs);
      finish = (r) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        const set = this.waiters.get(taskId);
        set?.delete(finish);
        if (set?.size === 0) {
          this.waiters.delete(taskId);
          this.onRedis.delete(taskId);
        }
        resolve(r);
      };
      const set = this.waiters.get(taskId) ?? new Set<Finish>();
      set.add(finish);
      this.waiters.set(taskId, set);
    });
    if (this.closed) finish(null);
    else {
      // The reply key is set by the enqueue script when the caller enqueues the task in this
      // tick (`claimReply`, the usual case: one command instead of two); otherwise by a SET
      // issued before anything the caller sends later on the same connection.
      this.unclaimed.set(taskId, Math.max(1, Math.ceil(timeoutMs)));
      if (this.unclaimed.size === 1) process.nextTick(() => this.writeUnclaimed());
    }
    return {
      promise,
      cancel: () => {
        finish(null);
        this.unclaimed.delete(taskId);
        if (!this.closed) void this.cmd.del(replyKey).catch(() => undefined);
      },
    };
  }

  /**
   * The reply registration of a waiter started in this tick, for the enqueue script to write
   * (then nobody else does): the channel and the key's TTL in ms, or undefined.
   */
  claimReply(taskId: string): { channel: string; ttlMs: number; direct: ReplyRoute | undefined } | undefined {
    const ttlMs = this.unclaimed.get(taskId);
    if (ttlMs === undefined) return undefined;
    this.unclaimed.delete(taskId);
    return { channel: this.channel, ttlMs, direct: this.direct };
  }

  /**
   * A reserved task's waiter takes its result at `to` (from the task message). A unit that takes
   * handed tasks connects there now, to offer itself to that server.
   */
  noteReplyTo(taskId: string, to: ReplyRoute): void {
    this.replyTo.set(taskId, to);
    if (this.taker.serving) this.sender.connect(to);
  }

  /** Workers: `consumer` takes the sync tasks servers hand straight; undefined withdraws it. */
  serveHandOffs(consumer: HandOffConsumer | undefined): void {
    this.taker.serve(
      consumer && {
        queues: consumer.queues,
        slots: consumer.slots,
        take: (d) => {
          // Its result goes back by this connection when the Python process does not send it.
          if (d.replyTo) this.replyTo.set(d.task.id, d.replyTo);
          if (consumer.take(d)) return true;
          this.replyTo.delete(d.task.id);
          return false;
        },
      },
    );
  }

  /**
   * Servers: write a sync task to a unit that offered itself for its queue and has a free slot;
   * false when none has (the caller enqueues it). `reply` is what the enqueue claimed.
   */
  handOff(task: TaskMessage, reply: ClaimedReply, json: string): boolean {
    if (!this.desk || !reply.direct) return false;
    return this.desk.handOff(task, reply, `!run ${json.slice(0, -1)},"replyTo":${JSON.stringify(reply.direct)}}\n`);
  }

  /** This server's hand-offs: so far, not finished, given back, units offering themselves. */
  get handOffs(): HandOffStats {
    return this.desk?.stats() ?? NO_HANDOFFS;
  }

  /** The task is finished here (acked): nothing more to send for it. */
  forgetReplyTo(taskId: string): void {
    this.replyTo.delete(taskId);
  }

  /** SET the reply keys no enqueue claimed (before anything else this instance sends). */
  private writeUnclaimed(): void {
    for (const [taskId, ttlMs] of this.unclaimed) void this.cmd.set(this.keys.reply(taskId), this.channel, 'PX', ttlMs).catch(() => undefined);
    this.unclaimed.clear();
  }

  async publish(result: ResultMessage): Promise<void> {
    // A result published by this instance for a wait of this same tick finds the key in place.
    if (this.unclaimed.size > 0) this.writeUnclaimed();
    const message = JSON.stringify(result);
    const to = this.replyTo.get(result.taskId);
    if (to) {
      this.replyTo.delete(result.taskId);
      if (this.sender.send(to, message)) return;
    }
    await redisCall(this.cmd, 'publishResult', () =>
      runScript(this.cmd, 'publishResult', this.keys.reply(result.taskId), this.keys.result(result.taskId), message, this.fallbackTtlMs),
    );
  }

  /** Waiting on this server now. */
  get waiting(): number {
    let n = 0;
    for (const s of this.waiters.values()) n += s.size;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.lostTimer);
    this.listener?.close();
    this.sender.close();
    for (const set of [...this.waiters.values()]) for (const finish of [...set]) finish(null);
    await closeRedis(this.sub);
  }
}
