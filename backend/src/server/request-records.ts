/**
 * What the server keeps about the requests it answers, per app (one AppContext):
 * - the operation records (audit log): every signed-in call of a writing operation (one whose
 *   methods include POST: adds, modifies, deletes, publishes, imports, calls, settings, sign-out…,
 *   also when called by a GET alias), with who, what, when, from where, a redacted copy of the
 *   body and how it ended; written in batches off the request path (OperationRecorder);
 * - abnormal requests (slow or failed, every route), bounded lists in memory;
 * - system metrics: this server's CPU and memory and the broker's queue lengths, sampled each
 *   minute into bounded series, and today's count of requests per route.
 */
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OperationId } from '../../../contract/index.js';
import type { Operation } from '../../../contract/operation.js';
import { maskSecrets, redactBody } from '../../../contract/redact.js';
import { AbnormalRequests } from '../domain/admin/abnormal-requests.js';
import { DailyCounts } from '../domain/admin/daily-counts.js';
import { OperationRecorder } from '../domain/admin/operation-recorder.js';
import { newId } from '../domain/ids.js';
import type { OperationRecordRow } from '../domain/ports/admin-store.js';
import { perContext, type AppContext } from './app-context.js';
import type { Caller } from './auth.js';

/** A recorded body larger than this (as JSON, after redaction) is kept as its size only. */
const MAX_RECORDED_BODY = 64 * 1024;
/** Samples kept per series: 6 hours at one a minute. */
const SERIES_POINTS = 360;
const SAMPLE_MS = 60_000;
/**
 * Shortest stretch the CPU percentage is measured over. The sample taken at start (and any within
 * this of the last CPU point) has no CPU point: over a few microseconds the ratio is noise (a
 * first sample once read 16600 %); its CPU time counts in the next point's stretch.
 */
const MIN_CPU_WINDOW_US = 1_000_000;

type Point = [number, number];

export class SystemMetrics {
  readonly series = new Map<string, Map<string, Point[]>>();
  private readonly routes = new DailyCounts();
  /** Where the next CPU point's stretch starts: the process's CPU time and a monotonic clock (µs). */
  private cpuFrom = { usage: process.cpuUsage(), atUs: process.hrtime.bigint() / 1000n };
  private lastAt = Date.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  readonly host = hostname();

  constructor(private readonly ctx: AppContext) {}

  start(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  private put(metric: string, key: string, at: number, value: number): void {
    let byKey = this.series.get(metric);
    if (!byKey) this.series.set(metric, (byKey = new Map<string, Point[]>()));
    let points = byKey.get(key);
    if (!points) byKey.set(key, (points = []));
    points.push([at, value]);
    if (points.length > SERIES_POINTS) points.splice(0, points.length - SERIES_POINTS);
  }

  async sample(): Promise<void> {
    const at = Date.now();
    this.lastAt = at;
    const usage = process.cpuUsage();
    const atUs = process.hrtime.bigint() / 1000n;
    const elapsedUs = Number(atUs - this.cpuFrom.atUs);
    if (elapsedUs >= MIN_CPU_WINDOW_US) {
      const usedUs = usage.user - this.cpuFrom.usage.user + (usage.system - this.cpuFrom.usage.system);
      this.cpuFrom = { usage, atUs };
      // Of one core, as DataFlux Func's: a process using several threads' time may pass 100.
      this.put('serverCPUPercent', this.host, at, Math.round((usedUs / elapsedUs) * 10000) / 100);
    }
    const mem = process.memoryUsage();
    const mb = (n: number): number => Math.round((n / 1024 / 1024) * 100) / 100;
    this.put('serverMemoryRSS', this.host, at, mb(mem.rss));
    this.put('serverMemoryHeapTotal', this.host, at, mb(mem.heapTotal));
    this.put('serverMemoryHeapUsed', this.host, at, mb(mem.heapUsed));
    this.put('serverMemoryHeapExternal', this.host, at, mb(mem.external));
    try {
      for (const q of await this.ctx.broker.stats()) {
        this.put('workerQueueLength', String(q.queue), at, q.length);
        this.put('delayQueueLength', String(q.queue), at, q.delayed);
      }
    } catch {
      // The broker is down: no queue sample this time (healthz says so).
    }
  }

  /** A fresh sample unless the last is under `maxAgeMs` old (a client polling fast does not crowd the series). */
  async sampleIfOlder(maxAgeMs: number): Promise<void> {
    if (Date.now() - this.lastAt >= maxAgeMs) await this.sample();
  }

  countRoute(method: string, route: string, now: number): void {
    this.routes.add(`${method} ${route}`, now);
  }

  /** DataFlux Func's shape: each metric → key (hostname or queue) → [[time ms, value], …]; matchedRouteCount → [[route, count], …]. */
  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [metric, byKey] of this.series) out[metric] = Object.fromEntries(byKey);
    out.matchedRouteCount = [...this.routes.counts].sort((a, b) => b[1] - a[1]);
    return out;
  }
}

export interface RequestRecords {
  recorder: OperationRecorder;
  abnormal: AbnormalRequests;
  metrics: SystemMetrics;
}

export const requestRecords = perContext((ctx): RequestRecords => ({
  recorder: new OperationRecorder(ctx.store.operationRecords, {
    onError: (err, lost) => process.stderr.write(`operation records: ${lost} record(s) not written: ${maskSecrets(err instanceof Error ? err.message : String(err))}\n`),
  }),
  abnormal: new AbnormalRequests(),
  metrics: new SystemMetrics(ctx),
}));

interface Pending {
  op: Operation;
  caller: Caller;
  params: unknown;
  reason: string | null;
}

const pending = new WeakMap<FastifyRequest, Pending>();
const reasons = new WeakMap<FastifyRequest, string>();

/**
 * Runs of functions, drafts and cron jobs: not audit-log entries (DataFlux Func gives their routes
 * the read privilege `general_r` and records only `_w` ones). Each run has its task record, and at
 * thousands of calls a second an audit row per call would double the database's writes.
 */
const RUNS: ReadonlySet<string> = new Set<OperationId>(['callFunc', 'callFuncMany', 'callFuncDraft', 'runCronJob']);

/** Whether a call of this operation is an admin write the audit log keeps. */
export function isRecordedOperation(op: Operation): boolean {
  return op.auth === 'signedIn' && op.methods.includes('POST') && !RUNS.has(op.id);
}

/** Called once the caller is known: the response hook writes the record. */
export function markForRecord(req: FastifyRequest, op: Operation, caller: Caller): void {
  if (isRecordedOperation(op)) pending.set(req, { op, caller, params: req.params, reason: null });
}

/** Requests whose query values are all masked in both records (`opaqueQuery`). */
const opaque = new WeakSet<FastifyRequest>();

/**
 * A call of a sync or async API: its query's values are the caller's input and may be credentials
 * (a fixedField API auth's, a func auth's `auth-token`), and the abnormal requests are read by
 * viewers. Its records keep the query's names, not its values (its task record keeps the request
 * with the credentials masked).
 */
export function opaqueQuery(req: FastifyRequest): void {
  opaque.add(req);
}

/** `url` with every query value masked (its names kept). */
function queryValuesMasked(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => `${pair.split('=')[0]}=***`);
  return `${url.slice(0, q)}?${names.join('&')}`;
}

/** The reason of a failed request (its error code), for both records. */
export function noteFailure(req: FastifyRequest, reason: string): void {
  reasons.set(req, reason);
}

const header = (req: FastifyRequest, name: string): string | null => {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
};

function nonEmpty(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0 ? (value as Record<string, unknown>) : null;
}

function recordedBody(body: unknown): unknown {
  if (body === undefined || body === null) return null;
  const redacted = redactBody(body);
  const size = JSON.stringify(redacted)?.length ?? 0;
  return size > MAX_RECORDED_BODY ? `<body of ${size} characters>` : redacted;
}

export function registerRequestRecords(app: FastifyInstance, ctx: AppContext): void {
  const state = requestRecords(ctx);
  state.metrics.start();
  app.addHook('onResponse', (req, reply, done) => {
    const now = Date.now();
    const reqCost = Math.round(reply.elapsedTime);
    const route = req.routeOptions.url ?? 'unmatched';
    state.metrics.countRoute(req.method, route, now);
    const p = pending.get(req);
    const abnormal = AbnormalRequests.typesOf(reqCost, reply.statusCode).length > 0;
    if (!p && !abnormal) {
      done();
      return;
    }
    const reason = reasons.get(req) ?? null;
    const url = opaque.has(req) ? queryValuesMasked(req.url) : maskSecrets(req.url);
    if (p) {
      const row: OperationRecordRow = {
        id: newId('oprd'),
        userId: p.caller.user.id,
        username: p.caller.user.username,
        operationId: p.op.id,
        traceId: req.id,
        clientId: header(req, 'x-dff-client-id'),
        clientIPsJSON: req.ips && req.ips.length > 0 ? [...req.ips] : [req.ip],
        reqMethod: req.method,
        reqRoute: route,
        reqURL: url,
        reqParamsJSON: nonEmpty(p.params),
        reqQueryJSON: nonEmpty(redactBody(Object.fromEntries(new URLSearchParams(url.split('?')[1] ?? '')))),
        reqBodyJSON: recordedBody(req.body),
        respStatusCode: reply.statusCode,
        respReason: reason,
        reqCost,
        createTime: now,
      };
      state.recorder.record(row);
    }
    if (abnormal) {
      state.abnormal.add({
        traceId: req.id,
        reqMethod: req.method,
        reqURL: url,
        reqRoute: route,
        reqTime: new Date(now - reqCost).toISOString(),
        reqCost,
        respTime: new Date(now).toISOString(),
        respStatusCode: reply.statusCode,
        respReason: reason,
        userId: p?.caller.user.id ?? null,
      });
    }
    done();
  });
  app.addHook('onClose', async () => {
    state.metrics.stop();
    await state.recorder.flush();
  });
}
