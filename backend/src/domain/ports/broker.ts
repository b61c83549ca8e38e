/**
 * Port: the broker carries tasks between producers (server, beat) and worker units, and the
 * results back to a waiting caller. Embedded (in-process) and Redis implement it; one contract
 * suite runs against both.
 *
 * Delivery is at-least-once: `reserve` hands a task to one consumer, which `ack`s it when the
 * outcome is stored. A reservation not acked within the visibility timeout is delivered again.
 */
import type { TaskMessage } from '../tasks/task.js';

/** Where a waiting server takes sync results straight from whoever has them (a loopback listener). */
export interface ReplyRoute {
  host: string;
  port: number;
  token: string;
}

export interface Delivery {
  readonly task: TaskMessage;
  /** Opaque handle for ack/extend. */
  readonly receipt: string;
  /** 1 on the first delivery. */
  readonly attempt: number;
  /** A sync caller's server takes the result here too (the Python process sends it straight). */
  readonly replyTo?: ReplyRoute;
}

export interface QueueStats {
  queue: number;
  /** Waiting, ready to run. */
  length: number;
  /** Delayed (eta in the future). */
  delayed: number;
  /** Reserved by a consumer, not acked yet. */
  inFlight: number;
  /** Acked since the broker started. */
  done: number;
}

/** One delivery of a task: which consumer took it and when. */
export interface DeliveryRecord {
  /** 1 on the first delivery. */
  attempt: number;
  consumer: string;
  /** Epoch ms of the reservation. */
  at: number;
}

/** What every broker is configured with; the defaults are `BROKER_DEFAULTS`, here and nowhere else. */
export interface BrokerOptions {
  /** A reservation not acked or extended for this long is delivered again. */
  visibilityTimeoutMs?: number;
  /** A task delivered this many times without an ack goes to the dead letters. */
  maxDeliveries?: number;
  /** Clock for deadlines and etas (epoch ms). */
  now?: () => number;
  /** Told about each task moved to the dead letters (so its record can say so). */
  onDeadLetter?: (entry: DeadLetterEntry) => void;
}

export const BROKER_DEFAULTS = { visibilityTimeoutMs: 60_000, maxDeliveries: 5 } as const;

/** A task delivered `maxDeliveries` times without an ack, moved out of its queue for good. */
export interface DeadLetterEntry {
  taskId: string;
  funcId: string;
  queue: number;
  /** Deliveries it had (the limit). */
  attempts: number;
  /** Epoch ms when it was dead-lettered. */
  at: number;
  /** Every delivery, oldest first. */
  history: DeliveryRecord[];
  /** The message as it was queued. */
  task: TaskMessage;
  /** Why, when not for its deliveries: a task whose retries were used up (`bury`). */
  reason?: string;
}

/** A published result for a waiting sync caller. */
export interface ResultMessage {
  taskId: string;
  /** JSON-able outcome (the worker's TaskOutcome). */
  payload: unknown;
}

export interface Broker {
  readonly kind: 'embedded' | 'redis';
  /** Queued and reserved tasks survive a crash of any process (Redis); the embedded broker's do not. */
  readonly durable: boolean;
  /**
   * Put a task on its queue (or in the delayed set when `task.eta` is in the future). Answers its
   * place in the queue right after (1 = the next a worker takes; what `queuePosition` would say),
   * or null: delayed, a repeated enqueue of a known id, or handed straight to a waiting consumer.
   */
  enqueue(task: TaskMessage): Promise<number | null>;
  /**
   * Take the next task from any of `queues` (lower index in the list first), waiting up to
   * `waitMs`. Resolves null on timeout or when `signal` aborts.
   */
  reserve(queues: readonly number[], consumerId: string, waitMs: number, signal?: AbortSignal): Promise<Delivery | null>;
  /**
   * Like `reserve`, but takes up to `max` tasks at once (at least one unless the wait ends):
   * one round trip for several tasks when queues are full. Every task is reserved (in flight,
   * visibility deadline running) as it is returned. `waitFirst`: the caller just found the
   * queues empty (its last call returned fewer than it asked for), so wait for a task before
   * looking (saves a round trip that would find nothing). An abort of `signal` ends the wait
   * at once; tasks the broker reserved for this call as the abort came are still returned (the
   * caller runs them), never kept reserved out of sight.
   */
  reserveBatch(queues: readonly number[], consumerId: string, max: number, waitMs: number, signal?: AbortSignal, options?: { waitFirst?: boolean }): Promise<Delivery[]>;
  /**
   * Take a task that waits on `queue` (ready or delayed, not reserved by a consumer) out of the
   * broker for good. True when it was waiting and is gone; false when it is not waiting
   * (reserved, finished, dead-lettered or unknown): nothing changes then.
   */
  cancel(taskId: string, queue: number): Promise<boolean>;
  /** The task is finished (its outcome stored). */
  ack(delivery: Delivery): Promise<void>;
  /**
   * Give back a reserved task this consumer will not run to its end (it is stopping): ready
   * again at once, ahead of its queue, rather than after the visibility timeout. The delivery
   * counts, as a crash's would: a task delivered `maxDeliveries` times is left in flight and goes
   * to the dead letters when its reservation expires. A stale receipt is a no-op.
   */
  release(delivery: Delivery): Promise<void>;
  /** Keep the reservation alive while a long task runs. */
  extend(delivery: Delivery): Promise<void>;
  /**
   * Finish a delivery and queue the task's next attempt `next` (same id, its own eta) in one
   * step: a crash never loses both nor keeps both. The next attempt starts with no deliveries.
   * False for a stale receipt (nothing changes).
   */
  retry(delivery: Delivery, next: TaskMessage): Promise<boolean>;
  /** Finish a delivery and move its task to the dead letters with `reason` (its retries are used up). False for a stale receipt. */
  bury(delivery: Delivery, reason: string): Promise<boolean>;
  /**
   * Take dead letters out for good (to run them again): the entries of `taskIds` that were
   * there, each handed to one caller only (two servers taking the same id: one gets it).
   */
  takeDeadLetters(taskIds: readonly string[]): Promise<DeadLetterEntry[]>;
  /** Hand a result to whoever waits for `taskId` (any server). */
  publishResult(result: ResultMessage): Promise<void>;
  /** Wait for the result of `taskId`; null after `timeoutMs`. Call before enqueueing to never miss it. */
  waitResult(taskId: string, timeoutMs: number): { promise: Promise<ResultMessage | null>; cancel: () => void };
  stats(): Promise<QueueStats[]>;
  /**
   * Where a task waiting ready on `queue` stands: 1 for the next one a consumer takes; null when
   * the broker does not hold it as ready (delayed, reserved, finished, unknown). Cheap at any
   * queue length (no scan): an estimate that tasks cancelled or released meanwhile may shift by
   * their number.
   */
  queuePosition(taskId: string, queue: number): Promise<number | null>;
  /** The newest `limit` dead letters, newest first (every instance's, on a shared broker). */
  deadLetters(limit: number): Promise<DeadLetterEntry[]>;
  /**
   * Optional: `consumer` also takes sync tasks a producer hands it straight, not through the
   * queues, while it has an idle process (`take` answers false otherwise, and the task is
   * enqueued as usual). Its deliveries are acked, released and extended like any other; they
   * have no retries. Undefined withdraws the consumer (a stopping unit).
   */
  serveHandOffs?(consumer: HandOffConsumer | undefined): void;
  /** Optional: the tasks this producer handed straight to consumers (`serveHandOffs`). */
  handOffStats?(): HandOffStats;
  close(): Promise<void>;
}

/** A producer's hand-offs (`Broker.serveHandOffs`): counters since it started, and now. */
export interface HandOffStats {
  /** Sync tasks handed straight to a unit. */
  readonly handed: number;
  /** Of those, enqueued on Redis after all (not taken, released, or the unit went away). */
  readonly requeued: number;
  /** Handed and not finished now. */
  readonly inHand: number;
  /** Units offering themselves now. */
  readonly units: number;
}

/** A worker unit that takes tasks handed straight to it (`Broker.serveHandOffs`). */
export interface HandOffConsumer {
  readonly queues: readonly number[];
  /** Tasks it runs at once (its processes). */
  readonly slots: number;
  /** Start the delivery now; false when no process is idle (the task is enqueued instead). */
  take(delivery: Delivery): boolean;
}

/** DFF.CACHE: Redis-like commands on scoped keys. */
export interface FuncCache {
  command(name: string, args: readonly unknown[]): Promise<unknown>;
  close(): Promise<void>;
}
