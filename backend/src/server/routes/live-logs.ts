/**
 * `GET /api/v1/tasks/:id/logs/stream`: a running task's print lines as server-sent events, from
 * the live-log channel (ports/live-logs.ts). `lines` {seq, lines} as the worker publishes them,
 * then `end` {status} once the task's record is stored (at once for a task already ended, after
 * at most END_POLL_MS for one that ended without streaming: a short task never streams).
 *
 * Bounded per subscriber: while the client reads slower than lines come (more than
 * MAX_BUFFERED_BYTES wait in the socket), batches are dropped and counted, and one marker line
 * says how many when it catches up. The server holds no lines of its own.
 */
import { ApiError } from '../../../../contract/errors.js';
import type { LiveLogEvent, LiveLogSubscription } from '../../domain/ports/live-logs.js';
import type { Handlers } from '../handler.js';
import { openEventStream } from '../event-streams.js';

export const MAX_BUFFERED_BYTES = 256 * 1024;
export const END_POLL_MS = 1000;
const KEEPALIVE_MS = 15_000;
const UNFINISHED = new Set(['queued', 'running']);

export const liveLogHandlers: Pick<Handlers, 'streamTaskLogs'> = {
  streamTaskLogs: async ({ params }, { ctx, req, reply }) => {
    const id = params.id;
    const byTask = !id.startsWith('live-');
    const records = ctx.store.taskRecords;
    const first = byTask ? await records.get(id) : null;
    if (byTask && !first) throw new ApiError('EClientNotFound', `No such task: ${id}`, { field: 'id', id });
    let closed = false;
    let dropped = 0;
    let sub: LiveLogSubscription | undefined;
    let poll: ReturnType<typeof setInterval> | undefined;
    const write = (event: string, data: unknown): void => {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const finish = (status: string): void => {
      if (closed) return;
      write('end', { status });
      stop();
      res.end();
    };
    const onEvent = (e: LiveLogEvent): void => {
      if (closed) return;
      if (e.lines && e.lines.length > 0) {
        if (res.writableLength > MAX_BUFFERED_BYTES) dropped += e.lines.length;
        else {
          const lines = dropped > 0 ? [`[… ${dropped} lines not sent: this connection read too slowly]`, ...e.lines] : e.lines;
          dropped = 0;
          write('lines', { seq: e.seq, lines });
        }
      }
      if (e.end !== undefined) finish(e.end);
    };
    const keepalive = setInterval(() => {
      if (!closed) res.write(': keepalive\n\n');
    }, KEEPALIVE_MS);
    const stop = (): void => {
      closed = true;
      clearInterval(keepalive);
      clearInterval(poll);
      sub?.close();
    };
    const res = openEventStream(req, reply, stop, { 'x-accel-buffering': 'no' });
    if (first && !UNFINISHED.has(first.status)) {
      finish(first.status);
      return '';
    }
    write('open', { id });
    try {
      const s = ctx.liveLogs ? await ctx.liveLogs.subscribe(id, onEvent) : undefined;
      if (closed) s?.close();
      else sub = s;
    } catch {
      write('error', { message: 'live lines are unavailable; the record has them when the task ends' });
    }
    if (byTask && !closed) {
      // A task that ended without streaming (short, or its worker died) publishes no end.
      poll = setInterval(() => {
        void records.get(id).then(
          (r) => {
            if (!r) finish('deleted');
            else if (!UNFINISHED.has(r.status)) finish(r.status);
          },
          () => undefined,
        );
      }, END_POLL_MS);
    }
    return '';
  },
};
