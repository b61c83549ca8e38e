/**
 * The in-process broker (embedded mode: every role in one process). Queues are FIFOs in
 * memory; a waiting consumer gets a task handed directly. Reservations not acked within the
 * visibility timeout are delivered again. Durability across restarts comes from the task
 * records: the task is stored before it is enqueued, and unfinished records are re-enqueued on
 * start (see worker/recover-unfinished.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Broker, Delivery, QueueStats, ResultMessage } from '../../../domain/ports/broker.js';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import { QUEUE_COUNT } from '../../../domain/topology/queues.js';
import { Fifo } from './fifo.js';

interface Waiter {
  queues: readonly number[];
  consumerId: string;
  resolve: (d: Delivery | null) => void;
}

interface InFlight {
  delivery: Delivery;
  deadline: number;
}

export interface EmbeddedBrokerOptions {
  /** A reservation not acked or extended for this long is delivered again. */
  visibilityTimeoutMs?: number;
  /** A task delivered this many times without an ack goes to the dead letters. */
  maxDeliveries?: number;
  now?: () => number;
  /** Told about a task moved to the dead letters (so its record can say so). */
  onDeadLetter?: (task: TaskMessage, attempts: number) => void;
}

export class EmbeddedBroker implements Broker {
  readonly kind = 'embedded';
  private readonly queues = Array.from({ length: QUEUE_COUNT }, () => new Fifo<{ task: TaskMessage; attempt: number }>());
  private readonly delayed: { task: TaskMessage; attempt: number }[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly resultWaiters = new Map<string, (r: ResultMessage | null) => void>();
  private readonly done = new Array<number>(QUEUE_COUNT).fill(0);
  readonly deadLetters: { task: TaskMessage; attempts: number; at: number }[] = [];
  private readonly visibilityMs: number;
  private readonly maxDeliveries: number;
  private readonly now: () => number;
  private readonly onDeadLetter: EmbeddedBrokerOptions['onDeadLetter'];
  private readonly sweeper: NodeJS.Timeout;
  private delayTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: EmbeddedBrokerOptions = {}) {
    this.visibilityMs = options.visibilityTimeoutMs ?? 60_000;
    this.maxDeliveries = options.maxDeliveries ?? 5;
    this.now = options.now ?? Date.now;
    this.onDeadLetter = options.onDeadLetter;
    this.sweeper = setInterval(() => this.sweep(), Math.min(1000, this.visibilityMs / 2));
    this.sweeper.unref();
  }

  enqueue(task: TaskMessage): Promise<void> {
    this.put(task, task.attempt ?? 0);
    return Promise.resolve();
  }

  private put(task: TaskMessage, attempt: number): void {
    if (this.closed) throw new Error('broker closed');
    if (task.eta !== undefined && task.eta > this.now()) {
      const i = this.delayed.findIndex((d) => (d.task.eta ?? 0) > (task.eta ?? 0));
      this.delayed.splice(i === -1 ? this.delayed.length : i, 0, { task, attempt });
      this.armDelayTimer();
      return;
    }
    for (const w of this.waiters) {
      if (w.queues.includes(task.queue)) {
        this.waiters.delete(w);
        w.resolve(this.deliver(task, attempt, w.consumerId));
        return;
      }
    }
    this.queues[task.queue]!.push({ task, attempt });
  }

  private deliver(task: TaskMessage, attempt: number, _consumerId: string): Delivery {
    const delivery: Delivery = { task, receipt: randomUUID(), attempt: attempt + 1 };
    this.inFlight.set(delivery.receipt, { delivery, deadline: this.now() + this.visibilityMs });
    return delivery;
  }

  reserve(queues: readonly number[], consumerId: string, waitMs: number, signal?: AbortSignal): Promise<Delivery | null> {
    for (const q of queues) {
      const item = this.queues[q]?.shift();
      if (item) return Promise.resolve(this.deliver(item.task, item.attempt, consumerId));
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

  ack(delivery: Delivery): Promise<void> {
    if (this.inFlight.delete(delivery.receipt)) this.done[delivery.task.queue]! += 1;
    return Promise.resolve();
  }

  extend(delivery: Delivery): Promise<void> {
    const f = this.inFlight.get(delivery.receipt);
    if (f) f.deadline = this.now() + this.visibilityMs;
    return Promise.resolve();
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
    return Promise.resolve(
      this.queues.map((q, i) => ({ queue: i, length: q.length, delayed: delayed[i]!, inFlight: inFlight[i]!, done: this.done[i]! })),
    );
  }

  /** Redeliver expired reservations; dead-letter those delivered too often. */
  sweep(): void {
    const now = this.now();
    for (const [receipt, f] of this.inFlight) {
      if (f.deadline > now) continue;
      this.inFlight.delete(receipt);
      const { task, attempt } = f.delivery;
      if (attempt >= this.maxDeliveries) {
        this.deadLetters.push({ task, attempts: attempt, at: now });
        this.onDeadLetter?.(task, attempt);
      }
      else this.put(task, attempt);
    }
    this.moveDueDelayed();
  }

  private moveDueDelayed(): void {
    const now = this.now();
    while (this.delayed.length > 0 && (this.delayed[0]!.task.eta ?? 0) <= now) {
      const d = this.delayed.shift()!;
      this.put({ ...d.task, eta: undefined }, d.attempt);
    }
    this.armDelayTimer();
  }

  private armDelayTimer(): void {
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    const first = this.delayed[0];
    if (!first || this.closed) return;
    this.delayTimer = setTimeout(() => this.moveDueDelayed(), Math.max(0, (first.task.eta ?? 0) - this.now()));
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
