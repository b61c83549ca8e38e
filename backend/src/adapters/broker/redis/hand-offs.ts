/**
 * Sync calls handed straight from the server to an idle worker unit, skipping Redis on the way
 * out as `direct-replies.ts` skips it on the way back. A worker unit that has taken a sync task
 * through Redis knows the waiting server's listener (the task's `replyTo`); it opens its reply
 * connection there and offers itself: its queues and how many tasks it takes at once (its
 * processes). The server then writes a sync task for one of those queues down that connection
 * instead of enqueueing it, while the unit has a free slot by the server's count; the unit takes
 * it only when a process of its pool is idle, else gives it back at once, and the server enqueues
 * it as before. The server keeps every task it handed until the unit says its outcome is stored
 * (`done`, as an ack): a connection that closes first (the worker crashed or stopped) gets its
 * unfinished tasks enqueued on Redis after a short grace, counted as one delivery. The lines
 * (after the listener's token handshake; results stay lines of JSON):
 *
 *   unit → server   `!offer {"queues":[…],"slots":n}`  (slots 0: no more, the unit is stopping)
 *   server → unit   `!run <task JSON with replyTo>`
 *   unit → server   `!back <task id>`                 not taken: enqueue it
 *   unit → server   `!release <task id>`              begun, not finished (stopping): enqueue it, a delivery counted
 *   unit → server   `!done <task id> <task id> …`     outcomes stored (one line per tick)
 *
 * Only sync calls whose result the Python process sends straight are handed (no draft, no retry,
 * no eta): a retry or a dead letter needs the task in Redis.
 */
import type { Socket } from 'node:net';
import type { Delivery, HandOffConsumer, HandOffStats, ReplyRoute } from '../../../domain/ports/broker.js';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import type { Conn, ConnLines } from './direct-replies.js';

/** The start of a receipt of a handed task (`Broker.ack` and the like tell them apart by it). */
export const HANDED = 'handed:';

/** A closed connection's unfinished tasks are enqueued after this long (their results may be on their way). */
export const REQUEUE_GRACE_MS = 200;

/** What the enqueue claimed for a waiter (its Redis channel and how long it waits), kept for a requeue. */
export interface ClaimedReply {
  channel: string;
  ttlMs: number;
  direct: ReplyRoute | undefined;
}

export const NO_HANDOFFS: HandOffStats = { handed: 0, requeued: 0, inHand: 0, units: 0 };

export function canHandOff(task: TaskMessage): boolean {
  return task.waitResult === true && task.draft !== true && !((task.retry ?? 0) > 0) && task.eta === undefined;
}

interface Target {
  socket: Socket;
  queues: Set<number>;
  slots: number;
  /** Handed here, no result seen yet. */
  busy: number;
}

interface Handed {
  target: Target;
  task: TaskMessage;
  reply: ClaimedReply;
  resulted: boolean;
}

/** The server's side: who offered, what was handed to whom. */
export class HandOffDesk {
  private targets: Target[] = [];
  private readonly bySocket = new Map<Socket, Target>();
  private readonly handed = new Map<string, Handed>();
  private next = 0;
  private handedTotal = 0;
  private requeuedTotal = 0;

  constructor(
    /** Enqueue on Redis what came back (`delivered` false) or was left unfinished (true: it counts as a delivery). */
    private readonly enqueue: (task: TaskMessage, reply: ClaimedReply, delivered: boolean) => void,
  ) {}

  private requeue(task: TaskMessage, reply: ClaimedReply, delivered: boolean): void {
    this.requeuedTotal += 1;
    this.enqueue(task, reply, delivered);
  }

  /** A control line from a verified connection (the text after `!`). */
  control(socket: Socket, text: string): void {
    const space = text.indexOf(' ');
    const verb = space < 0 ? text : text.slice(0, space);
    const rest = space < 0 ? '' : text.slice(space + 1);
    if (verb === 'done') {
      for (const id of rest.split(' ')) this.finish(id, socket);
    } else if (verb === 'back' || verb === 'release') {
      const h = this.handed.get(rest);
      if (!h || h.target.socket !== socket) return;
      this.finish(rest, socket);
      this.requeue(h.task, h.reply, verb === 'release');
    } else if (verb === 'offer') {
      this.offer(socket, rest);
    }
  }

  private offer(socket: Socket, json: string): void {
    let o: { queues?: unknown; slots?: unknown };
    try {
      o = JSON.parse(json) as typeof o;
    } catch {
      return;
    }
    const queues = Array.isArray(o.queues) ? o.queues.filter((q): q is number => Number.isInteger(q)) : [];
    const slots = Number.isInteger(o.slots) && (o.slots as number) > 0 ? Math.min(o.slots as number, 1024) : 0;
    let t = this.bySocket.get(socket);
    if (!t) {
      t = { socket, queues: new Set(), slots: 0, busy: 0 };
      this.bySocket.set(socket, t);
      this.targets.push(t);
    }
    t.queues = new Set(queues);
    t.slots = slots;
  }

  /** A result reached this server (by any way): its unit's slot is free again. False: not a task handed from here. */
  resulted(taskId: string): boolean {
    const h = this.handed.get(taskId);
    if (!h) return false;
    if (!h.resulted) {
      h.resulted = true;
      h.target.busy -= 1;
    }
    return true;
  }

  private finish(taskId: string, socket: Socket): void {
    const h = this.handed.get(taskId);
    if (!h || h.target.socket !== socket) return;
    this.handed.delete(taskId);
    if (!h.resulted) h.target.busy -= 1;
  }

  /** Write `line` (`!run …`) to an offering unit with a free slot for the task's queue; false when none has one. */
  handOff(task: TaskMessage, reply: ClaimedReply, line: string): boolean {
    const n = this.targets.length;
    for (let i = 0; i < n; i++) {
      const t = this.targets[(this.next + i) % n]!;
      if (t.busy >= t.slots || !t.queues.has(task.queue) || !t.socket.writable || t.socket.writableLength > 0) continue;
      this.next = (this.next + i + 1) % n;
      t.busy += 1;
      this.handedTotal += 1;
      this.handed.set(task.id, { target: t, task, reply, resulted: false });
      t.socket.write(line);
      return true;
    }
    return false;
  }

  /** The connection closed: no more tasks to it; what it did not finish is enqueued after the grace. */
  closed(socket: Socket): void {
    const t = this.bySocket.get(socket);
    if (!t) return;
    this.bySocket.delete(socket);
    this.targets = this.targets.filter((x) => x !== t);
    t.slots = 0;
    const left = [...this.handed.entries()].filter(([, h]) => h.target === t).map(([id]) => id);
    if (left.length === 0) return;
    setTimeout(() => {
      for (const id of left) {
        const h = this.handed.get(id);
        if (!h || h.target !== t) continue;
        this.handed.delete(id);
        this.requeue(h.task, h.reply, true);
      }
    }, REQUEUE_GRACE_MS).unref();
  }

  stats(): HandOffStats {
    let units = 0;
    for (const t of this.targets) if (t.slots > 0) units++;
    return { handed: this.handedTotal, requeued: this.requeuedTotal, inHand: this.handed.size, units };
  }
}

/** The worker's side: offers its consumer on each verified connection, takes what comes down it. */
export class HandOffTaker implements ConnLines {
  private consumer: HandOffConsumer | undefined;
  /** Handed tasks not finished yet → the connection they came by. */
  private readonly mine = new Map<string, Conn>();
  /** `!done` ids per connection, written once per tick. */
  private readonly doneIds = new Map<Conn, string[]>();

  constructor(private readonly connections: () => Iterable<Conn>) {}

  /** The consumer that takes handed tasks from now on (undefined: none, offers withdrawn). */
  serve(consumer: HandOffConsumer | undefined): void {
    this.consumer = consumer;
    for (const c of this.connections()) this.offer(c);
  }

  get serving(): boolean {
    return this.consumer !== undefined;
  }

  private offer(c: Conn): void {
    const o = this.consumer;
    c.socket.write(`!offer ${JSON.stringify({ queues: o ? [...o.queues] : [], slots: o ? o.slots : 0 })}\n`);
  }

  ready(c: Conn): void {
    if (this.consumer) this.offer(c);
  }

  control(c: Conn, text: string): void {
    if (!text.startsWith('run ')) return;
    let task: TaskMessage & { replyTo?: ReplyRoute };
    try {
      task = JSON.parse(text.slice(4)) as typeof task;
    } catch {
      return;
    }
    if (typeof task !== 'object' || task === null || typeof task.id !== 'string') return;
    const replyTo = task.replyTo;
    delete task.replyTo;
    const delivery: Delivery = replyTo
      ? { task, attempt: (task.attempt ?? 0) + 1, receipt: `${HANDED}${task.id}`, replyTo }
      : { task, attempt: (task.attempt ?? 0) + 1, receipt: `${HANDED}${task.id}` };
    this.mine.set(task.id, c);
    if (this.offerTo(delivery)) return;
    // Busy this instant: its process may have finished (the result reached the server, which is
    // why it sent this) with the done frame not read yet. Asked once more after this turn's I/O.
    setImmediate(() => {
      if (this.offerTo(delivery)) return;
      this.mine.delete(task.id);
      if (c.socket.writable) c.socket.write(`!back ${task.id}\n`);
    });
  }

  private offerTo(delivery: Delivery): boolean {
    try {
      return this.consumer?.take(delivery) ?? false;
    } catch {
      return false;
    }
  }

  /** A handed task's outcome is stored (`done`) or it is given back unfinished (`release`). */
  settle(taskId: string, how: 'done' | 'release'): void {
    const c = this.mine.get(taskId);
    if (!c) return;
    this.mine.delete(taskId);
    if (!c.socket.writable) return;
    if (how === 'release') {
      c.socket.write(`!release ${taskId}\n`);
      return;
    }
    const ids = this.doneIds.get(c);
    if (ids) {
      ids.push(taskId);
      return;
    }
    this.doneIds.set(c, [taskId]);
    process.nextTick(() => {
      const all = this.doneIds.get(c);
      this.doneIds.delete(c);
      if (all && c.socket.writable) c.socket.write(`!done ${all.join(' ')}\n`);
    });
  }
}
