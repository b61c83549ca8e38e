/**
 * The DFF script API as DataFlux Func's scripts use it (docs/script-api.md): each member run in
 * a real Python runner of a real embedded stack, called over HTTP.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { draftRunner, PY_TRY_CASES } from '../src/testing/draft-run.js';
import { useTestStack } from '../src/testing/test-stack.js';

const MAIN = `
import time

@DFF.API('Unknown member')
def unknown_member():
    return DFF.NO_SUCH

@DFF.API('Aliases and LOG')
def aliases():
    DFF.log('one', 2, {'three': 3})
    DFF.LOG('a', 'b', sep='-')
    DFF.VAR(42, name='x')
    print_var([1], other=2.5)
    return {'same': DFF.api == DFF.API, 'eval': DFF.EVAL('1 + 2'), 'var_default': DFF.VAR.get('x', 'none'),
            'dir': 'RESP_LARGE_DATA' in dir(DFF)}

@DFF.API('Not available')
def unavailable(name):
    getattr(DFF, name).get('x')

@DFF.API('Large data')
def large(n=1000, use_feature=True):
    data = [{'id': i, 'value': i * 1.5} for i in range(int(n))]
    return DFF.RESP_LARGE_DATA(data) if use_feature else data

@DFF.API('Datetimes')
def datetimes(use_feature=False, bad=False):
    import datetime
    data = {'naive': datetime.datetime(2024, 1, 2, 3, 4, 5, 123456),
            'aware': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
            'list': [datetime.datetime(2024, 5, 6)]}
    if bad:
        data['set'] = {1, 2}
    return DFF.RESP_LARGE_DATA(data) if use_feature else data

@DFF.API('Large text')
def large_text():
    import datetime
    return DFF.RESP_LARGE_DATA({'when': datetime.date(2024, 1, 2)}, content_type='txt')

@DFF.API('Thread pool')
def threads(n=6):
    def work(i):
        time.sleep(0.2)
        DFF.LOG('work %d' % i)
        if i == 3:
            raise ValueError('three')
        DFF.CACHE.set('t%d' % i, i)
        return i * 10
    DFF.THREAD.set_pool_size(6)
    keys = [DFF.THREAD.submit(work, i) for i in range(n)]
    t0 = time.time()
    DFF.THREAD.wait_all_finished()
    elapsed = time.time() - t0
    first = DFF.THREAD.get_result(keys[0])
    results = DFF.THREAD.get_all_results()
    popped = DFF.THREAD.pop_result()
    return {
        'elapsed': elapsed, 'pool_size': DFF.THREAD.pool_size, 'finished': DFF.THREAD.is_all_finished,
        'first': [first.key == keys[0], first.value, first.error],
        'values': sorted(r.value for r in results if r.error is None),
        'errors': [str(r.error) for r in results if r.error is not None],
        'popped': popped.key in keys,
        'cached': sorted(DFF.CACHE.keys('t*')),
    }

@DFF.API('Thread pool is per task')
def threads_again():
    return {'size': DFF.THREAD.pool_size, 'finished': DFF.THREAD.is_all_finished, 'pop': DFF.THREAD.pop_result()}

@DFF.API('Cron job reads itself')
def cron_self():
    job = DFF.CRON_JOB.get()
    DFF.STORE.set('cron-self', {'id': job and job['id'], 'expr': DFF.CRON_JOB.get_cron_expr(), 'effective': job and job['effectiveCronExpr'], 'origin': _DFF_ORIGIN,
                                'kwargs': job and job['funcCallKwargsJSON']}, scope='cron-test')
    return 'ok'

@DFF.API('Entity helpers')
def entities():
    return {
        'cron': DFF.CRON_JOB.get('cj-entity')['cronExpr'],
        'cron_old_name': DFF.CRONTAB_CONFIG.get('cj-entity')['id'],
        'query': [r['id'] for r in DFF.CRON_JOB.query(fields=['id', 'crontab'], filters={'id': {'=': 'cj-entity'}})],
        'query_fields': DFF.CRON_JOB.query(fields=['id', 'crontab'], filters={'id': {'=': 'cj-entity'}}),
        'sync': DFF.SYNC_API.get('sa-entity')['funcId'],
        'async_missing': DFF.ASYNC_API.get('nope'),
        'self_none': DFF.SYNC_API.get(),
    }

@DFF.API('Call an async API')
def call_async_api():
    return DFF.ASYNC_API.call('aa-entity', kwargs={'v': 'from-call'})

@DFF.API('Record')
def record(v='x'):
    DFF.STORE.set('recorded', {'v': v, 'origin': _DFF_ORIGIN}, scope='entity-test')
    return v

@DFF.API('Fan out')
def fan_out(n=3):
    return [DFF.FUNC('dffapi__main.record', kwargs={'v': 'fan-%d' % i}) for i in range(n)]

@DFF.API('Bad call options')
def bad_calls():
    import dff
    rec = 'dffapi__main.record'
    cases = {
        'queue99': lambda: DFF.FUNC(rec, queue=99),
        'queue0': lambda: DFF.FUNC(rec, queue=0),
        'queue_text': lambda: DFF.FUNC(rec, queue='abc'),
        'queue_fraction': lambda: DFF.FUNC(rec, queue=1.5),
        'timeout_text': lambda: DFF.FUNC(rec, timeout='abc'),
        'timeout_negative': lambda: DFF.FUNC(rec, timeout=-5),
        'expires_zero': lambda: DFF.FUNC(rec, expires=0),
        'kwargs_text': lambda: DFF.FUNC(rec, 'abc'),
        'kwargs_unknown': lambda: DFF.FUNC(rec, {'nope': 1}),
        'entity_queue': lambda: DFF.SYNC_API.call('no-such-api', queue=99),
        'entity_kwargs': lambda: DFF.ASYNC_API.call('no-such-api', kwargs=[1, 2]),
        # Past the Python checks, Node checks the same (the host call as a script could send it).
        'host_queue': lambda: dff.host_call('FUNC', 'call', [rec, {}, {'queue': 99}]),
        'host_kwargs': lambda: dff.host_call('FUNC', 'call', [rec, 'abc', {}]),
    }
    out = _try(cases)
    out['ok_whole_float'] = bool(DFF.FUNC(rec, {'v': 'float-queue'}, queue=2.0, timeout=30, expires=60))
    return out

@DFF.API('Bad cache TTLs and timeouts')
def bad_cache():
    import time
    c = DFF.CACHE
    sc = 'bad-cache'  # a scope of its own: the CACHE test lists its script's keys
    c.set('keep', 'v', expires=100, scope=sc)
    cases = {
        'expire_missing': lambda: c.expire('keep', scope=sc),
        'expire_zero': lambda: c.expire('keep', 0, scope=sc),
        'set_zero': lambda: c.set('gone', 'v', expires=0, scope=sc),
        'set_negative': lambda: c.set('gone', 'v', expires=-5, scope=sc),
        'blpop_negative': lambda: c.blpop('nolist', timeout=-1, scope=sc),
        'brpop_text': lambda: c.brpop('nolist', timeout='abc', scope=sc),
        'brpoplpush_negative': lambda: c.brpoplpush('nolist', 'other', timeout=-2, scope=sc),
        'pause_forever': lambda: DFF.CRON_JOB.pause(1e300, entity_id='cj-pause'),
        'pause_inf': lambda: DFF.CRON_JOB.pause(float('inf'), entity_id='cj-pause'),
    }
    out = {}
    t0 = time.time()
    for name, fn in cases.items():
        try:
            out[name] = 'accepted: %r' % (fn(),)
        except Exception as e:
            out[name] = '%s: %s' % (type(e).__name__, e)
    out['fast'] = time.time() - t0 < 5
    out['kept'] = [c.get('keep', scope=sc), c.ttl('keep', scope=sc) > 90, c.get('gone', scope=sc)]
    out['blpop_short'] = c.blpop('nolist', timeout=0.2, scope=sc)
    return out

@DFF.API('Store extras')
def store_extras():
    DFF.STORE.mset({'a1': 1, 'a2': [2], 'b1': 'three'})
    got = {'call': DFF.STORE('a1'), 'mget': DFF.STORE.mget(['a1', 'b1', 'zz']), 'all': DFF.STORE.getall(),
           'pattern': DFF.STORE.get_pattern('a*')}
    DFF.STORE.delete_pattern('a*')
    got['after'] = sorted(DFF.STORE.keys())
    # set and delete answer None, as DataFlux Func's STORE does (set or kept by not_exists, there or not).
    got['answers'] = [DFF.STORE.set('s1', 1), DFF.STORE.set('s1', 2, not_exists=True), DFF.STORE.get('s1'), DFF.STORE.delete('s1'), DFF.STORE.delete('s1')]
    return got

@DFF.API('Cache as DataFlux')
def cache_dataflux():
    c = DFF.CACHE
    sc = 'df-cache'
    out = {'lpush': [c.lpush('l', ['a', 'b', 'c'], scope=sc), c.rpush('l', ('y', 'z'), scope=sc), c.lpush('l', [], scope=sc), c.lrange('l', scope=sc)]}
    c.hmset('h', field_values={'f': 'x', 'g': 2}, scope=sc)
    c.hmset('h', {'k': 'v'}, scope=sc)
    out['hmget'] = c.hmget('h', ['f', 'g', 'k', 'none'], scope=sc)
    out['hset'] = [c.hset('h', 'new', 1, scope=sc), c.hset('h', 'new', 2, scope=sc)]
    out['empty'] = [c.hmset('h', {}, scope=sc), c.mset({}, scope=sc), c.hmget('h', [], scope=sc)]
    c.sadd('s', ['a', 'b'], scope=sc)
    m = c.smembers('s', scope=sc)
    out['smembers'] = [type(m).__name__, sorted(m)]
    out['exists'] = [c.exists('s', scope=sc), c.exists('nope', scope=sc)]
    out['set_nx'] = [c.set('k', 'v', scope=sc), c.set('k', 'w', not_exists=True, scope=sc), c.set('nope', 'w', exists=True, scope=sc)]
    out['type'] = [c.type('k', scope=sc), c.type('nope', scope=sc)]
    c.zadd('z', {'m': 1}, scope=sc)
    out['zrange'] = [type(c.zrange('z', with_scores=True, scope=sc)[0]).__name__, type(c.zrangebyscore('z', with_scores=True, scope=sc)[0]).__name__]
    refused = {}
    for name, f in [('set_bytes', lambda: c.set('b', b'x', scope=sc)), ('set_object', lambda: c.set('b', object(), scope=sc)),
                    ('lpush_bytes', lambda: c.lpush('b', ['ok', b'x'], scope=sc)), ('hset_nan', lambda: c.hset('b', 'f', float('nan'), scope=sc)),
                    ('hmset_bytes', lambda: c.hmset('b', {'f': bytearray(b'x')}, scope=sc)), ('getset_set', lambda: c.getset('b', {1}, scope=sc))]:
        try:
            f()
            refused[name] = 'stored'
        except TypeError as e:
            refused[name] = str(e)
    out['refused'] = refused
    out['nothing_stored'] = c.exists('b', scope=sc)
    return out

@DFF.API('Cache extras')
def cache_extras():
    c = DFF.CACHE
    c.set('s', 'v', expire=100)
    out = {'type': c.type('s'), 'pttl': c.pttl('s') > 90000, 'call': c('s'), 'mget': c.mget(['s', 'nope']),
           'xx_missing': c.set('nope', 1, exists=True), 'xx': c.set('s', 'w', exists=True), 'get': c.get('s')}
    c.hmset('h', {'f1': 1, 'g1': 2})
    out['hincr'] = c.hincr('h', 'f1', 5)
    out['hkeys'] = sorted(c.hkeys('h', 'f*'))
    out['hsetnx'] = [c.hsetnx('h', 'f1', 9), c.hsetnx('h', 'n', 9)]
    for i in range(5):
        c.rpush('l', i)
    c.ltrim('l', 1, 3)
    out['ltrim'] = c.lrange('l')
    out['rpoplpush'] = c.rpoplpush('l', 'l2')
    out['blpop'] = c.blpop('l2', timeout=1)
    out['blpop_timeout'] = c.blpop('empty', timeout=0.2)
    out['push_pop'] = [c.push('q', 'x'), c.pop('q')]
    out['sadd'] = c.sadd('set', ['a', 'b', 'a'])
    out['set'] = [sorted(c.smembers('set')), c.scard('set'), c.sismember('set', 'a'), c.sismember('set', 'z'), c.srem('set', 'a')]
    out['zadd'] = c.zadd('z', {'m1': 2, 'm2': 1, 'm3': 3})
    out['zrange'] = c.zrange('z', with_scores=True)
    out['zrangebyscore'] = c.zrangebyscore('z', 1.5, '+inf')
    out['zrem'] = [c.zrem('z', 'm1'), c.zcard('z')]
    out['pattern'] = sorted(c.get_pattern('s*').items())
    out['run'] = c.run('get', 's')
    out['delete_pattern'] = c.delete_pattern('l*')
    out['keys'] = sorted(k for k in c.keys() if not k.startswith('t'))
    return out

@DFF.API('CTX, ENV, CONFIG, SIGN, TOOLKIT')
def misc():
    DFF.CTX.set('k', 1)
    return {
        'ctx': [DFF.CTX('k'), DFF.CTX.get_all(), DFF.CTX.has('k'), DFF.CTX.delete('k'), DFF.CTX.has('k')],
        'env': [DFF.ENV.get('DFF_API_ENV'), DFF.ENV('DFF_API_ENV'), 'DFF_API_ENV' in DFF.ENV.keys(), DFF.ENV('DFF_API_LIST')],
        'json_dumps': [DFF.TOOLKIT.json_dumps({'a': 1}), DFF.TOOLKIT.json_dumps({'u': '\u4e2d/x', 'n': float('nan'), 't': (1, 2)}),
                       DFF.TOOLKIT.json_dumps(None, keep_none=True), DFF.TOOLKIT.json_dumps({'a': None, 'b': ' ', 'c': 1}, ignore_nothing=True),
                       DFF.TOOLKIT.json_dumps({'a': 1}, indent=2)],
        'config': [DFF.CONFIG.get('CUSTOM_COLOR'), DFF.CONFIG.get('SECRET', 'hidden'), DFF.CONFIG.query()],
        'sign': [len(DFF.SIGN('a', 1)), DFF.SIGN('a', 1) == DFF.SIGN('a', 1), DFF.SIGN('a', 1) == DFF.SIGN('a', 2), DFF.SIGN.md5('abc')],
        'toolkit': [DFF.TOOLKIT.get_md5('abc'), DFF.TOOLKIT.json_find({'a': {'b': [5]}}, 'a.b.0'), DFF.TOOLKIT.to_boolean('yes'),
                    DFF.TOOLKIT.match_wildcards('abc', ['x*', 'a*']), DFF.TOOLKIT.as_array(3)],
        'sql': DFF.SQL('SELECT * FROM ?? WHERE a = ?', ['t', "x'y"]),
        'sql_forms': [DFF.SQL(' SELECT ?? FROM t WHERE a = ? AND b = ? ', ['t1', 'x', 2]), DFF.SQL('SELECT ?', 5), DFF.SQL('SELECT 1 '),
                      DFF.SQL('INSERT INTO t VALUES ?', [[[1, 'a'], [2, None]]], pretty=True), DFF.SQL('UPDATE t SET ?', [{'a': 1, 'b': 'x'}], pretty=True),
                      DFF.SQL('SELECT * FROM t WHERE a IN (?)', [[1, 2]])],
    }

@DFF.API('Resources')
def rsrc():
    import os
    path = DFF.RSRC('dff-api/note.txt')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('hello resources')
    try:
        DFF.RSRC('../outside')
        escaped = 'allowed'
    except ValueError as e:
        escaped = str(e)
    return {'inside': path.endswith('/resources/dff-api/note.txt'), 'escaped': escaped}

@DFF.API('Resource file')
def rsrc_file():
    return DFF.RESP_FILE('dff-api/note.txt', download=False)

@DFF.API('Resp short types')
def resp_html():
    return DFF.RESP('<b>hi</b>', content_type='html', headers={'X-Mine': '1'})
${PY_TRY_CASES}`;

// DFF.CONFIG shows the FUNC_CUSTOM_* variables of the worker's environment.
process.env.FUNC_CUSTOM_COLOR = 'teal';
// The resources folder outside FUNC_HOME (0700): the runners run as another user when the tests run as root.
const parent = mkdtempSync(join(tmpdir(), 'func-dff-api-'));
chmodSync(parent, 0o755);
const t = useTestStack({ dffapi__main: MAIN }, { FUNC_RESOURCES_DIR: join(parent, 'resources') });
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const { run, result } = draftRunner(t, 'dffapi__main');
const call = async (name: string, kwargs: Record<string, unknown> = {}): Promise<unknown> => {
  const r = await t.admin('POST', `/api/v1/func/dffapi__main.${name}`, { kwargs });
  expect(r.status, r.text).toBe(200);
  return (r.data as { result: unknown }).result;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await sleep(100);
  }
}

describe('DFF members', () => {
  it('an unknown member fails naming it and listing the members', async () => {
    const r = await run('unknown_member');
    expect(r.status).toBe('failure');
    expect(r.exceptionType).toBe('AttributeError');
    expect(r.exception).toContain("'NO_SUCH'");
    expect(r.exception).toContain('RESP_LARGE_DATA');
    expect(r.exception).toContain('THREAD');
  });

  it('members answer to lower-case names; LOG joins its arguments; VAR logs values; EVAL', async () => {
    const r = await run('aliases');
    expect(r.result).toEqual({ same: true, eval: 3, var_default: 'none', dir: true });
    const text = r.printLogs.join('\n');
    expect(text).toContain("one 2 {'three': 3}");
    expect(text).toContain('a-b');
    expect(text).toMatch(/\[VAR\] type=`<class 'int'>`, value=`42`, obj_size=`\d+`/);
    expect(text).toMatch(/\[VAR\] name: type=`<class 'str'>`, value=`x`/);
    // print_var: the builtin DataFlux Func's scripts have (its VAR); it was a NameError.
    expect(text).toMatch(/\[VAR\] type=`<class 'list'>`, value=`\[1\]`, obj_size=`\d+`/);
    expect(text).toMatch(/\[VAR\] other: type=`<class 'float'>`, value=`2\.5`/);
  });

  it.each([
    ['SYS_DB', 'DFF.STORE'],
    ['DATAKIT', 'hosted cloud'],
    ['TASK', '_DFF_TASK_ID'],
  ])('DFF.%s fails saying why', async (name, why) => {
    const r = await run('unavailable', { name });
    expect(r.status).toBe('failure');
    expect(r.exceptionType).toBe('NotImplementedError');
    expect(r.exception).toContain(`DFF.${name}`);
    expect(r.exception).toContain(why);
  });

  it('RESP_LARGE_DATA answers the whole body as JSON, not wrapped, on a direct call and a sync API', async () => {
    const r = await t.admin('POST', '/api/v1/func/dffapi__main.large', { kwargs: { n: 5000 } });
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toContain('application/json');
    const body = JSON.parse(r.text) as { id: number; value: number }[];
    expect(body).toHaveLength(5000);
    expect(body[4999]).toEqual({ id: 4999, value: 4999 * 1.5 });
    // Bigger than a direct reply takes (1 MB): the body comes after the outcome as raw bytes.
    const big = await t.admin('POST', '/api/v1/func/dffapi__main.large', { kwargs: { n: 80_000 } });
    expect(big.status, big.text.slice(0, 300)).toBe(200);
    expect(big.text.length).toBeGreaterThan(1 << 20);
    expect((JSON.parse(big.text) as unknown[]).at(-1)).toEqual({ id: 79_999, value: 79_999 * 1.5 });
    // The same data returned plainly comes in the envelope.
    const plain = await call('large', { n: 10, use_feature: false });
    expect(plain).toHaveLength(10);
    // A sync API, cached (cache_result) or not.
    const api = await t.add('/api/v1/sync-apis/do/add', { id: 'sa-large', funcId: 'dffapi__main.large', funcCallKwargsJSON: { n: 'INPUT_BY_CALLER' } });
    const s = await t.api('GET', `/api/v1/sync/${api}/simplified?n=300`);
    expect(s.status, s.text.slice(0, 300)).toBe(200);
    expect((JSON.parse(s.text) as unknown[]).length).toBe(300);
    // Text data: served as text; dates serialised.
    const txt = await t.admin('POST', '/api/v1/func/dffapi__main.large_text', { kwargs: {} });
    expect(txt.headers['content-type']).toContain('text/plain');
    expect(txt.text).toBe('{"when":"2024-01-02"}');
    // The task record does not hold the large body.
    const tasks = await t.admin('GET', '/api/v1/task-records/func/do/list?funcId=dffapi__main.large&pageSize=5');
    expect(tasks.status).toBe(200);
  });

  it('a datetime in a result is written as DataFlux writes it: ISO 8601 with its offset, a naive one as UTC', async () => {
    const want = { naive: '2024-01-02T03:04:05.123456+00:00', aware: '2024-01-02T03:04:05+08:00', list: ['2024-05-06T00:00:00+00:00'] };
    expect(await call('datetimes')).toEqual(want);
    const large = await t.admin('POST', '/api/v1/func/dffapi__main.datetimes', { kwargs: { use_feature: true } });
    expect(large.status, large.text).toBe(200);
    expect(JSON.parse(large.text)).toEqual(want);
    // Anything else JSON has no type for is still a clear failure, naming the type.
    const bad = await run('datetimes', { bad: true });
    expect(bad.status).toBe('failure');
    expect(bad.exception).toContain('not JSON serializable');
    expect(bad.exception).toContain('set');
  });

  it('THREAD runs work concurrently for the task: results, errors, pop, logs and host calls', async () => {
    const r = await run('threads');
    expect(r.status, `${r.exceptionType}: ${r.exception}`).toBe('success');
    const out = r.result as Record<string, unknown>;
    expect(out.elapsed as number).toBeLessThan(1.0); // 6 × 0.2 s in a pool of 6
    expect(out.pool_size).toBe(6);
    expect(out.finished).toBe(true);
    expect(out.first).toEqual([true, 0, null]);
    expect(out.values).toEqual([0, 10, 20, 40, 50]);
    expect(out.errors).toEqual(['three']);
    expect(out.popped).toBe(true);
    expect(out.cached).toEqual(['t0', 't1', 't2', 't4', 't5']);
    expect(r.printLogs.filter((l) => /work \d/.test(l))).toHaveLength(6);
    // The next task starts without the previous task's pool or results.
    expect(await result('threads_again')).toEqual({ size: 5, finished: true, pop: null });
  });

  it('CRON_JOB reads the cron job that triggered the task', async () => {
    await t.add('/api/v1/cron-jobs/do/add', { id: 'cj-self', funcId: 'dffapi__main.cron_self', cronExpr: '0 0 1 1 *', funcCallKwargsJSON: {} });
    const r = await t.admin('POST', '/api/v1/cron/cj-self');
    expect(r.status, r.text).toBe(200);
    const seen = await until(
      () => t.stack.store.funcStore.get('cron-test', 'cron-self', Date.now()),
      (v) => v !== undefined,
    );
    // get_cron_expr answers the dynamic expression only, as DataFlux Func (none set here); get() carries the one the job runs by.
    expect(seen).toEqual({ id: 'cj-self', expr: null, effective: '0 0 1 1 *', origin: 'cronJob', kwargs: {} });
  });

  it('SYNC_API / ASYNC_API / CRON_JOB (and old names) get, query and call entities', async () => {
    await t.add('/api/v1/cron-jobs/do/add', { id: 'cj-entity', funcId: 'dffapi__main.record', cronExpr: '*/5 * * * *', funcCallKwargsJSON: {} });
    await t.add('/api/v1/sync-apis/do/add', { id: 'sa-entity', funcId: 'dffapi__main.record', funcCallKwargsJSON: {} });
    await t.add('/api/v1/async-apis/do/add', { id: 'aa-entity', funcId: 'dffapi__main.record', funcCallKwargsJSON: { v: 'fixed' } });
    expect(await result('entities')).toEqual({
      cron: '*/5 * * * *',
      cron_old_name: 'cj-entity',
      query: ['cj-entity'],
      query_fields: [{ id: 'cj-entity', cronExpr: '*/5 * * * *' }],
      sync: 'dffapi__main.record',
      async_missing: null,
      self_none: null,
    });
    const taskId = (await result('call_async_api')) as string;
    expect(taskId).toMatch(/\S/);
    const seen = await until(
      () => t.stack.store.funcStore.get('entity-test', 'recorded', Date.now()),
      (v) => v !== undefined,
    );
    expect(seen).toEqual({ v: 'from-call', origin: 'asyncAPI' });
    const task = await t.admin('GET', `/api/v1/tasks/${taskId}`);
    expect(task.status, task.text).toBe(200);
  });

  it('FUNC fans out to new tasks, each its own record', async () => {
    const ids = (await call('fan_out', { n: 3 })) as string[];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) {
      const rec = await until(
        () => t.admin('GET', `/api/v1/tasks/${id}`),
        (r) => (r.data as { status?: string } | undefined)?.status === 'success',
      );
      expect((rec.data as { status: string }).status).toBe('success');
    }
  });

  it('FUNC and the entity helpers refuse the options and kwargs the HTTP API refuses, naming them, and queue nothing', async () => {
    const out = (await result('bad_calls')) as Record<string, string>;
    const expected: Record<string, RegExp> = {
      queue99: /^ValueError: DFF\.FUNC: queue must be an integer between 1 and 15, got 99$/,
      queue0: /^ValueError: DFF\.FUNC: queue .* got 0$/,
      queue_text: /^ValueError: DFF\.FUNC: queue .* got 'abc'$/,
      queue_fraction: /^ValueError: DFF\.FUNC: queue .* got 1\.5$/,
      timeout_text: /^ValueError: DFF\.FUNC: timeout must be an integer between 1 and 3600/,
      timeout_negative: /^ValueError: DFF\.FUNC: timeout .* got -5$/,
      expires_zero: /^ValueError: DFF\.FUNC: expires must be an integer between 1 and 86400, got 0$/,
      kwargs_text: /^TypeError: DFF\.FUNC: kwargs must be a dict of keyword arguments, got str$/,
      kwargs_unknown: /^HostCallError: .*takes no argument "nope"/,
      entity_queue: /^ValueError: DFF\.SYNC_API\.call: queue .* got 99$/,
      entity_kwargs: /^TypeError: DFF\.ASYNC_API\.call: kwargs must be a dict/,
      host_queue: /^HostCallError: .*options\.queue/,
      host_kwargs: /^HostCallError: .*kwargs.*must be an object/,
    };
    for (const [name, pattern] of Object.entries(expected)) expect(out[name], `${name}: ${JSON.stringify(out)}`).toMatch(pattern);
    expect(out.ok_whole_float).toBe(true);
    // Only the good call was queued: no record stuck `queued` on queue 99, 0 or 'abc'.
    const records = await until(
      () => t.stack.store.taskRecords.list({ origin: 'func', originId: 'dffapi__main.bad_calls' }, {}),
      (rows) => rows.every((r) => r.status === 'success'),
    );
    expect(records.map((r) => [r.queue, r.status])).toEqual([[2, 'success']]);
  });

  it('STORE: call, mset, mget, getall, get_pattern, delete_pattern; set and delete answer None', async () => {
    expect(await result('store_extras')).toEqual({
      call: 1,
      mget: { a1: 1, b1: 'three', zz: null },
      all: { a1: 1, a2: [2], b1: 'three' },
      pattern: { a1: 1, a2: [2] },
      after: ['b1'],
      answers: [null, null, 1, null, null],
    });
  });

  it('CACHE refuses a TTL of 0 or less, an expire without seconds and a bad blocking timeout at once; a pause ends within 100 years', async () => {
    await t.add('/api/v1/cron-jobs/do/add', { id: 'cj-pause', funcId: 'dffapi__main.record', cronExpr: '*/5 * * * *', funcCallKwargsJSON: {} });
    const out = (await result('bad_cache')) as Record<string, unknown>;
    const all = JSON.stringify(out);
    // Each names the member it came from.
    for (const [name, member] of [
      ['expire_missing', 'expire'],
      ['expire_zero', 'expire'],
      ['set_zero', 'set'],
      ['set_negative', 'set'],
    ])
      expect(out[name!], `${name}: ${all}`).toMatch(new RegExp(`^HostCallError: DFF\\.CACHE\\.${member}: expires must be a number of seconds above 0`));
    for (const [name, member] of [
      ['blpop_negative', 'blpop'],
      ['brpop_text', 'brpop'],
      ['brpoplpush_negative', 'brpoplpush'],
    ])
      expect(out[name!], `${name}: ${all}`).toMatch(new RegExp(`^HostCallError: DFF\\.CACHE\\.${member}: timeout must be a number of seconds, 0 or more`));
    expect(out.pause_forever, all).toMatch(/^ValueError: DFF\.CRON_JOB\.pause: expires must be a positive number of seconds, at most 3153600000/);
    expect(out.pause_inf, all).toMatch(/^ValueError: DFF\.CRON_JOB\.pause: expires must be a finite number/);
    expect(out.fast).toBe(true); // refused at once, not after the task's timeout
    expect(out.kept).toEqual(['v', true, null]); // nothing deleted by a refused call
    expect(out.blpop_short).toBeNull();
  });

  it("CACHE answers as DataFlux Func's redis_helper: lpush of a list, hmget a dict, smembers a list, exists a bool, hmset's field_values, set of bytes refused", async () => {
    const out = (await result('cache_dataflux')) as Record<string, unknown>;
    expect(out).toEqual({
      lpush: [3, 5, 0, ['c', 'b', 'a', 'y', 'z']],
      hmget: { f: 'x', g: '2', k: 'v', none: null },
      hset: [1, 0],
      empty: [false, false, {}],
      smembers: ['list', ['a', 'b']],
      exists: [true, false],
      set_nx: [true, null, null],
      type: ['string', null],
      zrange: ['list', 'list'],
      refused: {
        set_bytes: 'DFF.CACHE.set: value must be a str, int, float or data JSON can write, got bytes',
        set_object: 'DFF.CACHE.set: value must be a str, int, float or data JSON can write, got object',
        lpush_bytes: 'DFF.CACHE.lpush: value must be a str, int, float or data JSON can write, got bytes',
        hset_nan: 'DFF.CACHE.hset: value must be a str, int, float or data JSON can write, got float',
        hmset_bytes: 'DFF.CACHE.hmset: value must be a str, int, float or data JSON can write, got bytearray',
        getset_set: 'DFF.CACHE.getset: value must be a str, int, float or data JSON can write, got set',
      },
      nothing_stored: false,
    });
  });

  it('CACHE: the Redis-like commands DataFlux documents', async () => {
    const out = (await result('cache_extras')) as Record<string, unknown>;
    expect(out).toMatchObject({
      type: 'string',
      pttl: true,
      call: 'v',
      mget: { s: 'v', nope: null },
      xx_missing: null,
      xx: true,
      get: 'w',
      hincr: 6,
      hkeys: ['f1'],
      hsetnx: [false, true],
      ltrim: ['1', '2', '3'],
      rpoplpush: '3',
      blpop: ['l2', '3'],
      blpop_timeout: null,
      push_pop: [1, 'x'],
      sadd: 2,
      set: [['a', 'b'], 2, true, false, 1],
      zadd: 3,
      zrange: [
        ['m2', 1],
        ['m1', 2],
        ['m3', 3],
      ],
      zrangebyscore: ['m1', 'm3'],
      zrem: [1, 2],
      pattern: [
        ['s', 'w'],
        ['set', null],
      ],
      run: 'w',
    });
    expect(out.keys).toEqual(['h', 's', 'set', 'z']);
  });

  it('CTX, ENV, CONFIG (custom settings only), SIGN, TOOLKIT, SQL', async () => {
    await t.add('/api/v1/env-variables/do/add', { id: 'DFF_API_ENV', autoTypeCasting: 'integer', valueTEXT: '7' });
    await t.add('/api/v1/env-variables/do/add', { id: 'DFF_API_LIST', autoTypeCasting: 'commaArray', valueTEXT: 'a, b,,c ' });
    const out = (await result('misc')) as Record<string, unknown[]>;
    expect(out.ctx).toEqual([1, { k: 1 }, true, 1, false]);
    // commaArray is split on commas and nothing else, as DataFlux Func's cast (x.split(',')).
    expect(out.env).toEqual([7, 7, true, ['a', ' b', '', 'c ']]);
    // DataFlux Func's toolkit.json_dumps: ujson's compact text, non-ASCII and '/' escaped; NaN as null.
    expect(out.json_dumps).toEqual(['{"a":1}', '{"u":"\\u4e2d\\/x","n":null,"t":[1,2]}', null, '{"c":1}', '{\n  "a": 1\n}']);
    expect(out.config).toEqual(['teal', 'hidden', { CUSTOM_COLOR: 'teal' }]);
    expect(out.sign).toEqual([32, true, false, '900150983cd24fb0d6963f7d28e17f72']);
    expect(out.toolkit).toEqual(['900150983cd24fb0d6963f7d28e17f72', 5, true, true, [3]]);
    expect(out.sql).toBe("SELECT * FROM `t` WHERE a = 'x\\'y'");
    // DataFlux Func's format_sql(sql, sql_params=None, pretty=False): the values in one list (one value alone taken as a list of it), stripped.
    expect(out.sql_forms).toEqual([
      "SELECT `t1` FROM t WHERE a = 'x' AND b = 2",
      'SELECT 5',
      'SELECT 1',
      "INSERT INTO t VALUES (1, 'a'),\n  (2, NULL)",
      "UPDATE t SET `a` = 1,\n  `b` = 'x'",
      'SELECT * FROM t WHERE a IN (1, 2)',
    ]);
  });

  it('RSRC: paths inside the resources folder, none outside; RESP_FILE reads from there', async () => {
    expect(await result('rsrc')).toEqual({ inside: true, escaped: "DFF.RSRC: '../outside' is outside the resources folder" });
    const r = await t.admin('POST', '/api/v1/func/dffapi__main.rsrc_file', { kwargs: {} });
    expect(r.status, r.text).toBe(200);
    expect(r.text).toBe('hello resources');
    expect(r.headers['content-disposition']).toBeUndefined();
  });

  it("RESP takes DataFlux's short content types", async () => {
    const r = await t.admin('POST', '/api/v1/func/dffapi__main.resp_html', { kwargs: {} });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.headers['x-mine']).toBe('1');
    expect(r.text).toBe('<b>hi</b>');
  });
});
