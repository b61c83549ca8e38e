/**
 * Server-sent event streams: opened on a hijacked reply, and ended when the server closes. A stream
 * is a request that never ends by itself, so one left open kept `close()` waiting for as long as a
 * client held it (`func up` did not stop while a console showed the overview); ended, the client's
 * EventSource sees the stream drop and says so.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** Each open stream and what ends it (its route's timers and subscriptions stopped, the answer ended). */
    eventStreams: Map<ServerResponse, () => void>;
  }
}

/** Before any route: the open streams are ended before the server stops listening. */
export function registerEventStreams(app: FastifyInstance): void {
  app.decorate('eventStreams', new Map<ServerResponse, () => void>());
  app.addHook('preClose', (done) => {
    for (const end of [...app.eventStreams.values()]) end();
    done();
  });
}

/**
 * Takes the reply over and starts a stream on it; the caller writes its events to the answer.
 * `onEnd` runs once, when the client goes or the server closes (then the answer is ended too).
 */
export function openEventStream(req: FastifyRequest, reply: FastifyReply, onEnd: () => void, headers: Record<string, string> = {}): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-trace-id': req.id, ...headers });
  const streams = reply.server.eventStreams;
  const end = (): void => {
    if (!streams.delete(res)) return;
    onEnd();
    if (!res.writableEnded) res.end();
  };
  streams.set(res, end);
  req.raw.on('close', end);
  return res;
}
