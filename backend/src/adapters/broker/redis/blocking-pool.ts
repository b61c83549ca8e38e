/**
 * Dedicated connections for blocking waits (BLPOP on the wake lists): one per reserve call in
 * progress, kept for reuse. A blocked connection cannot carry other commands, so they never
 * share the command connection. Aborting a wait drops its connection (the server side of the
 * BLPOP ends with it).
 */
import type { Redis } from 'ioredis';
import { redisCall } from './redis-connection.js';

export class BlockingPool {
  private readonly idle: Redis[] = [];
  private readonly busy = new Set<Redis>();
  private closed = false;

  constructor(private readonly base: Redis, private readonly onError: (err: Error) => void) {}

  private take(): Redis {
    let conn = this.idle.pop();
    if (!conn) {
      conn = this.base.duplicate({ connectionName: 'func-blocking', enableAutoPipelining: false });
      conn.on('error', this.onError);
    }
    this.busy.add(conn);
    return conn;
  }

  /**
   * Wait up to `ms` for a token on any of `keys` (first key first). Returns the 1-based index of
   * the key a token came from, 0 on timeout, -1 when aborted or closed.
   */
  async wait(keys: string[], ms: number, signal?: AbortSignal): Promise<number> {
    if (this.closed || signal?.aborted) return -1;
    const conn = this.take();
    let dropped = false;
    const onAbort = (): void => {
      dropped = true;
      conn.disconnect();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const seconds = (Math.max(10, Math.round(ms)) / 1000).toFixed(3);
      const r = await redisCall(conn, 'reserve (blocking wait)', () => conn.blpop(...keys, seconds));
      if (r === null) return 0;
      if (dropped || this.closed) {
        // The token was meant for a consumer that is gone: leave it for the next one.
        void this.base.rpush(r[0], '1').catch(() => undefined);
        return -1;
      }
      return keys.indexOf(r[0]) + 1;
    } catch (err) {
      if (dropped || this.closed) return -1;
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.busy.delete(conn);
      if (dropped || this.closed) conn.disconnect();
      else this.idle.push(conn);
    }
  }

  close(): void {
    this.closed = true;
    for (const conn of [...this.idle, ...this.busy]) conn.disconnect();
    this.idle.length = 0;
    this.busy.clear();
  }
}
