/** From a script's creation to results, through HTTP, on a real embedded stack with Python processes. */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';
import { taskSucceeded } from '../src/testing/test-client.js';
import { TRIM_MIN_INTERVAL_MS } from '../src/domain/tasks/retention.js';
import { eventually } from '../src/testing/eventually.js';

const CODE = `import time

@DFF.API('Add', category='math', tags=['demo'], timeout=10)
def add(a, b=1):
    '''Adds.'''
    print('adding', a, b)
    DFF.LOG('logged')
    return a + b

@DFF.API('Greet')
def greet(name, greeting='Hello'):
    return f'{greeting}, {name}!'

@DFF.API('Fail')
def fail(x=1):
    y = x + 1
    return y / 0

@DFF.API('Slow', timeout=1)
def slow():
    time.sleep(5)
    return 'never'

@DFF.API('Hog')
def hog():
    data = bytearray(1024 * 1024 * 1024)
    return len(data)

@DFF.API('Not JSON')
def not_json():
    return {1, 2}

@DFF.API('Anything')
def anything(**kwargs):
    return kwargs

@DFF.API('Odd numbers')
def odd_numbers():
    import decimal
    return {'nan': float('nan'), 'inf': [float('inf'), -float('inf')], 'dec': decimal.Decimal('1.50'), 'big': decimal.Decimal('-2.5E+3'), 'dnan': decimal.Decimal('NaN'), 't': (1, 2.5)}

@DFF.API('Returns an exception')
def returns_exception(resp=False):
    e = ValueError('bad input')
    return DFF.RESP(e) if resp else e
`;

const FAIL_LINE = CODE.split('\n').findIndex((l) => l.includes('return y / 0')) + 1;

const t = useTestStack({ demo__main: CODE }, { FUNC_MEMORY_LIMIT_MB: '200' });

describe('publish', () => {
  it('discovers the functions with their metadata', async () => {
    const r = await t.admin('GET', '/api/v1/funcs/do/list?scriptId=demo__main');
    const funcs = r.body.data as { id: string; title: string; category: string; tagsJSON: string[]; definition: string; extraConfigJSON: Record<string, unknown> }[];
    const add = funcs.find((f) => f.id === 'demo__main.add')!;
    expect(add).toMatchObject({ title: 'Add', category: 'math', tagsJSON: ['demo'] });
    expect(add.extraConfigJSON.timeout).toBe(10);
    expect(add.definition).toContain('add(a, b=1)');
    expect(funcs.map((f) => f.id).sort()).toEqual([
      'demo__main.add',
      'demo__main.anything',
      'demo__main.fail',
      'demo__main.greet',
      'demo__main.hog',
      'demo__main.not_json',
      'demo__main.odd_numbers',
      'demo__main.returns_exception',
      'demo__main.slow',
    ]);
  });

  it('refuses a syntax error with its line number and keeps the published code', async () => {
    await expect(t.publish('demo__main', `${CODE}\n\ndef broken(:\n    pass\n`)).rejects.toMatchObject({
      code: 'EScriptPublishFailed',
      detail: { status: 400, line: CODE.split('\n').length + 2 },
    });
    const call = await t.admin('POST', '/api/v1/func/demo__main.add', { kwargs: { a: 1 } });
    expect((call.body.data as { result: number }).result).toBe(2);
    await t.admin('POST', '/api/v1/scripts/demo__main/do/modify', { data: { codeDraft: CODE } });
  });

  it('refuses a fixed_cron_expr no cron job could run by, naming it, with the line of its function (its jobs would never fire)', async () => {
    const code = "import os\n\n@DFF.API('Tick', fixed_cron_expr='garbage')\ndef tick():\n    return 1\n";
    await expect(t.publish('demo__cron', code)).rejects.toMatchObject({
      code: 'EScriptPublishFailed',
      message: expect.stringMatching(/fixed_cron_expr of function tick "garbage" is not a cron expression.*\(line 3\)/) as unknown,
      detail: { status: 400, line: 3, field: 'fixed_cron_expr' },
    });
    await t.publish('demo__cron', code.replace('garbage', '*/5 * * * *'));
  });

  it('refuses an import error with the line', async () => {
    await expect(t.publish('demo__imp', 'import os\nimport no_such_module_here\n')).rejects.toMatchObject({
      message: expect.stringMatching(/no_such_module_here/) as unknown,
      detail: { status: 400, line: 2 },
    });
  });
});

describe('direct calls', () => {
  it('answers a sync call with data.result', async () => {
    const r = await t.admin('POST', '/api/v1/func/demo__main.add', { kwargs: { a: 2, b: 3 } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ ok: true, error: 200, data: { result: 5 } });
    expect(typeof r.body.traceId).toBe('string');
  });

  it('answers the raw value with unbox', async () => {
    const r = await t.admin('POST', '/api/v1/func/demo__main.greet', { kwargs: { name: 'Ann' }, options: { unbox: true } });
    expect(r.text).toBe('Hello, Ann!');
  });

  it('answers an async call with an id that is queryable at once, then done', async () => {
    const r = await t.admin('POST', '/api/v1/func/demo__main.add', { kwargs: { a: 40, b: 2 }, options: { async: true } });
    const id = (r.body.data as { id: string }).id;
    const first = await t.admin('GET', `/api/v1/tasks/${id}`);
    expect(first.status).toBe(200);
    expect(['queued', 'running', 'success']).toContain((first.body.data as { status: string }).status);
    const done = await taskSucceeded(t.client, id);
    expect(done.returnValueJSON).toBe(42);
    expect(done.printLogsTEXT).toMatch(/adding 40 2/);
    const list = await t.admin('GET', `/api/v1/task-records/func/do/list?funcId=demo__main.add&status=success`);
    expect((list.body.data as { id: string }[]).some((x) => x.id === id)).toBe(true);
  });

  it('answers 599 EFuncFailed with the traceback line of the script', async () => {
    const r = await t.admin('POST', '/api/v1/func/demo__main.fail', { kwargs: {} });
    expect(r.status).toBe(599);
    expect(r.body.reason).toBe('EFuncFailed');
    expect(r.body.message).toMatch(/ZeroDivisionError/);
    expect(String(r.body.detail?.traceback)).toContain(`line ${FAIL_LINE}`);
  });

  it('answers EFuncResultParsingFailed for a value that is not JSON', async () => {
    const r = await t.admin('POST', '/api/v1/func/demo__main.not_json', { kwargs: {} });
    expect(r.status).toBe(599);
    expect(r.body.reason).toBe('EFuncResultParsingFailed');
  });

  it('writes NaN and infinities as null and a Decimal as its number, as DataFlux Func (they were EFuncResultParsingFailed)', async () => {
    const r = await t.admin('POST', '/api/v1/func/demo__main.odd_numbers', { kwargs: {} });
    expect(r.status, r.text).toBe(200);
    expect(r.body.data).toEqual({ result: { nan: null, inf: [null, null], dec: 1.5, big: -2500, dnan: null, t: [1, 2.5] } });
  });

  it('fails a function that returns an exception (or RESP of one) as if it raised it, as DataFlux Func', async () => {
    for (const resp of [false, true]) {
      const r = await t.admin('POST', '/api/v1/func/demo__main.returns_exception', { kwargs: { resp } });
      expect(r.status, r.text).toBe(599);
      expect(r.body.reason).toBe('EFuncFailed');
      expect(r.body.message).toMatch(/ValueError: bad input/);
    }
  });

  it('kills a function past its timeout and the pool serves the next call', async () => {
    const r = await t.admin('POST', '/api/v1/func/demo__main.slow', { kwargs: {} });
    expect(r.status).toBe(599);
    expect(r.body.reason).toBe('EFuncTimeout');
    const next = await t.admin('POST', '/api/v1/func/demo__main.add', { kwargs: { a: 1, b: 1 } });
    expect((next.body.data as { result: number }).result).toBe(2);
  });

  it('ends a function over the memory limit with a clear error, and the next call works', async () => {
    const r = await t.admin('POST', '/api/v1/func/demo__main.hog', { kwargs: {} });
    expect(r.status).toBe(599);
    expect(r.body.reason).toBe('EFuncMemoryLimit');
    expect(r.body.message).toMatch(/memory/i);
    const next = await t.admin('POST', '/api/v1/func/demo__main.add', { kwargs: { a: 1, b: 2 } });
    expect((next.body.data as { result: number }).result).toBe(3);
  });
});

describe('debug runs of the draft', () => {
  it('answers result, print logs, traceback line, cost', async () => {
    await t.admin('POST', '/api/v1/scripts/demo__main/do/modify', {
      data: { codeDraft: `${CODE}\n@DFF.API('Draft only')\ndef draft_only(n=1):\n    print('draft says', n)\n    return n * 10\n` },
    });
    const ok = await t.admin('POST', '/api/v1/func-draft/demo__main.draft_only', { kwargs: { n: 4 } });
    expect(ok.status, ok.text).toBe(200);
    const d = ok.body.data as { status: string; result: number; printLogs: string[]; cost: number };
    expect(d.status).toBe('success');
    expect(d.result).toBe(40);
    expect(d.printLogs.join('\n')).toMatch(/draft says 4/);
    expect(d.cost).toBeGreaterThanOrEqual(0);
    const bad = await t.admin('POST', '/api/v1/func-draft/demo__main.fail', { kwargs: {} });
    const b = bad.body.data as { status: string; errorLine: number; traceback: string; exceptionType: string };
    expect(b.status).toBe('failure');
    expect(b.exceptionType).toBe('ZeroDivisionError');
    expect(b.errorLine).toBe(FAIL_LINE);
    await t.admin('POST', '/api/v1/scripts/demo__main/do/modify', { data: { codeDraft: CODE } });
  });
});

describe('sync and async APIs', () => {
  it('calls a sync API with fixed and caller kwargs, normal and simplified', async () => {
    const id = (await t.client.addSyncApi({ body: { data: { funcId: 'demo__main.greet', funcCallKwargsJSON: { greeting: 'Hi', name: 'INPUT_BY_CALLER' } } } })).id;
    const normal = await t.api('POST', `/api/v1/sync/${id}`, { kwargs: { name: 'Bo' } });
    expect(normal.status, normal.text).toBe(200);
    expect(normal.text).toBe('Hi, Bo!');
    const simplified = await t.api('GET', `/api/v1/sync/${id}/simplified?name=Cy`);
    expect(simplified.text).toBe('Hi, Cy!');
    const alias = await t.api('POST', `/api/v1/al/${id}/simplified`, { name: 'Di' });
    expect(alias.text).toBe('Hi, Di!');
    const fixed = await t.api('POST', `/api/v1/sync/${id}`, { kwargs: { name: 'Ed', greeting: 'Yo' } });
    expect(fixed.status).toBe(400);
    expect(fixed.body.message).toMatch(/fixed kwargs field: greeting/);
  });

  it('a key given again in a form body is the list of its values, as in a query string (DataFlux Func reads both with qs)', async () => {
    const id = (await t.client.addSyncApi({ body: { data: { funcId: 'demo__main.anything', funcCallKwargsJSON: {} } } })).id;
    const form = await t.stack.app.inject({
      method: 'POST',
      url: `/api/v1/sync/${id}/simplified`,
      payload: 'a=1&a=2&b=x&a=3',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode, form.body).toBe(200);
    expect(JSON.parse(form.body)).toEqual({ a: ['1', '2', '3'], b: 'x' });
    const proto = await t.stack.app.inject({
      method: 'POST',
      url: `/api/v1/sync/${id}/simplified`,
      payload: 'a=1&__proto__=p',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(proto.statusCode, proto.body).toBe(400);
    expect((JSON.parse(proto.body) as { detail: { field: string } }).detail.field).toBe('body.__proto__');
    const query = await t.api('GET', `/api/v1/sync/${id}/simplified?a=1&a=2&b=x`);
    expect(JSON.parse(query.text)).toEqual({ a: ['1', '2'], b: 'x' });
  });

  it('bracket keys in a query string or form body nest, as DataFlux Func reads them (axios params, jQuery $.param)', async () => {
    const id = (await t.client.addSyncApi({ body: { data: { funcId: 'demo__main.anything', funcCallKwargsJSON: {} } } })).id;
    const form = (payload: string, url = `/api/v1/sync/${id}`) =>
      t.stack.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const normalQuery = await t.api('GET', `/api/v1/sync/${id}?kwargs%5Bx%5D=1&kwargs%5By%5D=2`);
    expect(normalQuery.status, normalQuery.text).toBe(200);
    expect(JSON.parse(normalQuery.text)).toEqual({ x: '1', y: '2' });
    // The options too: returnType jsonDumps answers the result as JSON text.
    const greet = (await t.client.addSyncApi({ body: { data: { funcId: 'demo__main.greet', funcCallKwargsJSON: {} } } })).id;
    const normalForm = await form('kwargs[name]=Bo&options[returnType]=jsonDumps', `/api/v1/sync/${greet}`);
    expect(normalForm.statusCode, normalForm.body).toBe(200);
    expect(normalForm.body).toBe('"Hello, Bo!"');
    // Boolean and number options as text, as DataFlux Func takes them (it Object.assigns them).
    const unboxed = await t.api('GET', `/api/v1/sync/${greet}?kwargs[name]=Al&options[unbox]=true`);
    expect(unboxed.status, unboxed.text).toBe(200);
    expect(unboxed.text).toBe('Hello, Al!');
    const boxed = await t.api('GET', `/api/v1/sync/${greet}?kwargs[name]=Al&options[unbox]=false`);
    expect(JSON.parse(boxed.text)).toMatchObject({ data: { result: 'Hello, Al!' } });
    const queued = await t.stack.app.inject({
      method: 'POST',
      url: '/api/v1/func/demo__main.greet',
      payload: 'kwargs[name]=Cy&options[async]=true&options[delay]=5',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-dff-auth-token': t.token },
    });
    expect(queued.statusCode, queued.body).toBe(200);
    expect((JSON.parse(queued.body) as { data: { id: string } }).data.id).toMatch(/\S/);
    const notBool = await t.api('GET', `/api/v1/sync/${greet}?options[unbox]=maybe`);
    expect(notBool.status, notBool.text).toBe(400);
    expect(notBool.body.detail?.field).toBe('options.unbox');
    const simplifiedQuery = await t.api('GET', `/api/v1/sync/${id}/simplified?a[b]=1&c[]=2&c[]=3&d[0][e]=4`);
    expect(JSON.parse(simplifiedQuery.text)).toEqual({ a: { b: '1' }, c: ['2', '3'], d: [{ e: '4' }] });
    const simplifiedForm = await form('a[b]=1&a[c]=2', `/api/v1/sync/${id}/simplified`);
    expect(JSON.parse(simplifiedForm.body)).toEqual({ a: { b: '1', c: '2' } });
    // A key reaching a prototype, or nested past 5 levels: 400 naming it, in a query as in a form.
    const proto = await t.api('GET', `/api/v1/sync/${id}/simplified?a[__proto__][x]=1`);
    expect(proto.status, proto.text).toBe(400);
    expect(proto.body.detail?.field).toBe('query.a.__proto__');
    const deep = await form('a[1][2][3][4][5][6]=x', `/api/v1/sync/${id}/simplified`);
    expect(deep.statusCode, deep.body).toBe(400);
    expect((JSON.parse(deep.body) as { detail: { field: string } }).detail.field).toBe('body.a.1.2.3.4.5.6');
  });

  it('never shows a traceback to an anonymous sync API caller', async () => {
    const id = (await t.client.addSyncApi({ body: { data: { funcId: 'demo__main.fail', funcCallKwargsJSON: {} } } })).id;
    const r = await t.api('GET', `/api/v1/sync/${id}`);
    expect(r.status).toBe(599);
    expect(r.body.detail?.traceback).toBeUndefined();
  });

  it('enqueues an async API call and records it', async () => {
    const id = (await t.client.addAsyncApi({ body: { data: { funcId: 'demo__main.anything', funcCallKwargsJSON: { fixed: 1 } } } })).id;
    const r = await t.api('POST', `/api/v1/async/${id}/simplified`, { extra: 'x' });
    const taskId = (r.body.data as { id: string }).id;
    const done = await taskSucceeded(t.client, taskId);
    expect(done.returnValueJSON).toEqual({ fixed: 1, extra: 'x' });
    expect(done.origin).toBe('asyncAPI');
  });
});

describe('task record retention', () => {
  it('keeps the newest taskRecordLimit records of a sync API (a busy one trimmed at most once a second)', async () => {
    const id = (await t.client.addSyncApi({ body: { data: { funcId: 'demo__main.greet', funcCallKwargsJSON: { name: 'INPUT_BY_CALLER' }, taskRecordLimit: 3 } } })).id;
    const names = async (): Promise<string[]> => {
      const r = await t.admin('GET', `/api/v1/task-records/func/do/list?origin=syncAPI&originId=${id}`);
      return (r.body.data as { funcCallKwargsJSON: { name: string } }[]).map((x) => x.funcCallKwargsJSON.name);
    };
    for (let i = 0; i < 10; i++) expect((await t.api('GET', `/api/v1/sync/${id}/simplified?name=${i}`)).status).toBe(200);
    // Calls this quick are trimmed once a second, or after a whole limit (3) since the last trim:
    // the newest first, never more than twice the limit (a trim may still be on its way).
    const quick = await names();
    expect(quick.slice(0, 3)).toEqual(['9', '8', '7']);
    expect(quick.length).toBeLessThanOrEqual(6);
    await new Promise((r) => setTimeout(r, TRIM_MIN_INTERVAL_MS + 100));
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?name=10`)).status).toBe(200);
    // The trim follows the record's write, after the answer.
    await eventually(async () => ((await names()).length === 3 ? true : undefined), 5000, 'the trim after a quiet second');
    expect(await names()).toEqual(['10', '9', '8']);
  });
});

describe('topology', () => {
  it('shows units, services and queue numbers, and streams them over SSE', async () => {
    const r = await t.admin('GET', '/api/v1/topology');
    const d = r.body.data as {
      mode: string;
      services: { kind: string; name: string; processes?: number }[];
      queues: { queue: number; listeners: string[]; roles: string[]; done: number }[];
    };
    expect(d.mode).toBe('embedded');
    expect(d.services.filter((s) => s.kind === 'worker').map((s) => s.name)).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-5', 'worker-6']);
    expect(d.services.find((s) => s.name === 'worker-1')!.processes).toBe(1);
    expect(d.queues[1]).toMatchObject({ listeners: ['worker-1'], roles: ['direct', 'syncAPI'] });
    expect(d.queues[1]!.done).toBeGreaterThan(0);
    const address = await t.stack.app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${address}/api/v1/events?xDFFAuthToken=${t.token}`);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const chunk = await reader.read();
    expect(new TextDecoder().decode(chunk.value)).toMatch(/^event: topology\ndata: \{"mode":"embedded"/);
    await reader.cancel();
    const anonymous = await fetch(`${address}/api/v1/events`);
    expect(anonymous.status).toBe(401);
  });
});
