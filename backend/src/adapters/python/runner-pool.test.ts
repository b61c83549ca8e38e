import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuncRunnerPool, RunnerHost } from '../../domain/ports/runner.js';
import type { TaskMessage, TaskOutcome } from '../../domain/tasks/task.js';
import { ReplyListener } from '../broker/redis/direct-replies.js';
import { eventually } from '../../testing/eventually.js';
import { measurePipeRoundTrip } from './pipe-roundtrip.js';
import { processTree } from './process-tree.js';
import { PIPELINE_DEPTH, SHORT_BACKLOG, createRunnerPool, type RunnerPoolOptions } from './runner-pool.js';
import { RunnerProcess } from './runner-process.js';

const PYTHON = '/usr/bin/python3';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

interface HostCall {
  member: string;
  method: string;
  args: unknown[];
  taskId: string;
}

/** In-memory RunnerHost: scripts in a Map, host calls recorded. */
class TestHost implements RunnerHost {
  readonly published = new Map<string, string>();
  readonly drafts = new Map<string, string>();
  readonly calls: HostCall[] = [];
  readonly scriptFetches: { id: string; draft: boolean }[] = [];

  set(id: string, code: string): string {
    this.published.set(id, code);
    return md5(code);
  }

  md5(id: string): string {
    return md5(this.published.get(id)!);
  }

  getScript(scriptId: string, draft: boolean): Promise<{ code: string; md5: string } | null> {
    this.scriptFetches.push({ id: scriptId, draft });
    const code = (draft ? this.drafts.get(scriptId) : undefined) ?? this.published.get(scriptId);
    return Promise.resolve(code === undefined ? null : { code, md5: md5(code) });
  }

  call(member: string, method: string, args: unknown[], task: TaskMessage): Promise<unknown> {
    this.calls.push({ member, method, args, taskId: task.id });
    if (member === 'ENV') return Promise.resolve(args[0] === 'MISSING' ? null : { value: `env:${String(args[0])}`, password: false });
    if (member === 'FUNC') return Promise.resolve('task-from-func');
    if (member === 'CACHE' && method === 'get' && args[1] === 'fail') return Promise.reject(new Error('cache is down'));
    if (member === 'STORE' && method === 'get') return Promise.resolve({ stored: args[1] });
    return Promise.resolve(method === 'incr' ? 42 : 'OK');
  }
}

let seq = 0;
function task(scriptId: string, funcName: string, kwargs: Record<string, unknown> = {}, extra: Partial<TaskMessage> = {}): TaskMessage {
  seq++;
  return {
    id: `task-${seq}`,
    funcId: `${scriptId}.${funcName}`,
    scriptId,
    funcName,
    kwargs,
    origin: 'direct',
    originId: 'origin-1',
    queue: 1,
    timeoutMs: 10_000,
    expiresAt: Date.now() + 60_000,
    triggerTime: 1_700_000_000_123,
    ...extra,
  };
}

type PoolTest = (t: { pool: FuncRunnerPool; m: string; host: TestHost }) => Promise<void>;

/** An `it` body: a pool (its runners forked from the fork server or not) running `code` as `scriptId` with `options`, handed to `body`, closed after it. */
/** A function stuck two frames deep (lines 4 and 8), for the timeout's traceback. */
const STUCK = `import time

def inner():
    time.sleep(30)

@DFF.API('Stuck')
def outer():
    inner()
`;

const withPoolOf =
  (forkServer: boolean) =>
  (scriptId: string, code: string, options: Omit<RunnerPoolOptions, 'python' | 'host'>, body: PoolTest): (() => Promise<void>) =>
  async () => {
    const host = new TestHost();
    const m = host.set(scriptId, code);
    const pool = await createRunnerPool({ python: PYTHON, host, forkServer, ...options });
    try {
      await body({ pool, m, host });
    } finally {
      await pool.close();
    }
  };

/**
 * This test process's Python runners (each test file runs in a process of its own); not the fork
 * server, a child of this process whose own children (forked runners) share its command line.
 */
function pythonChildren(): number[] {
  const forkServer = (pid: number, cmdline: string): boolean =>
    cmdline.includes('--fork-server') && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(process.pid);
  return processTree(process.pid).filter((pid) => {
    if (pid === process.pid) return false;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('func_runner.py') && !forkServer(pid, cmdline);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const MAIN = `
import os, sys, time, json

@DFF.API('Add two numbers', category='math', tags=['a', 'b'], timeout=30)
def add(a, b=1):
    """Adds a and b."""
    print('adding', a, b)
    DFF.LOG('log line')
    return a + b

def noop():
    return None

def fail_here(n):
    x = n * 2
    return helper(x)

def helper(x):
    return {'k': 1}['missing' if x else 'k']

def bad_result(kind):
    import datetime, decimal
    if kind == 'set':
        return {1, 2}
    if kind == 'nan':
        return float('nan')
    if kind == 'nested':
        return {'when': datetime.date(2024, 1, 1)}  # a datetime is written as ISO text (protocol.py); a date is not
    return object()

def garbage():
    os.write(1, b'\\x00\\x00\\x00\\x10{"c":"done"}raw bytes to fd 1 without newline')
    os.write(2, b'raw bytes to fd 2\\n')
    try:
        os.write(4, b'\\x00\\x00\\x00\\x02{}')
    except OSError:
        pass
    sys.stdout.write('no newline at all')
    sys.stdout.write(' ... continued\\nsecond line\\n')
    sys.stderr.write('to stderr\\n')
    print('x' * 5_000_000)
    print('a', 'b', sep='-', end='!\\n')
    print('partial', end='')
    return 'still fine'

def globals_seen():
    return {
        'taskId': _DFF_TASK_ID, 'funcId': _DFF_FUNC_ID, 'origin': _DFF_ORIGIN,
        'triggerTime': _DFF_TRIGGER_TIME, 'cronExpr': _DFF_CRON_EXPR, 'queue': _DFF_QUEUE,
        'http': _DFF_HTTP_REQUEST, 'debug': _DFF_DEBUG, 'vars': DFF.VAR.get('x', 'none'),
    }

def request_seen():
    h = _DFF_HTTP_REQUEST['headers']
    return {'body': _DFF_HTTP_REQUEST['body'], 'token': h['x-auth-token'], 'names': sorted(h), 'type': type(h).__name__}

def ctx_counter():
    n = DFF.CTX.get('n', 0) + 1
    DFF.CTX.set('n', n)
    return {'n': n, 'has': DFF.CTX.has('n')}

def sleep(s):
    time.sleep(s)
    return os.getpid()

def pid():
    return os.getpid()

def crash():
    print('about to crash')
    os._exit(3)

def leak(mb, hold=0):
    s = 'x' * (mb * 1024 * 1024)
    time.sleep(hold)
    return len(s)

def host_calls():
    out = {}
    out['env'] = DFF.ENV('DB_HOST')
    out['store_set'] = DFF.STORE.set('k1', {'v': 1}, expires=60)
    out['store_get'] = DFF.STORE.get('k1')
    out['store_get_scope'] = DFF.STORE.get('k2', scope='other')
    out['store_keys'] = DFF.STORE.keys('k*')
    DFF.STORE.delete('k1')
    DFF.CACHE.set('c1', 'v', expires=10, not_exists=True)
    out['incr'] = DFF.CACHE.incr('n', 5)
    DFF.CACHE.hset('h', 'f', 'v')
    DFF.CACHE.hmget('h', ['f', 'g'])
    DFF.CACHE.lrange('l', 0, 10, scope='s2')
    out['func'] = DFF.FUNC('demo__other.f', kwargs={'x': 1}, queue=3, timeout=20)
    try:
        DFF.CACHE.get('fail')
    except Exception as e:
        out['error'] = type(e).__name__ + ': ' + str(e)
    return out

def responses(kind):
    if kind == 'data':
        return DFF.RESP({'hello': 'world'}, status_code=201, headers={'X-A': 'b'})
    if kind == 'text':
        return DFF.RESP('<b>hi</b>', content_type='text/html')
    if kind == 'redirect':
        return DFF.REDIRECT('https://example.com/x')
    return DFF.RESP_FILE(kind, auto_delete=True)

def helpers():
    return {
        'md5': DFF.SIGN.md5('abc'),
        'sha1': DFF.SIGN.sha1('abc'),
        'hmac': DFF.SIGN.hmac_sha256('k', 'abc'),
        'uuid': len(DFF.SIGN.uuid4()),
        'sql': DFF.SQL('SELECT ?? FROM ?? WHERE a = ? AND b IN (?) AND c = ?', [['x', 'y.z'], 't', "O'Neil\\\\", [1, 2], None]),
        'more': [DFF.SIGN.sha256('abc'), DFF.SIGN.sha512('abc')[:16], DFF.SIGN.hmac_sha1('k', 'abc'), DFF.TOOLKIT.get_sha1('abc'),
                 DFF.TOOLKIT.get_sha512('abc')[:16], len(DFF.TOOLKIT.gen_uuid()), len(DFF.TOOLKIT.gen_rand_string(12)),
                 DFF.TOOLKIT.gen_rand_string(3, 'x')],
        'decimal': [DFF.SQL('?', __import__('decimal').Decimal('1.50')), DFF.TOOLKIT.json_dumps({'d': __import__('decimal').Decimal('2.5')})],
    }

def kwargs_only(a, *, b, c=3, **rest):
    return [a, b, c, rest]

def echo(x):
    return x
`;

// Each pool behaviour twice: runners started as new interpreters, and forked from the fork server.
for (const forkServer of [false, true]) {
  const how = forkServer ? ' (runners forked from the fork server)' : '';
  const withPool = withPoolOf(forkServer);

  describe(`python runner pool${how}`, () => {
    const host = new TestHost();
    let pool: FuncRunnerPool;
    let mainMd5: string;

    beforeAll(async () => {
      mainMd5 = host.set('demo__main', MAIN);
      host.set('demo__util', 'import __consts\nBASE = __consts.BASE\n\ndef triple(x):\n    return x * 3 + BASE\n\ndef explode():\n    raise ValueError("from util")\n');
      host.set('demo__consts', 'BASE = 1000\n');
      host.set(
        'demo__importer',
        'import demo__util\nfrom __util import triple\n\ndef go(x):\n    return {"v": triple(x), "same": demo__util.triple is triple}\n\ndef deep():\n    return demo__util.explode()\n\ndef version():\n    import __ver\n    return __ver.V\n',
      );
      host.set('demo__ver', 'V = 1\n');
      host.set('demo__broken', 'x = 1\nimport demo__nothing_here\n\ndef f():\n    return 1\n');
      pool = await createRunnerPool({ python: PYTHON, processes: 2, memoryLimitMb: 0, host, scriptCheckMs: 0, forkServer });
    });

    afterAll(async () => {
      await pool.close();
    });

    it('runs a function and returns its value with print and DFF.LOG lines', async () => {
      const o = await pool.run(task('demo__main', 'add', { a: 2, b: 3 }), mainMd5);
      expect(o.status).toBe('success');
      expect(o.result).toBe(5);
      expect(o.printLogs).toHaveLength(2);
      expect(o.printLogs[0]).toMatch(/^\[\+\d+ms\] adding 2 3$/);
      expect(o.printLogs[1]).toMatch(/^\[\+\d+ms\] log line$/);
      expect(o.startTime).toBeTypeOf('number');
      expect(o.endTime! >= o.startTime!).toBe(true);
      expect(o.costMs).toBeTypeOf('number');
    });

    it('injects the task globals', async () => {
      const t = task(
        'demo__main',
        'globals_seen',
        {},
        { cronExpr: '*/5 * * * *', queue: 4, httpRequest: { method: 'GET', url: '/x', headers: {}, query: { a: '1' }, body: null } },
      );
      const o = await pool.run(t, mainMd5);
      expect(o.result).toEqual({
        taskId: t.id,
        funcId: 'demo__main.globals_seen',
        origin: 'direct',
        triggerTime: 1_700_000_000, // int(), as DataFlux
        cronExpr: '*/5 * * * *',
        queue: 4,
        http: { method: 'GET', url: '/x', headers: {}, query: { a: '1' }, body: null },
        debug: false,
        vars: 'none',
      });
      const o2 = await pool.run(task('demo__main', 'globals_seen'), mainMd5);
      expect((o2.result as { cronExpr: unknown }).cronExpr).toBeNull();
    });

    it("hands a request without body one of {}, its header names found in any case (a replayed or debug run's request)", async () => {
      const t = task('demo__main', 'request_seen', {}, { httpRequest: { method: 'GET', url: '/x', headers: { 'X-Auth-Token': 'T', host: 'h' }, query: {}, body: undefined } });
      const o = await pool.run(t, mainMd5);
      expect(o.status, o.exception).toBe('success');
      expect(o.result).toEqual({ body: {}, token: 'T', names: ['host', 'x-auth-token'], type: 'IgnoreCaseDict' });
    });

    it('gives each task a fresh DFF.CTX', async () => {
      const a = await pool.run(task('demo__main', 'ctx_counter'), mainMd5);
      const b = await pool.run(task('demo__main', 'ctx_counter'), mainMd5);
      expect(a.result).toEqual({ n: 1, has: true });
      expect(b.result).toEqual({ n: 1, has: true });
    });

    it('keeps the protocol intact whatever the function writes to stdout/stderr', async () => {
      const o = await pool.run(task('demo__main', 'garbage'), mainMd5);
      expect(o.status).toBe('success');
      expect(o.result).toBe('still fine');
      const texts = o.printLogs.map((l) => l.replace(/^\[\+\d+ms\] /, ''));
      expect(texts).toContain('no newline at all ... continued');
      expect(texts).toContain('second line');
      expect(texts).toContain('to stderr');
      expect(texts).toContain('a-b!');
      expect(texts).toContain('partial');
      for (const l of o.printLogs) expect(l.length).toBeLessThanOrEqual(3000);
      expect(o.printLogs.some((l) => l.length === 3000 && l.includes('xxxx'))).toBe(true);
      // and the process still works
      const o2 = await pool.run(task('demo__main', 'add', { a: 1 }), mainMd5);
      expect(o2.result).toBe(2);
    });

    it('reports exceptions with the user traceback and the line in the main script', async () => {
      const o = await pool.run(task('demo__main', 'fail_here', { n: 1 }), mainMd5);
      expect(o.status).toBe('failure');
      expect(o.reason).toBe('EFuncFailed');
      expect(o.exceptionType).toBe('KeyError');
      expect(o.exception).toBe("'missing'");
      const lineOf = (text: string): number => MAIN.split('\n').findIndex((l) => l.includes(text)) + 1;
      expect(lineOf("return {'k': 1}")).toBe(19);
      expect(o.errorLine).toBe(19);
      expect(o.traceback).toContain('File "<demo__main>", line 16, in fail_here');
      expect(o.traceback).toContain('File "<demo__main>", line 19, in helper');
      expect(o.traceback).toContain("return {'k': 1}['missing' if x else 'k']");
      expect(o.traceback).not.toContain('func_runner');
      expect(o.traceback).not.toContain('script_loader');
    });

    it('fails clearly on unexpected or missing kwargs', async () => {
      const o = await pool.run(task('demo__main', 'add', { a: 1, zz: 2 }), mainMd5);
      expect(o.status).toBe('failure');
      expect(o.reason).toBe('EFuncFailed');
      expect(o.exceptionType).toBe('TypeError');
      expect(o.exception).toContain("unexpected keyword argument 'zz'");
      const o2 = await pool.run(task('demo__main', 'add', {}), mainMd5);
      expect(o2.exception).toContain("missing 1 required positional argument: 'a'");
      const o3 = await pool.run(task('demo__main', 'nope'), mainMd5);
      expect(o3.status).toBe('failure');
      expect(o3.exceptionType).toBe('FuncNotFound');
      const o4 = await pool.run(task('demo__main', 'kwargs_only', { a: 1, b: 2, z: 9 }), mainMd5);
      expect(o4.result).toEqual([1, 2, 3, { z: 9 }]);
    });

    it('refuses results that are not JSON', async () => {
      // What each kind returns: the type named in the error.
      for (const [kind, type] of Object.entries({ set: 'set', nested: 'date', other: 'object' })) {
        const o = await pool.run(task('demo__main', 'bad_result', { kind }), mainMd5);
        expect(o.status).toBe('failure');
        expect(o.reason).toBe('EFuncResultParsingFailed');
        expect(o.exception).toContain(`type ${type}`);
        expect(o.result).toBeUndefined();
      }
      // A NaN is written as null, as DataFlux Func writes it (embedded-calls.test.ts covers the rest).
      const nan = await pool.run(task('demo__main', 'bad_result', { kind: 'nan' }), mainMd5);
      expect(nan).toMatchObject({ status: 'success', result: null });
      const ok = await pool.run(task('demo__main', 'noop'), mainMd5);
      expect(ok.status).toBe('success');
      expect(ok.result).toBeNull();
    });

    it('routes STORE, CACHE, ENV and FUNC host calls with their arguments', async () => {
      host.calls.length = 0;
      const t = task('demo__main', 'host_calls');
      const o = await pool.run(t, mainMd5);
      expect(o.status).toBe('success');
      expect(o.result).toEqual({
        env: 'env:DB_HOST',
        store_set: null, // DataFlux Func's STORE.set answers None whatever the host says
        store_get: { stored: 'k1' },
        store_get_scope: { stored: 'k2' },
        store_keys: 'OK',
        incr: 42,
        func: 'task-from-func',
        error: 'HostCallError: cache is down',
      });
      expect(host.calls.map(({ member, method, args }) => [member, method, args])).toEqual([
        ['ENV', 'read', ['DB_HOST']],
        ['STORE', 'set', ['demo__main', 'k1', { v: 1 }, 60, false]],
        ['STORE', 'get', ['demo__main', 'k1']],
        ['STORE', 'get', ['other', 'k2']],
        ['STORE', 'keys', ['demo__main', 'k*']],
        ['STORE', 'delete', ['demo__main', 'k1']],
        ['CACHE', 'set', ['demo__main', 'c1', 'v', 10, true]],
        ['CACHE', 'incr', ['demo__main', 'n', 5]],
        ['CACHE', 'hset', ['demo__main', 'h', 'f', 'v']],
        ['CACHE', 'hmget', ['demo__main', 'h', ['f', 'g']]],
        ['CACHE', 'lrange', ['s2', 'l', 0, 10]],
        ['FUNC', 'call', ['demo__other.f', { x: 1 }, { queue: 3, timeout: 20 }]],
        ['CACHE', 'get', ['demo__main', 'fail']],
      ]);
      expect(host.calls.every((c) => c.taskId === t.id)).toBe(true);
    });

    it('turns DFF.RESP / REDIRECT / RESP_FILE into a response', async () => {
      const data = await pool.run(task('demo__main', 'responses', { kind: 'data' }), mainMd5);
      expect(data.result).toEqual({ hello: 'world' });
      expect(data.response).toEqual({ kind: 'data', data: { hello: 'world' }, statusCode: 201, headers: { 'X-A': 'b' } });
      const text = await pool.run(task('demo__main', 'responses', { kind: 'text' }), mainMd5);
      expect(text.response).toMatchObject({ kind: 'data', data: '<b>hi</b>', contentType: 'text/html', statusCode: 200 });
      const redirect = await pool.run(task('demo__main', 'responses', { kind: 'redirect' }), mainMd5);
      expect(redirect.response).toEqual({ kind: 'redirect', url: 'https://example.com/x', statusCode: 302 });
      const dir = mkdtempSync(join(tmpdir(), 'func-resp-'));
      const file = join(dir, 'report.csv');
      writeFileSync(file, 'a,b\n1,2\n');
      const f = await pool.run(task('demo__main', 'responses', { kind: file }), mainMd5);
      expect(f.status).toBe('success');
      expect(f.response).toMatchObject({ kind: 'file', downloadName: 'report.csv', contentType: 'text/csv', statusCode: 200 });
      expect(Buffer.from(f.response!.fileBase64!, 'base64').toString()).toBe('a,b\n1,2\n');
      expect(existsSync(file)).toBe(false); // auto_delete
    });

    it('offers SIGN and SQL helpers', async () => {
      const o = await pool.run(task('demo__main', 'helpers'), mainMd5);
      expect(o.result).toEqual({
        md5: md5('abc'),
        sha1: createHash('sha1').update('abc').digest('hex'),
        hmac: '342e519ce0ad6c03a36b98eeb3f1d130db4813b9df4d1160eda488d712dc78ee',
        uuid: 32,
        sql: "SELECT `x`, `y`.`z` FROM `t` WHERE a = 'O\\'Neil\\\\' AND b IN (1, 2) AND c = NULL",
        // hashlib, hmac, uuid, random and decimal are imported on first use (dff.py), not at the runner's start
        more: [
          createHash('sha256').update('abc').digest('hex'),
          createHash('sha512').update('abc').digest('hex').slice(0, 16),
          createHmac('sha1', 'k').update('abc').digest('hex'),
          createHash('sha1').update('abc').digest('hex'),
          createHash('sha512').update('abc').digest('hex').slice(0, 16),
          36,
          12,
          'xxx',
        ],
        decimal: ['1.50', '{"d":2.5}'],
      });
    });

    it('imports other scripts (set__script and __script) and reloads them when their md5 changes', async () => {
      const imp = host.md5('demo__importer');
      const o = await pool.run(task('demo__importer', 'go', { x: 2 }), imp);
      expect(o.result).toEqual({ v: 1006, same: true });
      expect(host.scriptFetches.filter((f) => f.id === 'demo__util').every((f) => !f.draft)).toBe(true);

      const v1 = await pool.run(task('demo__importer', 'version'), imp);
      expect(v1.result).toBe(1);
      host.set('demo__ver', 'V = 2\n');
      // Both processes must pick the new version up.
      const [a, b] = await Promise.all([pool.run(task('demo__importer', 'version'), imp), pool.run(task('demo__importer', 'version'), imp)]);
      expect([a.result, b.result]).toEqual([2, 2]);
      host.set('demo__consts', 'BASE = 5000\n');
      const o2 = await pool.run(task('demo__importer', 'go', { x: 2 }), imp);
      expect(o2.result).toEqual({ v: 5006, same: true });
    });

    it('shows frames of imported scripts in tracebacks, errorLine in the main one', async () => {
      const o = await pool.run(task('demo__importer', 'deep'), host.md5('demo__importer'));
      expect(o.exceptionType).toBe('ValueError');
      expect(o.errorLine).toBe(8);
      expect(o.traceback).toContain('File "<demo__importer>", line 8, in deep');
      expect(o.traceback).toContain('File "<demo__util>", line 8, in explode');
      expect(o.traceback).toContain('raise ValueError("from util")');
    });

    it('fails with the import line when an imported script is missing', async () => {
      const o = await pool.run(task('demo__broken', 'f'), host.md5('demo__broken'));
      expect(o.status).toBe('failure');
      expect(o.exceptionType).toBe('ModuleNotFoundError');
      expect(o.errorLine).toBe(2);
      const missing = await pool.run(task('demo__ghost', 'f'), 'nope');
      expect(missing.exceptionType).toBe('ScriptNotFound');
    });

    it('runs the draft of the main script for debug runs, with peak memory', async () => {
      host.drafts.set('demo__main', MAIN.replace('return a + b', 'return (a + b) * 100'));
      const draftMd5 = md5(host.drafts.get('demo__main')!);
      const o = await pool.run(task('demo__main', 'add', { a: 1, b: 1 }, { draft: true, origin: 'debugger' }), draftMd5);
      expect(o.result).toBe(200);
      expect(o.printLogs).toHaveLength(2);
      expect(o.peakMemoryMb).toBeGreaterThan(1);
      const pub = await pool.run(task('demo__main', 'add', { a: 1, b: 1 }), mainMd5);
      expect(pub.result).toBe(2);
      expect(pub.peakMemoryMb).toBeUndefined();
    });

    it('discovers functions with their metadata', async () => {
      const d = await pool.discover('demo__main', MAIN);
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect(d.funcs).toHaveLength(1);
      expect(d.funcs[0]).toEqual({
        name: 'add',
        title: 'Add two numbers',
        description: 'Adds a and b.',
        category: 'math',
        tags: ['a', 'b'],
        definition: 'def add(a, b=1)',
        args: ['a', 'b'],
        kwargs: { a: { hasDefault: false }, b: { default: 1, hasDefault: true } },
        varKwargs: false,
        timeout: 30,
        isHidden: false,
        order: 0,
        line: 4, // its decorator's line: where a publish refusal points
      });
      const code = [
        'import datetime',
        '@DFF.API("First", api_timeout=5, expires=60, cache_result=30, queue=3, fixed_cron_expr="*/5 * * * *", is_hidden=True, integration="signIn")',
        'def first(x, when=datetime.date(2024, 1, 1), *, flag=None, **extra):',
        '    pass',
        '',
        '@DFF.API("Second")',
        'def second(): pass',
      ].join('\n');
      const d2 = await pool.discover('demo__x', code);
      expect(d2.ok).toBe(true);
      if (!d2.ok) return;
      expect(d2.funcs.map((f) => f.name)).toEqual(['first', 'second']);
      expect(d2.funcs[0]).toMatchObject({
        timeout: 5,
        expires: 60,
        cacheResult: 30,
        queue: 3,
        fixedCronExpr: '*/5 * * * *',
        isHidden: true,
        varKwargs: true,
        // **extra listed as DataFlux Func lists it.
        args: ['x', 'when', '**extra'],
        kwargs: { x: { hasDefault: false }, when: { default: 'datetime.date(2024, 1, 1)', hasDefault: true }, flag: { default: null, hasDefault: true }, '**extra': {} },
        definition: 'def first(x, when=datetime.date(2024, 1, 1), *, flag=None, **extra)',
        order: 0,
        line: 2,
      });
      expect(d2.funcs[1]).toMatchObject({ order: 1, title: 'Second', category: 'general', line: 6 });
    });

    it('refuses syntax errors, bad decorator options and import errors with their line', async () => {
      const syntax = await pool.discover('demo__x', 'def ok():\n    pass\n\ndef broken(:\n    pass\n');
      expect(syntax).toMatchObject({ ok: false, exceptionType: 'SyntaxError', line: 4 });
      const bad = await pool.discover('demo__x', 'x = 1\n\n@DFF.API("T", timeout=99999)\ndef f():\n    pass\n');
      expect(bad.ok).toBe(false);
      if (bad.ok) return;
      expect(bad.line).toBe(3);
      expect(bad.message).toContain('timeout must be an integer between 1 and 3600');
      const q = await pool.discover('demo__x', '@DFF.API("T", queue=0)\ndef f():\n    pass\n');
      expect(q).toMatchObject({ ok: false, line: 1 });
      const cron = await pool.discover('demo__x', '@DFF.API("T", fixed_cron_expr=5)\ndef f():\n    pass\n');
      expect(cron).toMatchObject({ ok: false, line: 1 });
      const imp = await pool.discover('demo__x', '\n\nimport demo__does_not_exist\n');
      expect(imp).toMatchObject({ ok: false, exceptionType: 'ModuleNotFoundError', line: 3 });
      const runtime = await pool.discover('demo__x', 'a = 1\nb = a / 0\n');
      expect(runtime).toMatchObject({ ok: false, exceptionType: 'ZeroDivisionError', line: 2 });
      if (!runtime.ok) expect(runtime.traceback).toContain('File "<demo__x>", line 2');
      const withImport = await pool.discover('demo__x', 'import __util\n\n@DFF.API("T")\ndef f(n):\n    return __util.triple(n)\n');
      expect(withImport.ok).toBe(true);
    });

    it('carries big payloads both ways', async () => {
      const big = 'é'.repeat(2_000_000) + '🙂\u0000"\\';
      const o = await pool.run(task('demo__main', 'echo', { x: { big, n: [1, 2.5, null, true] } }), mainMd5);
      expect(o.status).toBe('success');
      expect(o.result).toEqual({ big, n: [1, 2.5, null, true] });
    });

    it('sends a sync result straight to the waiting server, and leaves it to the worker when that cannot be done', async () => {
      const lines: string[] = [];
      const listener = new ReplyListener((json) => lines.push(json));
      const to = await listener.listen('127.0.0.1');
      try {
        const received = async (n: number): Promise<void> => {
          const deadline = Date.now() + 5000;
          while (lines.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        };
        // A process opens its connection at its first result for that server, without waiting for
        // it: results go through the worker until the server has verified it, then straight.
        const replied: string[] = [];
        for (let i = 0; i < 40 && replied.length < 4; i++) {
          const t = task('demo__main', 'add', { a: i, b: 1 });
          const o = await pool.run(t, mainMd5, undefined, to);
          expect(o).toMatchObject({ status: 'success', result: i + 1 });
          if (o.replied === true) {
            replied.push(t.id);
            await received(replied.length);
            expect(JSON.parse(lines[replied.length - 1]!)).toMatchObject({ taskId: t.id, payload: { status: 'success', result: i + 1 } });
          } else {
            expect(replied).toHaveLength(0);
            await new Promise((r) => setTimeout(r, 5));
          }
        }
        expect(replied).toHaveLength(4);
        // A failure goes the same way, with what the caller is shown.
        const failing = task('demo__main', 'fail_here', { n: 1 });
        expect(await pool.run(failing, mainMd5, undefined, to)).toMatchObject({ status: 'failure', replied: true });
        await received(5);
        expect(JSON.parse(lines[4]!)).toMatchObject({ taskId: failing.id, payload: { status: 'failure', exceptionType: 'KeyError' } });
        // A wrong token (tried on several results, time enough for a handshake), a result too big
        // for one line, a debug run: the worker sends those.
        const wrongOnes = [];
        for (let i = 0; i < 3; i++) {
          wrongOnes.push(await pool.run(task('demo__main', 'add', { a: 1, b: 1 }), mainMd5, undefined, { ...to, token: 'not-the-token' }));
          await new Promise((r) => setTimeout(r, 30));
        }
        const big = await pool.run(task('demo__main', 'echo', { x: 'x'.repeat(2_000_000) }), mainMd5, undefined, to);
        const draft = await pool.run(task('demo__main', 'add', { a: 1, b: 1 }, { draft: true }), mainMd5, undefined, to);
        for (const o of [...wrongOnes, big, draft]) {
          expect(o.status).toBe('success');
          expect(o.replied).toBeUndefined();
        }
        await new Promise((r) => setTimeout(r, 50));
        expect(lines).toHaveLength(5);
        // Something else on the port that never answers: the process never waits for it.
        const silent = createServer(() => undefined);
        await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
        try {
          const t0 = Date.now();
          for (let i = 0; i < 3; i++) {
            const o = await pool.run(task('demo__main', 'add', { a: 1, b: 1 }), mainMd5, undefined, { ...to, port: (silent.address() as AddressInfo).port });
            expect(o).toMatchObject({ status: 'success', result: 2 });
            expect(o.replied).toBeUndefined();
          }
          // A handshake waited for would hold the process for its 1 s timeout each time (3 s in all);
          // the bound is far from both, so a loaded machine does not fail it.
          expect(Date.now() - t0).toBeLessThan(2500);
        } finally {
          silent.close();
        }
        // Results far apart (more than the handshake's 1 s): the connection a first one opened
        // still serves the next.
        const other = new ReplyListener((json) => lines.push(json));
        const to2 = await other.listen('127.0.0.1');
        try {
          // The first result opens it (and takes the worker's path unless the ok came at once).
          expect(await pool.run(task('demo__main', 'add', { a: 1, b: 1 }), mainMd5, undefined, to2)).toMatchObject({ status: 'success', result: 2 });
          await new Promise((r) => setTimeout(r, 1300));
          const second = await pool.run(task('demo__main', 'add', { a: 2, b: 1 }), mainMd5, undefined, to2);
          expect(second).toMatchObject({ status: 'success', result: 3, replied: true });
        } finally {
          other.close();
        }
      } finally {
        listener.close();
      }
    });

    it('discovers in a borrowed process that is replaced afterwards', async () => {
      const before = pool.stats();
      const d = await pool.discover('demo__x', 'import os\nos.environ["POLLUTED"] = "1"\n\n@DFF.API("T")\ndef f():\n    return os.environ.get("POLLUTED")\n');
      expect(d.ok).toBe(true);
      await eventually(() => (pool.stats().processes === 2 && pool.idle() === 2 ? true : undefined), 10_000, 'two idle processes');
      expect(pool.stats().restarts).toBe(before.restarts);
      host.set('demo__env', 'import os\n\ndef polluted():\n    return os.environ.get("POLLUTED")\n');
      const [a, b] = await Promise.all([pool.run(task('demo__env', 'polluted'), host.md5('demo__env')), pool.run(task('demo__env', 'polluted'), host.md5('demo__env'))]);
      expect([a.result, b.result]).toEqual([null, null]);
    });

    it('queues tasks beyond the process count', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.run(task('demo__main', 'add', { a: i, b: 0 }), mainMd5)));
      expect(results.map((r) => r.result)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      await pool.whenIdle();
      expect(pool.idle()).toBe(2);
    });
  });

  describe(`python runner pool: failures${how}`, () => {
    it(
      'kills a timed-out process and keeps serving',
      withPool('demo__main', MAIN, { processes: 2, memoryLimitMb: 0 }, async ({ pool, m }) => {
        const t = task('demo__main', 'sleep', { s: 30 }, { timeoutMs: 300 });
        const o = await pool.run(t, m);
        expect(o.status).toBe('timeout');
        expect(o.reason).toBe('EFuncTimeout');
        const after = await Promise.all([pool.run(task('demo__main', 'add', { a: 1 }), m), pool.run(task('demo__main', 'add', { a: 2 }), m)]);
        expect(after.map((a) => a.result)).toEqual([2, 3]);
        await eventually(() => (pool.stats().processes === 2 && pool.idle() === 2 ? true : undefined), 10_000, 'two idle processes');
        expect(pool.stats().restarts).toBe(1);
      }),
    );

    it(
      "a timeout's traceback shows where the function was stuck, and a stuck import's refusal its line (as DataFlux Func's SIGALRM traceback)",
      withPool('demo__stuck', STUCK, { processes: 1, memoryLimitMb: 0, discoverTimeoutMs: 1000 }, async ({ pool, m }) => {
        const o = await pool.run(task('demo__stuck', 'outer', {}, { timeoutMs: 500 }), m);
        expect(o).toMatchObject({ status: 'timeout', reason: 'EFuncTimeout' });
        expect(o.traceback).toBe(
          'Traceback (most recent call last):\n  File "<demo__stuck>", line 8, in outer\n  File "<demo__stuck>", line 4, in inner\nTimeoutError: the function did not finish within 500 ms\n',
        );
        expect(o.costMs).toBeLessThan(1500);
        const d = await pool.discover('demo__hangs', 'import time\n\nx = 1\ntime.sleep(30)\n');
        expect(d).toMatchObject({ ok: false, exceptionType: 'TimeoutError', line: 4 });
        expect(d.ok ? '' : d.traceback).toBe(
          'Traceback (most recent call last):\n  File "<demo__hangs>", line 4, in <module>\nTimeoutError: importing the script took longer than 1000 ms\n',
        );
      }),
    );

    it(
      'replaces a process that crashes mid-task',
      withPool('demo__main', MAIN, { processes: 1, memoryLimitMb: 0 }, async ({ pool, m }) => {
        const before = (await pool.run(task('demo__main', 'pid'), m)).result as number;
        const o = await pool.run(task('demo__main', 'crash'), m);
        expect(o.status).toBe('failure');
        expect(o.reason).toBe('EWorkerNoResponse');
        expect(o.exception).toBe('the Python process exited with code 3 during the task');
        const after = await pool.run(task('demo__main', 'pid'), m);
        expect(after.status).toBe('success');
        expect(after.result).not.toBe(before);
        expect(alive(before)).toBe(false);
        expect(pool.stats()).toMatchObject({ processes: 1, restarts: 1 });
      }),
    );

    it(
      'does not start a queued task that expired while waiting',
      withPool('demo__main', MAIN, { processes: 1, memoryLimitMb: 0 }, async ({ pool, m }) => {
        const busy = pool.run(task('demo__main', 'sleep', { s: 0.3 }), m);
        const late = await pool.run(task('demo__main', 'noop', {}, { expiresAt: Date.now() + 50 }), m);
        expect(late).toMatchObject({ status: 'expired', reason: 'EFuncExpired' });
        expect((await busy).status).toBe('success');
      }),
    );

    it(
      'recycles a process after maxTasksPerProcess',
      withPool('demo__main', MAIN, { processes: 1, memoryLimitMb: 0, maxTasksPerProcess: 3 }, async ({ pool, m }) => {
        const pids: unknown[] = [];
        for (let i = 0; i < 6; i++) pids.push((await pool.run(task('demo__main', 'pid'), m)).result);
        expect(new Set(pids.slice(0, 3)).size).toBe(1);
        expect(new Set(pids.slice(3)).size).toBe(1);
        expect(pids[3]).not.toBe(pids[0]);
      }),
    );

    it(
      "starts a recycled process's successor ahead, out of service until the recycling, so no task waits for a Python start",
      withPool('demo__main', MAIN, { processes: 1, memoryLimitMb: 0, maxTasksPerProcess: 20 }, async ({ pool, m }) => {
        const pids: unknown[] = [];
        for (let i = 0; i < 19; i++) pids.push((await pool.run(task('demo__main', 'pid'), m)).result);
        const capacity = pool.reserveCapacity();
        // The 19th task (of 20, one ahead) started the successor: ready beside the first process.
        await eventually(() => (pool.stats().processes === 2 ? true : undefined), 10_000, 'the successor ready');
        expect(pool.reserveCapacity()).toBe(capacity);
        pids.push((await pool.run(task('demo__main', 'pid'), m)).result);
        expect(new Set(pids).size).toBe(1); // the successor took no task before the recycling
        const next = (await pool.run(task('demo__main', 'pid'), m)).result;
        expect(next).not.toBe(pids[0]);
        await eventually(() => (pool.stats().processes === 1 ? true : undefined), 10_000, 'the first process gone');
        expect(pool.stats().restarts).toBe(0);
      }),
    );

    it(
      'enforces the memory limit (MemoryError inside and RSS watchdog) without hurting other tasks',
      withPool('demo__main', MAIN, { processes: 2, memoryLimitMb: 200 }, async ({ pool, m }) => {
        // 2 GB at once: RLIMIT_AS makes Python raise MemoryError, reported from inside.
        const [hog, other] = await Promise.all([pool.run(task('demo__main', 'leak', { mb: 2048 }), m), pool.run(task('demo__main', 'sleep', { s: 0.5 }), m)]);
        expect(hog.status).toBe('failure');
        expect(hog.reason).toBe('EFuncMemoryLimit');
        expect(hog.exception).toBe('exceeded the memory limit of 200 MB');
        expect(hog.errorLine).toBeTypeOf('number');
        expect(other.status).toBe('success');
        // 188 MB touched and held: under RLIMIT_AS (base VmSize ~28 MB + 200) but RSS (base ~22 MB) goes past 200 MB: the watchdog kills it.
        const [held, other2] = await Promise.all([pool.run(task('demo__main', 'leak', { mb: 188, hold: 5 }), m), pool.run(task('demo__main', 'sleep', { s: 0.5 }), m)]);
        expect(held.status).toBe('failure');
        expect(held.reason).toBe('EFuncMemoryLimit');
        expect(held.exception).toBe('exceeded the memory limit of 200 MB');
        expect(held.traceback).toBeUndefined(); // killed from outside, not a MemoryError inside
        expect(other2.status).toBe('success');
        const small = await pool.run(task('demo__main', 'leak', { mb: 50 }), m);
        expect(small.status).toBe('success');
        await eventually(() => (pool.stats().processes === 2 ? true : undefined), 10_000, 'two processes');
      }),
    );

    it('leaves no Python process behind on close', async () => {
      const host = new TestHost();
      const m = host.set('demo__main', MAIN);
      const pool = await createRunnerPool({ python: PYTHON, processes: 3, memoryLimitMb: 0, host, forkServer });
      const outcomes = await Promise.all([0.2, 0.2, 0.2].map((s) => pool.run(task('demo__main', 'sleep', { s }), m)));
      const pids = outcomes.map((o) => o.result as number);
      expect(new Set(pids).size).toBe(3);
      const running = pool.run(task('demo__main', 'sleep', { s: 30 }), m);
      await new Promise((r) => setTimeout(r, 100));
      await pool.close();
      const o = await running;
      expect(o.reason).toBe('EWorkerNoResponse');
      for (const pid of pids) expect(alive(pid)).toBe(false);
      await expect(pool.run(task('demo__main', 'noop'), m)).rejects.toThrow('closed');
    });

    it('fails to start with a wrong interpreter', async () => {
      await expect(createRunnerPool({ python: '/nonexistent/python3', processes: 1, memoryLimitMb: 0, host: new TestHost(), forkServer })).rejects.toThrow();
      await expect(createRunnerPool({ python: 'python3', processes: 1, memoryLimitMb: 0, host: new TestHost() })).rejects.toThrow('absolute');
    });
  });

  describe(`python runner pool: on demand (func up)${how}`, () => {
    it(
      'starts no process until a task comes, one per waiting task up to its maximum, and stops idle ones',
      withPool('demo__main', MAIN, { processes: 3, minProcesses: 0, idleStopMs: 400, memoryLimitMb: 0 }, async ({ pool, m }) => {
        expect(pool.stats().processes).toBe(0);
        // Room for the task that starts the first process.
        expect(pool.reserveCapacity()).toBeGreaterThan(0);
        expect(pool.idle()).toBe(1);
        const first = await pool.run(task('demo__main', 'pid'), m);
        expect(first.status).toBe('success');
        expect(pool.stats().processes).toBe(1);
        // Five tasks at once: two more processes start (three at most), none is lost.
        const burst = await Promise.all(Array.from({ length: 5 }, () => pool.run(task('demo__main', 'sleep', { s: 0.3 }, { timeoutMs: 5000 }), m)));
        expect(burst.map((o) => o.status)).toEqual(Array(5).fill('success'));
        expect(new Set(burst.map((o) => o.result)).size).toBe(3);
        expect(pool.stats().processes).toBe(3);
        // Idle for 0.4 s: every process stops (and none is counted as a restart).
        await eventually(() => (pool.stats().processes === 0 ? true : undefined), 10_000, 'the idle processes to stop');
        // Stopped ones leave the count at once, and exit right after.
        const stopped = [first.result, ...burst.map((o) => o.result)] as number[];
        await eventually(() => (stopped.some(alive) ? undefined : true), 5000, 'the stopped processes to exit');
        expect(pool.stats().restarts).toBe(0);
        // And it starts again for the next task.
        expect((await pool.run(task('demo__main', 'add', { a: 1, b: 2 }), m)).result).toBe(3);
      }),
    );

    // Started runners only: a forked one is ready in milliseconds, too soon to be killed while it
    // starts (fork-server.test.ts loses the fork server while it forks one instead).
    if (!forkServer)
      it(
        'runs a task that came while its process was starting within its timeout, and replaces one killed while starting',
        withPool('demo__main', MAIN, { processes: 1, minProcesses: 0, idleStopMs: 60_000, memoryLimitMb: 0 }, async ({ pool, m }) => {
          const pending = pool.run(task('demo__main', 'sleep', { s: 0.2 }, { timeoutMs: 1000 }), m);
          // The process the task started: killed before it is ready; the task waits for the next one.
          const starting = await eventually(() => pythonChildren()[0], 5000, 'a Python process starting');
          process.kill(starting, 'SIGKILL');
          const o = await pending;
          expect(o.status).toBe('success');
          expect(o.result).not.toBe(starting);
        }),
      );

    it(
      'keeps its minimum running (production: every configured process, never stopped)',
      withPool('demo__main', MAIN, { processes: 2, memoryLimitMb: 0, idleStopMs: 200 }, async ({ pool, m }) => {
        expect(pool.stats().processes).toBe(2);
        await pool.run(task('demo__main', 'noop'), m);
        await new Promise((r) => setTimeout(r, 600));
        expect(pool.stats().processes).toBe(2);
      }),
    );
  });
}

describe('pipe round trip floor', () => {
  it('measures sorted latencies', async () => {
    const lat = await measurePipeRoundTrip({ python: PYTHON, iterations: 200, warmup: 20 });
    expect(lat).toHaveLength(200);
    for (let i = 1; i < lat.length; i++) expect(lat[i]! >= lat[i - 1]!).toBe(true);
    expect(lat[0]!).toBeGreaterThan(0);
  });
});

describe('python runner pool: pipelining', () => {
  const PIPE = `
import os, time

def noop():
    return None

def pid():
    return os.getpid()

def sleep(s):
    time.sleep(s)
    return s

def crash():
    os._exit(3)

def cached(n):
    DFF.CACHE.set('k%d' % n, n)
    return [n, DFF.STORE.get('s%d' % n)]
`;

  /** A pool of `processes` running PIPE, closed after `body`. */
  const pipePool = (processes: number, body: PoolTest): (() => Promise<void>) => withPoolOf(false)('pipe__main', PIPE, { processes, memoryLimitMb: 0 }, body);

  async function warm(pool: FuncRunnerPool, m: string): Promise<void> {
    for (let i = 0; i < 40; i++) await pool.run(task('pipe__main', 'noop'), m);
  }

  it(
    'sends short tasks ahead (processes × depth at once, and a backlog in the pool) and long ones one per process',
    pipePool(2, async ({ pool, m }) => {
      expect(pool.reserveCapacity()).toBe(2);
      await warm(pool, m);
      expect(pool.reserveCapacity()).toBe(2 * PIPELINE_DEPTH * (1 + SHORT_BACKLOG));
      // 200 short tasks at once: all run, in order per process, on both processes.
      const started: number[] = [];
      const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.run(task('pipe__main', 'pid'), m, () => started.push(i))));
      expect(outcomes.every((o) => o.status === 'success')).toBe(true);
      expect(new Set(outcomes.map((o) => o.result)).size).toBe(2);
      expect(started).toHaveLength(200);
      // Long tasks bring the average up: one task per process again.
      await Promise.all(Array.from({ length: 40 }, () => pool.run(task('pipe__main', 'sleep', { s: 0.01 }), m)));
      expect(pool.reserveCapacity()).toBe(2);
    }),
  );

  it(
    'hands the tasks sent ahead of a process that dies to another process',
    pipePool(2, async ({ pool, m }) => {
      await warm(pool, m);
      // The crash is the first task of one process; the tasks after it are sent ahead to both.
      const runs = [pool.run(task('pipe__main', 'crash'), m), ...Array.from({ length: 30 }, () => pool.run(task('pipe__main', 'pid'), m))];
      const [crashed, ...rest] = await Promise.all(runs);
      expect(crashed).toMatchObject({ status: 'failure', reason: 'EWorkerNoResponse' });
      expect(rest.map((o) => o.status)).toEqual(Array.from({ length: 30 }, () => 'success'));
      expect(pool.stats().restarts).toBe(1);
    }),
  );

  it(
    'credits a task that ended just before the process crashed, and fails only the crashing one',
    pipePool(1, async ({ pool, m }) => {
      for (let round = 0; round < 5; round++) {
        await warm(pool, m);
        const [ok, crashed, after] = await Promise.all([pool.run(task('pipe__main', 'pid'), m), pool.run(task('pipe__main', 'crash'), m), pool.run(task('pipe__main', 'pid'), m)]);
        expect(ok.status).toBe('success');
        expect(crashed).toMatchObject({ status: 'failure', reason: 'EWorkerNoResponse' });
        expect(after.status).toBe('success');
        expect(after.result).not.toBe(ok.result);
      }
    }),
  );

  it(
    'does not start a task sent ahead whose expiry passed while it waited in the process',
    pipePool(1, async ({ pool, m }) => {
      await warm(pool, m);
      const busy = pool.run(task('pipe__main', 'sleep', { s: 0.3 }), m);
      const late = pool.run(task('pipe__main', 'pid', {}, { expiresAt: Date.now() + 50 }), m);
      expect(await late).toMatchObject({ status: 'expired', reason: 'EFuncExpired' });
      expect((await busy).status).toBe('success');
    }),
  );

  it(
    'keeps the backlog in the pool: a task that turns out long holds up only what was sent ahead to its process',
    pipePool(2, async ({ pool, m }) => {
      await warm(pool, m);
      const n = pool.reserveCapacity();
      const ends: string[] = [];
      const long = pool.run(task('pipe__main', 'sleep', { s: 0.5 }), m).then(() => ends.push('long'));
      const shorts = Array.from({ length: n - 1 }, () => pool.run(task('pipe__main', 'pid'), m).then(() => ends.push('short')));
      await Promise.all([long, ...shorts]);
      // The other process ran the backlog meanwhile; only the tasks sent ahead behind the long one waited for it.
      const afterLong = ends.length - 1 - ends.indexOf('long');
      expect(afterLong).toBeLessThanOrEqual(PIPELINE_DEPTH - 1);
    }),
  );

  it(
    'ends the tasks waiting in the pool as not started when told to drop them; those sent to a process still run',
    pipePool(1, async ({ pool, m }) => {
      await warm(pool, m);
      const n = pool.reserveCapacity();
      // One long task holds the process; PIPELINE_DEPTH - 1 are sent ahead behind it, the rest wait in the pool.
      const outcomes = [pool.run(task('pipe__main', 'sleep', { s: 0.3 }), m), ...Array.from({ length: n - 1 }, () => pool.run(task('pipe__main', 'noop'), m))];
      await new Promise((r) => setTimeout(r, 50));
      expect(pool.dropWaiting()).toBe(n - PIPELINE_DEPTH);
      const all = await Promise.all(outcomes);
      expect(all.filter((o) => o.status === 'success')).toHaveLength(PIPELINE_DEPTH);
      const dropped = all.filter((o) => o.status !== 'success');
      expect(dropped).toHaveLength(n - PIPELINE_DEPTH);
      for (const o of dropped) expect(o).toMatchObject({ status: 'failure', reason: 'EWorkerNoResponse' });
      expect(pool.dropWaiting()).toBe(0);
    }),
  );

  it(
    'takes a task next (for a handed sync call) while a process is idle, or runs one short task with room behind it',
    pipePool(1, async ({ pool, m }) => {
      // Tasks not known to be short yet: one per process, so a busy process takes none next.
      expect(pool.takesNext()).toBe(true);
      const first = pool.run(task('pipe__main', 'sleep', { s: 0.2 }), m);
      expect(pool.takesNext()).toBe(false);
      await first;
      await warm(pool, m);
      expect(pool.takesNext()).toBe(true);
      // Short tasks: one running, the next may go right behind it; with one already behind it, no more.
      const running = pool.run(task('pipe__main', 'sleep', { s: 0.2 }), m);
      expect(pool.takesNext()).toBe(true);
      const behind = pool.run(task('pipe__main', 'pid'), m);
      expect(pool.takesNext()).toBe(false);
      expect((await behind).status).toBe('success');
      expect((await running).status).toBe('success');
    }),
  );

  it(
    'stops sending ahead after a single slow task',
    pipePool(2, async ({ pool, m }) => {
      await warm(pool, m);
      expect(pool.reserveCapacity()).toBe(2 * PIPELINE_DEPTH * (1 + SHORT_BACKLOG));
      await pool.run(task('pipe__main', 'sleep', { s: 0.02 }), m);
      expect(pool.reserveCapacity()).toBe(2);
    }),
  );

  it(
    'keeps tasks sent ahead while the running one waits on host calls',
    pipePool(1, async ({ pool, m, host }) => {
      await warm(pool, m);
      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, n) => pool.run(task('pipe__main', 'cached', { n }), m)));
      expect(outcomes.map((o) => o.result)).toEqual(Array.from({ length: 12 }, (_, n) => [n, { stored: `s${n}` }]));
      expect(host.calls.filter((c) => c.member === 'CACHE')).toHaveLength(12);
    }),
  );

  it(
    'answers a short task at once even when a long one was sent after it (results are never held back)',
    pipePool(1, async ({ pool, m }) => {
      await warm(pool, m);
      const answered: string[] = [];
      const quick = pool.run(task('pipe__main', 'noop'), m).then(() => void answered.push('quick'));
      const slow = pool.run(task('pipe__main', 'sleep', { s: 0.5 }), m).then(() => void answered.push('slow'));
      await quick;
      // The short task's answer arrived while the long one still runs, not held back until it ends.
      expect(answered).toEqual(['quick']);
      await slow;
      expect(answered).toEqual(['quick', 'slow']);
    }),
  );

  it(
    'fails only the running task on a timeout; the ones sent after it run',
    pipePool(1, async ({ pool, m }) => {
      await warm(pool, m);
      const hung = pool.run(task('pipe__main', 'sleep', { s: 30 }, { timeoutMs: 300 }), m);
      const after = Array.from({ length: 5 }, () => pool.run(task('pipe__main', 'pid'), m));
      expect(await hung).toMatchObject({ status: 'timeout', reason: 'EFuncTimeout' });
      const outcomes = await Promise.all(after);
      expect(outcomes.map((o) => o.status)).toEqual(['success', 'success', 'success', 'success', 'success']);
    }),
  );
});

describe('python runner process: out of time', () => {
  it('a process out of time writes its stacks and exits by itself (SIGUSR2), before reading a task sent ahead; that one is handed back once it is gone', async () => {
    const host = new TestHost();
    const m = host.set('demo__stuck', `${STUCK}\ndef mark(path):\n    open(path, 'w').write('ran')\n`);
    const p = new RunnerProcess({ python: PYTHON, script: join(import.meta.dirname, '../../../python/func_runner.py'), memoryLimitMb: 0, host, now: Date.now });
    await p.ready;
    const marked = join(mkdtempSync(join(tmpdir(), 'func-ahead-')), 'ran');
    const timedOut = new Promise<TaskOutcome>((resolve, reject) =>
      p.run(task('demo__stuck', 'outer', {}, { timeoutMs: 300 }), m, false, resolve, () => reject(new Error('bounced'))),
    );
    const ahead = new Promise<{ goneWhenBounced: boolean }>((resolve, reject) =>
      p.run(
        task('demo__stuck', 'mark', { path: marked }),
        m,
        false,
        () => reject(new Error('the task sent ahead ran in the timed-out process')),
        () => resolve({ goneWhenBounced: p.exitCode !== null || p.exitSignal !== null }),
      ),
    );
    const o = await timedOut;
    expect(o.status).toBe('timeout');
    expect(o.traceback).toContain('File "<demo__stuck>", line 4, in inner');
    expect(await ahead).toEqual({ goneWhenBounced: true });
    await p.exited;
    expect({ code: p.exitCode, signal: p.exitSignal }).toEqual({ code: 1, signal: null });
    expect(existsSync(marked)).toBe(false);
  });
});

describe('python runner pool: closed while a timed-out process writes its stacks', () => {
  it(
    'ends that process too: the task has its outcome when close() resolves (a script that ignores SIGUSR2 keeps it alive for the whole wait)',
    withPoolOf(false)(
      'demo__deaf',
      "import signal, time\n\n@DFF.API('Deaf')\ndef deaf():\n    signal.signal(signal.SIGUSR2, signal.SIG_IGN)\n    time.sleep(30)\n",
      { processes: 1, memoryLimitMb: 0 },
      async ({ pool, m }) => {
        let outcome: TaskOutcome | undefined;
        const run = pool.run(task('demo__deaf', 'deaf', {}, { timeoutMs: 200 }), m).then((o) => (outcome = o));
        await new Promise((r) => setTimeout(r, 260)); // out of time, its stacks asked for (none will come)
        await pool.close();
        expect(outcome?.status).toBe('timeout');
        await run;
      },
    ),
  );
});

describe('python runner pool: a script that replaced the SIGUSR2 handler', () => {
  it(
    'the next task is watched again: its timeout still shows where it was stuck',
    withPoolOf(false)(
      'demo__deafen',
      `${STUCK}\n@DFF.API('Deafen')\ndef deafen():\n    import signal\n    signal.signal(signal.SIGUSR2, signal.SIG_IGN)\n`,
      { processes: 1, memoryLimitMb: 0 },
      async ({ pool, m }) => {
        expect((await pool.run(task('demo__deafen', 'deafen'), m)).status).toBe('success');
        const o = await pool.run(task('demo__deafen', 'outer', {}, { timeoutMs: 300 }), m);
        expect(o.status).toBe('timeout');
        expect(o.traceback).toContain('File "<demo__deafen>", line 4, in inner');
      },
    ),
  );
});
