/**
 * The in-process broker (embedded mode: every role in one process). Queues are FIFOs in
 * memory; a waiting consumer gets a task handed directly. Reservations not acked within the
 * visibility timeout are delivered again. Durability across restarts comes from the task
 * records: the task is stored before it is enqueued, and unfinished records are re-enqueued on
 * start (see worker/recover-unfinished.ts).
 */
import { randomUUID } from 'node:crypto';
import {
  BROKER_DEFAULTS,
  type Broker,
  type BrokerOptions,
  type DeadLetterEntry,
  type Delivery,
  type DeliveryRecord,
  type QueueStats,
  type ResultMessage,
} from '../../../domain/ports/broker.js';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import { QUEUE_COUNT } from '../../../domain/topology/queues.js';
import { Fifo } from './fifo.js';

/**
 * Longest single wait of the delay timer: a later eta re-arms it in steps (setTimeout takes at
 * most 2^31-1 ms; past that Node fires after 1 ms, which made a far eta a 1 ms loop).
 */
export const MAX_TIMER_STEP_MS = 3_600_000;

interface Waiter {
  queues: readonly number[];
  consumerId: string;
  resolve: (d: Delivery | null) => void;
}

/** A task waiting (ready or delayed) with its deliveries so far. */
interface Item {
  task: TaskMessage;
  attempt: number;
  history: DeliveryRecord[];
  /** Place in its queue's order while it waits ready (see queuePosition). */
  seq?: number;
}

interface InFlight {
  delivery: Delivery;
  history: DeliveryRecord[];
  deadline: number;
}

export interface EmbeddedBrokerOptions extends BrokerOptions {
  /** Dead letters kept, the oldest dropped first (default 10,000). In memory: gone on restart. */
  deadLetterLimit?: number;
}

export class EmbeddedBroker implements Broker {
  readonly kind = 'embedded';
  readonly durable = false;
  private readonly queues = Array.from({ length: QUEUE_COUNT }, () => new Fifo<Item>());
  /** Per queue, the sequence number the next task pushed at its tail gets. */
  private readonly nextSeq = new Array<number>(QUEUE_COUNT).fill(0);
  /** Tasks waiting ready, by id (for queuePosition). */
  private readonly waitingById = new Map<string, Item>();
  private readonly delayed: Item[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly resultWaiters = new Map<string, (r: ResultMessage | null) => void>();
  private readonly done = new Array<number>(QUEUE_COUNT).fill(0);
  /** Oldest first. */
  private readonly dead: DeadLetterEntry[] = [];
  private readonly deadLetterLimit: number;
  private readonly visibilityMs: number;
  private readonly maxDeliveries: number;
  private readonly now: () => number;
  private readonly onDeadLetter: EmbeddedBrokerOptions['onDeadLetter'];
  private readonly sweeper: NodeJS.Timeout;
  private delayTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: EmbeddedBrokerOptions = {}) {
    this.visibilityMs = options.visibilityTimeoutMs ?? BROKER_DEFAULTS.visibilityTimeoutMs;
    this.maxDeliveries = options.maxDeliveries ?? BROKER_DEFAULTS.maxDeliveries;
    this.now = options.now ?? Date.now;
    this.onDeadLetter = options.onDeadLetter;
    this.deadLetterLimit = options.deadLetterLimit ?? 10_000;
    this.sweeper = setInterval(() => this.sweep(), Math.min(1000, this.visibilityMs / 2));
    this.sweeper.unref();
  }

  enqueue(task: TaskMessage): Promise<number | null> {
    this.put({ task, attempt: task.attempt ?? 0, history: [] });
    return this.queuePosition(task.id, task.queue);
  }

  private put(item: Item): void {
    if (this.closed) throw new Error('broker closed');
    const { task } = item;
    if (task.eta !== undefined && task.eta > this.now()) {
      const i = this.delayed.findIndex((d) => (d.task.eta ?? 0) > (task.eta ?? 0));
      this.delayed.splice(i === -1 ? this.delayed.length : i, 0, item);
      this.armDelayTimer();
      return;
    }
    for (const w of this.waiters) {
      if (w.queues.includes(task.queue)) {
        this.waiters.delete(w);
        w.resolve(this.deliver(item, w.consumerId));
        return;
      }
    }
    item.seq = this.nextSeq[task.queue]!++;
    this.waitingById.set(task.id, item);
    this.queues[task.queue]!.push(item);
  }

  /** Taken out of a ready queue (reserved or cancelled). */
  private left(item: Item | undefined): Item | undefined {
    if (item) this.waitingById.delete(item.task.id);
    return item;
  }

  /**
   * Position from sequence numbers, no scan: a task's number minus the head's, plus one. Tasks
   * cancelled ahead of it leave gaps, so it may read high by their number until they reach the head.
   */
  queuePosition(taskId: string, queue: number): Promise<number | null> {
    const item = this.waitingById.get(taskId);
    const head = this.queues[queue]?.peek();
    if (!item || item.task.queue !== queue || item.seq === undefined || head?.seq === undefined) return Promise.resolve(null);
    return Promise.resolve(Math.max(1, item.seq - head.seq + 1));
  }

  private deliver(item: Item, consumerId: string): Delivery {
    const now = this.now();
    const delivery: Delivery = { task: item.task, receipt: randomUUID(), attempt: item.attempt + 1 };
    const history = [...item.history, { attempt: delivery.attempt, consumer: consumerId, at: now }];
    this.inFlight.set(delivery.receipt, { delivery, history, deadline: now + this.visibilityMs });
    return delivery;
  }

  reserve(queues: readonly number[], consumerId: string, waitMs: number, signal?: AbortSignal): Promise<Delivery | null> {
    for (const q of queues) {
      const item = this.left(this.queues[q]?.shift());
      if (item) return Promise.resolve(this.deliver(item, consumerId));
    }
    if (waitMs <= 0 || this.closed || signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        queues,
        consumerId,
        resolve: (d) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(d);
        },
      };
      const onAbort = (): void => {
        this.waiters.delete(waiter);
        waiter.resolve(null);
      };
      const timer = setTimeout(onAbort, waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  async reserveBatch(queues: readonly number[], consumerId: string, max: number, waitMs: number, signal?: AbortSignal): Promise<Delivery[]> {
    const first = await this.reserve(queues, consumerId, waitMs, signal);
    if (!first) return [];
    const out = [first];
    while (out.length < max) {
      const more = await this.reserve(queues, consumerId, 0);
      if (!more) break;
      out.push(more);
    }
    return out;
  }

  release(delivery: Delivery): Promise<void> {
    const f = this.inFlight.get(delivery.receipt);
    // Delivered as often as allowed: left in flight, for the sweep to dead-letter it.
    if (f && !this.closed && f.delivery.attempt < this.maxDeliveries) {
      this.inFlight.delete(delivery.receipt);
      const item: Item = { task: f.delivery.task, attempt: f.delivery.attempt, history: f.history };
      const w = [...this.waiters].find((x) => x.queues.includes(item.task.queue));
      if (w) {
        this.waiters.delete(w);
        w.resolve(this.deliver(item, w.consumerId));
      } else {
        // Back at the head: numbered just ahead of it.
        const fifo = this.queues[item.task.queue]!;
        item.seq = (fifo.peek()?.seq ?? this.nextSeq[item.task.queue]!) - 1;
        this.waitingById.set(item.task.id, item);
        fifo.unshift(item);
      }
    }
    return Promise.resolve();
  }

  cancel(taskId: string, queue: number): Promise<boolean> {
    const i = this.delayed.findIndex((d) => d.task.id === taskId);
    if (i !== -1) {
      this.delayed.splice(i, 1);
      this.armDelayTimer();
      return Promise.resolve(true);
    }
    return Promise.resolve(this.left(this.queues[queue]?.remove((item) => item.task.id === taskId)) !== undefined);
  }

  ack(delivery: Delivery): Promise<void> {
    if (this.inFlight.delete(delivery.receipt)) this.done[delivery.task.queue]! += 1;
    return Promise.resolve();
  }

  extend(delivery: Delivery): Promise<void> {
    const f = this.inFlight.get(delivery.receipt);
    if (f) f.deadline = this.now() + this.visibilityMs;
    return Promise.resolve();
  }

  retry(delivery: Delivery, next: TaskMessage): Promise<boolean> {
    if (!this.inFlight.delete(delivery.receipt)) return Promise.resolve(false);
    this.done[delivery.task.queue]! += 1;
    this.put({ task: next, attempt: 0, history: [] });
    return Promise.resolve(true);
  }

  bury(delivery: Delivery, reason: string): Promise<boolean> {
    const f = this.inFlight.get(delivery.receipt);
    if (!f) return Promise.resolve(false);
    this.inFlight.delete(delivery.receipt);
    this.done[delivery.task.queue]! += 1;
    const { task, attempt } = f.delivery;
    this.addDead({ taskId: task.id, funcId: task.funcId, queue: task.queue, attempts: attempt, at: this.now(), history: f.history, task, reason });
    return Promise.resolve(true);
  }

  takeDeadLetters(taskIds: readonly string[]): Promise<DeadLetterEntry[]> {
    const out: DeadLetterEntry[] = [];
    for (const id of taskIds) {
      const i = this.dead.findIndex((d) => d.taskId === id);
      if (i !== -1) out.push(...this.dead.splice(i, 1));
    }
    return Promise.resolve(out);
  }

  private addDead(entry: DeadLetterEntry): void {
    this.dead.push(entry);
    if (this.dead.length > this.deadLetterLimit) this.dead.splice(0, this.dead.length - this.deadLetterLimit);
  }

  publishResult(result: ResultMessage): Promise<void> {
    const waiter = this.resultWaiters.get(result.taskId);
    if (waiter) {
      this.resultWaiters.delete(result.taskId);
      waiter(result);
    }
    return Promise.resolve();
  }

  waitResult(taskId: string, timeoutMs: number): { promise: Promise<ResultMessage | null>; cancel: () => void } {
    let finish: (r: ResultMessage | null) => void = () => undefined;
    const promise = new Promise<ResultMessage | null>((resolve) => {
      const timer = setTimeout(() => finish(null), timeoutMs);
      finish = (r) => {
        clearTimeout(timer);
        this.resultWaiters.delete(taskId);
        resolve(r);
      };
      this.resultWaiters.set(taskId, finish);
    });
    return { promise, cancel: () => finish(null) };
  }

  stats(): Promise<QueueStats[]> {
    const inFlight = new Array<number>(QUEUE_COUNT).fill(0);
    for (const f of this.inFlight.values()) inFlight[f.delivery.task.queue]! += 1;
    const delayed = new Array<number>(QUEUE_COUNT).fill(0);
    for (const d of this.delayed) delayed[d.task.queue]! += 1;
    return Promise.resolve(this.queues.map((q, i) => ({ queue: i, length: q.length, delayed: delayed[i]!, inFlight: inFlight[i]!, done: this.done[i]! })));
  }

  deadLetters(limit: number): Promise<DeadLetterEntry[]> {
    const n = Math.floor(limit);
    return Promise.resolve(n > 0 ? this.dead.slice(-n).reverse() : []);
  }

  /** Redeliver expired reservations; dead-letter those delivered too often. */
  sweep(): void {
    const now = this.now();
    for (const [receipt, f] of this.inFlight) {
      if (f.deadline > now) continue;
      this.inFlight.delete(receipt);
      const { task, attempt } = f.delivery;
      if (attempt >= this.maxDeliveries) {
        const entry: DeadLetterEntry = { taskId: task.id, funcId: task.funcId, queue: task.queue, attempts: attempt, at: now, history: f.history, task };
        this.addDead(entry);
        this.onDeadLetter?.(entry);
      } else this.put({ task, attempt, history: f.history });
    }
    this.moveDueDelayed();
  }

  private moveDueDelayed(): void {
    const now = this.now();
    while (this.delayed.length > 0 && (this.delayed[0]!.task.eta ?? 0) <= now) {
      const d = this.delayed.shift()!;
      this.put({ ...d, task: { ...d.task, eta: undefined } });
    }
    this.armDelayTimer();
  }

  private armDelayTimer(): void {
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    const first = this.delayed[0];
    if (!first || this.closed) return;
    const wait = Math.min(MAX_TIMER_STEP_MS, Math.max(0, (first.task.eta ?? 0) - this.now()));
    this.delayTimer = setTimeout(() => this.moveDueDelayed(), wait);
    this.delayTimer.unref();
  }

  close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    if (this.delayTimer) clearTimeout(this.delayTimer);
    for (const w of this.waiters) w.resolve(null);
    this.waiters.clear();
    for (const finish of [...this.resultWaiters.values()]) finish(null);
    return Promise.resolve();
  }
}
