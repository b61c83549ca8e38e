/**
 * Sync no-op call latency through HTTP in embedded mode, beside the floors measured in the same
 * run: the raw Python-pipe round trip and the runner pool without HTTP.
 */
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../backend/src/config/config.js';
import { createHash } from 'node:crypto';
import { measurePipeRoundTrip } from '../backend/src/adapters/python/pipe-roundtrip.js';
import { createRunnerPool } from '../backend/src/adapters/python/runner-pool.js';
import type { RunnerHost } from '../backend/src/domain/ports/runner.js';
import { buildTask } from '../backend/src/domain/tasks/build-task.js';
import { startEmbeddedStack } from '../backend/src/wiring/embedded-stack.js';
import { printTable, summarize, type Row } from './stats.js';

const N = Number(process.env.BENCH_N ?? 5000);
const WARMUP = 500;

/** Sync calls of `funcId` with no kwargs over one kept-alive connection; `close` ends it. */
export function syncCaller(port: number, funcId: string, token: string): { call: () => Promise<string>; close: () => void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ kwargs: {} });
  return { call: () => post(agent, port, `/api/v1/func/${funcId}`, body, token), close: () => agent.destroy() };
}

export function post(agent: Agent, port: number, path: string, body: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-dff-auth-token': token },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(data) : reject(new Error(`${res.statusCode}: ${data}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function timed(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

const NOOP = "@DFF.API('No-op')\ndef noop():\n    return None\n";

/** The runner pool alone (one process, no record, no queue): a no-op task's round trip. */
async function poolRoundTrip(python: string): Promise<Row> {
  const md5 = createHash('md5').update(NOOP).digest('hex');
  const host: RunnerHost = { getScript: () => Promise.resolve({ code: NOOP, md5 }), call: () => Promise.resolve(null) };
  const pool = await createRunnerPool({ python, processes: 1, memoryLimitMb: 0, host });
  try {
    let n = 0;
    const run = (): Promise<unknown> =>
      pool.run(
        {
          id: `p${++n}`,
          funcId: 'bench__noop.noop',
          scriptId: 'bench__noop',
          funcName: 'noop',
          kwargs: {},
          origin: 'direct',
          originId: 'bench',
          queue: 1,
          timeoutMs: 30_000,
          expiresAt: Date.now() + 60_000,
          triggerTime: Date.now(),
        },
        md5,
      );
    await timed(WARMUP, run);
    return summarize('runner pool no-op round trip (no record, no queue)', await timed(N, run), 'target p50 < 2 ms');
  } finally {
    await pool.close();
  }
}

export async function benchSyncCall(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'func-bench-'));
  const config = parseConfig({
    FUNC_HOME: home,
    FUNC_PORT: '0',
    FUNC_ADMIN_PASSWORD: 'bench-password',
    FUNC_SEED_EXAMPLES: 'false',
    FUNC_WORKER_PROCESSES: '1',
    FUNC_LOG_LEVEL: 'silent',
  });
  const floor = summarize('python pipe round trip (floor)', await measurePipeRoundTrip({ python: config.python, iterations: N, warmup: WARMUP }));
  const poolRow = await poolRoundTrip(config.python);
  const stack = await startEmbeddedStack(config, { beatTimer: false });
  try {
    const inject = async (method: 'GET' | 'POST', url: string, payload?: object, token?: string): Promise<Record<string, unknown>> =>
      JSON.parse((await stack.app.inject({ method, url, ...(payload ? { payload } : {}), headers: token ? { 'x-dff-auth-token': token } : {} })).body) as Record<string, unknown>;
    const token = ((await inject('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'admin', password: 'bench-password' } })).data as { xAuthToken: string }).xAuthToken;
    await inject('POST', '/api/v1/script-sets/do/add', { data: { id: 'bench' } }, token);
    await inject('POST', '/api/v1/scripts/do/add', { data: { id: 'bench__noop', codeDraft: "@DFF.API('No-op')\ndef noop():\n    return None\n" } }, token);
    await inject('POST', '/api/v1/scripts/bench__noop/do/publish', {}, token);
    const port = Number(new URL(await stack.listen()).port);
    const { call, close } = syncCaller(port, 'bench__noop.noop', token);
    await timed(WARMUP, call);
    const http = summarize('sync no-op call via HTTP (embedded)', await timed(N, call), 'target p50 ≤ 1 ms, p99 ≤ 3 ms');
    const func = (await stack.ctx.catalog.func('bench__noop.noop'))!;
    const direct = (): Promise<unknown> =>
      stack.ctx.dispatcher.call(buildTask({ func, kwargs: {}, origin: 'direct', originId: func.id, topology: stack.ctx.topology, now: Date.now() }));
    await timed(WARMUP, direct);
    const noHttp = summarize('same call without HTTP (record+queue+python)', await timed(N, direct));
    const rows: Row[] = [floor, poolRow, noHttp, http];
    printTable(`Sync call latency, ${N} sequential calls after ${WARMUP} warm-up (Node ${process.version}, ${config.python})`, rows, floor);
    close();
  } finally {
    await stack.close();
    rmSync(home, { recursive: true, force: true });
  }
}
