/**
 * Dedicated connections for blocking waits (BLPOP on the wake lists): one per reserve call in
 * progress, kept for reuse. A blocked connection cannot carry other commands, so they never
 * share the command connection. Aborting a wait unblocks it (`CLIENT UNBLOCK` from the command
 * connection): the command queued behind the BLPOP still runs and its reply is still read, so a
 * reserve that Redis ran just as the abort came is not lost in a dropped connection (its tasks
 * would sit reserved until the visibility timeout). Only when the unblock finds nothing to unblock
 * for a while (the BLPOP has not reached Redis, or Redis is unreachable) is the connection dropped.
 *
 * `waitThen` sends a command right behind the BLPOP in the same write: Redis runs it the
 * moment the BLPOP returns (a client's queued commands run as soon as it is unblocked), so a
 * wake-up and the reserve it calls for cost one round trip instead of two.
 */
import type { Redis } from 'ioredis';
import { redisCall } from './redis-connection.js';
import { defineScripts } from './redis-scripts.js';

/** How long an aborted wait keeps trying to unblock its BLPOP before dropping the connection. */
const UNBLOCK_TRIES = 10;
const UNBLOCK_RETRY_MS = 20;

export class BlockingPool {
  private readonly idle: Redis[] = [];
  private readonly busy = new Set<Redis>();
  /** Each connection's CLIENT ID (asked again after every reconnect). */
  private readonly ids = new Map<Redis, Promise<number | undefined>>();
  private closed = false;
  private warnedUnblock = false;

  constructor(
    private readonly base: Redis,
    private readonly onError: (err: Error) => void,
  ) {}

  private take(): Redis {
    let conn = this.idle.pop();
    if (!conn) {
      const c = this.base.duplicate({ connectionName: 'func-blocking', enableAutoPipelining: false });
      c.on('error', this.onError);
      // Sent first on every (re)connection, so it is answered before any wait of ours blocks.
      const askId = (): void =>
        void this.ids.set(
          c,
          c.client('ID').then(Number, () => undefined),
        );
      c.on('connect', askId);
      // Ids start again after a Redis restart: an old one could name somebody else's connection.
      c.on('close', () => this.ids.set(c, Promise.resolve(undefined)));
      askId();
      defineScripts(c);
      conn = c;
    }
    this.busy.add(conn);
    return conn;
  }

  /**
   * BLPOP on `keys` for up to `ms`, then (whatever it returned) the command `then` sends on the
   * same connection, both in one write: one round trip. Answers that command's reply, also when `signal` aborted the wait (the BLPOP is
   * unblocked and the command runs at once); undefined when the pool is closed or the connection
   * had to be dropped (if Redis ran the command already, what it did stands).
   */
  async waitThen(keys: string[], ms: number, then: (conn: Redis) => Promise<unknown>, signal?: AbortSignal): Promise<unknown> {
    if (this.closed || signal?.aborted) return undefined;
    const conn = this.take();
    let dropped = false;
    let answered = false;
    const drop = (): void => {
      dropped = true;
      conn.disconnect();
    };
    const onAbort = (): void => {
      // Not connected (Redis restarting): nothing to unblock, and nothing to wait for.
      if (conn.status !== 'ready' || this.base.status !== 'ready') {
        drop();
        return;
      }
      void (async () => {
        const id = await this.ids.get(conn);
        for (let i = 0; i < UNBLOCK_TRIES && !answered && !this.closed; i++) {
          const unblocked =
            id === undefined
              ? 0
              : await this.base.client('UNBLOCK', id).catch((err: unknown) => {
                  this.unblockFailed(err);
                  return 0;
                });
          if (unblocked === 1 || answered) return;
          await new Promise((r) => setTimeout(r, UNBLOCK_RETRY_MS));
        }
        if (!answered) drop();
      })();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const seconds = (Math.max(10, Math.round(ms)) / 1000).toFixed(3);
      // Two commands corked into one write rather than an ioredis pipeline: a pipeline object per
      // wake-up kept its garbage alive across scavenges (promoted, then collected by the next
      // mark-compact: 2-8 ms scavenge pauses in a busy worker instead of ~0.5 ms).
      const stream = conn.status === 'ready' ? conn.stream : undefined;
      stream?.cork();
      let waited: Promise<unknown>;
      let next: Promise<unknown>;
      try {
        waited = conn.blpop(...keys, seconds);
        try {
          next = then(conn);
        } catch (err) {
          // Settled below with the wait, so neither rejection goes unhandled.
          next = Promise.reject(err instanceof Error ? err : new Error(String(err)));
        }
      } finally {
        stream?.uncork();
      }
      const [w, n] = await Promise.allSettled([waited, next]);
      answered = true;
      if (dropped || this.closed) return undefined;
      return await redisCall(conn, 'reserve (blocking wait)', () => {
        if (w.status === 'rejected') throw w.reason;
        return n.status === 'rejected' ? Promise.reject(n.reason as Error) : Promise.resolve(n.value);
      });
    } catch (err) {
      answered = true;
      if (dropped || this.closed) return undefined;
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.busy.delete(conn);
      if (dropped || this.closed) this.drop(conn);
      else this.idle.push(conn);
    }
  }

  /** CLIENT UNBLOCK refused (an ACL without CLIENT, a proxy): said once; aborts then drop connections. */
  private unblockFailed(err: unknown): void {
    if (this.warnedUnblock) return;
    this.warnedUnblock = true;
    this.onError(new Error(`CLIENT UNBLOCK failed (a stopping worker drops its waiting connection instead): ${String(err)}`));
  }

  private drop(conn: Redis): void {
    this.ids.delete(conn);
    conn.disconnect();
  }

  close(): void {
    this.closed = true;
    for (const conn of [...this.idle, ...this.busy]) this.drop(conn);
    this.idle.length = 0;
    this.busy.clear();
  }
}
