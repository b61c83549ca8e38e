/**
 * Bad input on every write route of the contract (every operation with a POST method), and hostile
 * paging and filters on every list, as admin, against a real `func up` in a child process: no 5xx,
 * every 4xx an envelope with a reason and a message, the server answers afterwards, and nothing
 * keeps running (CPU time and log output of the server stay flat over 3 s once the fuzz is over).
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { operations, type OperationId } from '../../contract/index.js';
import type { Operation } from '../../contract/operation.js';
import { httpClients, publishScript } from '../src/testing/test-client.js';
import { freePort, startRole, untilServing, type FuncProcess } from '../src/testing/processes.js';

const PASSWORD = 'fuzz-admin-password';
const CODE = `
@DFF.API('F')
def f(a=None, b=None):
    return [a, b]

@DFF.API('Fixed', fixed_cron_expr='0 0 1 1 *')
def fixed():
    return 1
`;

let role: FuncProcess;
let home: string;
let base = '';
let token = '';
const { client, api } = httpClients(
  () => base,
  () => token,
);
/** Real ids by the path segment before `:id`, filled in beforeAll. */
const real: Record<string, string> = {};

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'func-fuzz-'));
  const port = await freePort();
  role = startRole(['up'], {
    FUNC_HOME: home,
    FUNC_PORT: String(port),
    FUNC_ADMIN_PASSWORD: PASSWORD,
    FUNC_SEED_EXAMPLES: 'false',
    FUNC_WORKER_PROCESSES: '1',
    FUNC_LOG_LEVEL: 'info',
  });
  base = `http://127.0.0.1:${port}`;
  await untilServing(role, base);
  token = await signIn();
  await publishScript(client, 'fuzz__main', CODE);
  const add = async (segment: string, data: Record<string, unknown>): Promise<string> => {
    const r = await api('POST', `/api/v1/${segment}/do/add`, { data });
    if (r.status !== 200) throw new Error(`${segment}: ${r.text}`);
    return (r.data as { id: string }).id;
  };
  real['script-sets'] = 'fuzz';
  real.scripts = 'fuzz__main';
  real.func = 'fuzz__main.f';
  real['func-draft'] = 'fuzz__main.f';
  real['sync-apis'] = await add('sync-apis', { funcId: 'fuzz__main.f', funcCallKwargsJSON: { a: 'INPUT_BY_CALLER' } });
  real.sync = real['sync-apis'];
  real.al = real['sync-apis'];
  real['async-apis'] = await add('async-apis', { funcId: 'fuzz__main.f', funcCallKwargsJSON: { a: 'INPUT_BY_CALLER' } });
  real.async = real['async-apis'];
  real.bat = real['async-apis'];
  real['cron-jobs'] = await add('cron-jobs', { funcId: 'fuzz__main.fixed', funcCallKwargsJSON: {}, isDisabled: true });
  real.cron = real['cron-jobs'];
  real['env-variables'] = await add('env-variables', { id: 'FUZZ_ENV', autoTypeCasting: 'string', valueTEXT: 'x' });
  real['access-keys'] = await add('access-keys', { title: 'fuzz' });
  real['api-auth'] = await add('api-auth', { type: 'fixedField', configJSON: { fields: [{ location: 'header', name: 'x-k', value: 'v' }] } });
  real.users = await add('users', { username: 'fuzz-user', password: 'fuzz-user-password', name: 'Fuzz' });
  // A real connector, so its query is fuzzed past the 404 (a Redis `database` of "..": SELECT NaN ended the process).
  real.connectors = await add('connectors', { id: 'fuzz_redis', type: 'redis', title: 'Fuzz', configJSON: { host: '127.0.0.1', port: 6379 } });
  real.tasks = (await client.callAsyncApi({ params: { id: real.async }, body: { kwargs: { a: 1 } } })).id;
}, 60_000);

afterAll(async () => {
  await role?.kill();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function signIn(): Promise<string> {
  token = '';
  return (await client.signIn({ body: { signIn: { username: 'admin', password: PASSWORD } } })).xAuthToken;
}

// ---------------------------------------------------------------------------------------------
// Inputs

const LONG = 'x'.repeat(10_000);
/** Hostile path parameters, as they appear in the URL (already percent-encoded). */
const HOSTILE_IDS = ['..', '..%2F..%2Fetc%2Fpasswd', '../../etc/passwd', LONG, 'a%00b', '%E2%80%AEevil', '%F0%9F%98%80', '%ED%A0%80', '%zz', '1e308', '-1'];
/** Values put in each declared body field (and the lone surrogate travels as a JSON escape). */
const VALUES: unknown[] = [
  123,
  -1,
  1e308,
  2 ** 53 + 1,
  1.5,
  true,
  null,
  [],
  {},
  [1, 'a'],
  '',
  LONG,
  '..',
  '../../etc/passwd',
  'a\u0000b',
  '\u202eevil\u202c',
  '😀🔥',
  '\ud800',
  'INPUT_BY_CALLER',
];
const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
/** Whole bodies, as raw text. */
const RAW_BODIES = [
  '',
  '{"a":',
  '{bad json}',
  '[]',
  '[{}]',
  '"text"',
  '1e308',
  '-1',
  'null',
  'true',
  deep(1000),
  `{"data":${deep(1000)}}`,
  '{"data":{"id":"\\ud800","title":"\\udc00"},"kwargs":{"\\ud800":1}}',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
];

/** The object shape of a schema, through optional/nullable/pipe wrappers; undefined when it has none. */
function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  let s: unknown = schema;
  for (let i = 0; i < 5; i++) {
    if (s instanceof z.ZodObject) return s.shape;
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
    else if (s instanceof z.ZodPipe) s = s.out instanceof z.ZodObject ? s.out : s.in;
    else return undefined;
  }
  return undefined;
}

/** Bodies built from the declared fields: each field (and each field of `data`) given each bad value. */
function fieldBodies(op: Operation): string[] {
  const out: string[] = [];
  const shape = shapeOf(op.body) ?? {};
  for (const [field, schema] of Object.entries(shape)) {
    for (const v of VALUES) out.push(JSON.stringify({ [field]: v }));
    for (const inner of Object.keys(shapeOf(schema) ?? {})) {
      for (const v of VALUES) out.push(JSON.stringify({ [field]: { [inner]: v } }));
    }
  }
  if (op.id === 'callFunc' || op.id === 'callFuncDraft' || op.id === 'callSyncApi' || op.id === 'callAsyncApi') {
    for (const v of VALUES) out.push(JSON.stringify({ kwargs: { a: v } }), JSON.stringify({ options: { timeout: v, queue: v, eta: v, delay: v } }));
  }
  // A query that reaches the connector: each bad value as the database it picks.
  if (op.id === 'queryConnector') for (const v of VALUES) out.push(JSON.stringify({ queryStatement: 'PING', database: v }));
  return out;
}

/** Each path of the operation with its params filled: real ids first, then hostile ones. */
function urls(op: Operation): { url: string; real: boolean }[] {
  const out: { url: string; real: boolean }[] = [];
  for (const path of op.paths) {
    if (!path.includes(':')) {
      out.push({ url: path, real: true });
      continue;
    }
    const segment = /\/api\/v1\/([^/]+)\//.exec(path)?.[1] ?? '';
    out.push({ url: path.replace(/:format/, 'simplified').replace(/:\w+/g, () => real[segment] ?? 'no-such-id'), real: true });
    for (const bad of HOSTILE_IDS) out.push({ url: path.replace(/:\w+/g, bad), real: false });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sending and judging

const statuses = new Map<number, number>();
const problems: string[] = [];
let sent = 0;

async function send(method: 'GET' | 'POST', url: string, body?: string): Promise<void> {
  sent++;
  let res: Response;
  try {
    res = await fetch(`${base}${url}`, {
      method,
      headers: { 'x-dff-auth-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
    });
  } catch (err) {
    problems.push(`${method} ${url.slice(0, 120)}: no answer (${String(err)})`);
    return;
  }
  const text = await res.text();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const what = `${method} ${url.slice(0, 120)} ${body === undefined ? '' : body.slice(0, 160)} → ${res.status} ${text.slice(0, 300)}`;
  if (res.status >= 500) problems.push(what);
  else if (res.status >= 400) {
    let env: { ok?: unknown; reason?: unknown; message?: unknown } = {};
    try {
      env = JSON.parse(text) as typeof env;
    } catch {
      env = {};
    }
    if (env.ok !== false || typeof env.reason !== 'string' || typeof env.message !== 'string' || env.message === '') problems.push(`no envelope: ${what}`);
  }
}

/** Runs `jobs` with a few in flight at once. */
async function runAll(jobs: (() => Promise<void>)[], inFlight = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

const ids = Object.keys(operations) as OperationId[];
/** Deletes last (they remove the real ids the others use), sign-out at the very end. */
const order = (id: string): number => (id === 'signOut' ? 2 : id.startsWith('delete') ? 1 : 0);
const writeOps = ids.filter((id) => operations[id].methods.includes('POST')).sort((a, b) => order(a) - order(b));
const listOps = ids.filter(
  (id) =>
    (operations[id].methods.includes('GET') && shapeOf(operations[id].query) !== undefined && Object.keys(shapeOf(operations[id].query)!).length > 0) || id.startsWith('list'),
);

/** CPU time (user + system, seconds) of a process, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe('fuzzing every write route and list', () => {
  it('no 5xx, every 4xx an envelope, and the server idle afterwards', async () => {
    const started = Date.now();
    // Lists: hostile paging and filters.
    const listJobs: (() => Promise<void>)[] = [];
    const PAGING = ['-1', '0', '1e308', '1.5', 'abc', '', '9007199254740993', '99999999999', '%00', '1&pageSize=2'];
    for (const id of listOps) {
      const op = operations[id];
      const path = op.paths[0]!.replace(/:\w+/g, 'fuzz__main');
      for (const v of PAGING)
        listJobs.push(
          () => send('GET', `${path}?pageSize=${v}`),
          () => send('GET', `${path}?pageNumber=${v}`),
        );
      for (const key of Object.keys(shapeOf(op.query) ?? {})) {
        for (const v of ['..', '../../etc/passwd', encodeURIComponent(LONG), '%00', ',,,', 'a&' + key + '=b', '%E2%80%AE', '%F0%9F%98%80', '%ED%A0%80', '1e308', '-1', 'true']) {
          listJobs.push(() => send('GET', `${path}?${key}=${v}`));
        }
      }
    }
    await runAll(listJobs);

    // Write routes.
    for (const id of writeOps) {
      if (id === 'signOut') continue;
      const op = operations[id];
      const jobs: (() => Promise<void>)[] = [];
      for (const { url, real: isReal } of urls(op)) {
        const bodies = isReal ? [...RAW_BODIES, ...fieldBodies(op)] : ['{}', '{"a":', deep(1000)];
        for (const body of bodies) jobs.push(() => send('POST', url, body));
      }
      await runAll(jobs);
    }
    // Sign-out last: its own bad inputs, then a fresh token.
    for (const body of RAW_BODIES) await send('POST', '/api/v1/auth/do/sign-out', body);
    token = await signIn();

    const took = Date.now() - started;
    console.log(
      `fuzz: ${sent} requests in ${took} ms over ${writeOps.length} write operations and ${listOps.length} lists; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    expect(problems.slice(0, 30), `${problems.length} problems`).toEqual([]);

    // Still serving.
    expect(role.child.exitCode).toBeNull();
    expect(await client.ping({})).toBe('pong');

    // No runaway: the server's CPU time and its log stay flat over 3 s.
    const pid = role.child.pid!;
    const cpu0 = cpuSeconds(pid);
    const log0 = role.output().length;
    await new Promise((r) => setTimeout(r, 3000));
    const cpu = cpuSeconds(pid) - cpu0;
    const log = role.output().length - log0;
    console.log(`fuzz: after it, over 3 s: ${cpu.toFixed(2)} s of CPU, ${log} bytes of log`);
    expect(cpu).toBeLessThan(0.5);
    expect(log).toBeLessThan(2000);
  }, 120_000);
});
