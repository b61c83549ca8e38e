/**
 * DataFlux Func's request timing, on every answer: headers `X-Request-Time`, `X-Response-Time`,
 * `X-Request-Cost` (and `X-Client-Time`, echoing the caller's own), and in every JSON envelope the
 * same as `clientTime`, `reqTime`, `respTime`, `reqCost` (milliseconds, whole) after `traceId`, as
 * its route.yaml describes the envelope and its console reads it. A function's own answer (a sync
 * API's raw result, a file) gets the headers only: its body is the function's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestTiming } from '../../../contract/envelope.js';

const stamped = Symbol('requestTiming');

type Stamped = FastifyReply & { [stamped]?: RequestTiming };

/** A caller's `X-Client-Time`, echoed as given when it is a short plain string (DataFlux's console sends an ISO time). */
function clientTimeOf(req: FastifyRequest): string | null {
  const given = req.headers['x-client-time'];
  return typeof given === 'string' && given.length <= 64 && /^[\x21-\x7e]+$/.test(given) ? given : null;
}

/** The reply's timing, fixed the first time it is asked for (the envelope and the headers then agree). */
function timingOf(req: FastifyRequest, reply: FastifyReply): RequestTiming {
  const r = reply as Stamped;
  const known = r[stamped];
  if (known) return known;
  const now = Date.now();
  const cost = Math.max(0, Math.round(reply.elapsedTime));
  const timing: RequestTiming = {
    clientTime: clientTimeOf(req),
    reqTime: new Date(now - cost).toISOString(),
    respTime: new Date(now).toISOString(),
    reqCost: cost,
  };
  r[stamped] = timing;
  return timing;
}

/** An envelope as every JSON route builds it (contract/envelope.ts, server/errors.ts). */
function isEnvelope(payload: unknown): payload is Record<string, unknown> {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof (payload as { ok?: unknown }).ok === 'boolean' &&
    typeof (payload as { traceId?: unknown }).traceId === 'string' &&
    typeof (payload as { error?: unknown }).error === 'number'
  );
}

export function registerRequestTiming(app: FastifyInstance): void {
  // Objects only reach preSerialization: a function's raw result is sent as text, so never touched here.
  app.addHook('preSerialization', (req, reply, payload, done) => {
    if (isEnvelope(payload)) Object.assign(payload, timingOf(req, reply));
    done(null, payload);
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    const t = timingOf(req, reply);
    if (t.clientTime !== null) reply.header('X-Client-Time', t.clientTime);
    reply.header('X-Request-Time', t.reqTime);
    reply.header('X-Response-Time', t.respTime);
    reply.header('X-Request-Cost', String(t.reqCost));
    done(null, payload);
  });
}
