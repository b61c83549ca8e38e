/** DFF.STORE / CACHE / ENV / FUNC and script imports, from Python through the runner protocol to Node. */
import { describe, expect, it } from 'vitest';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const LIB = `
RATE = 3

def triple(x):
    return x * RATE
`;

const MAIN = `import demo__lib

@DFF.API('Use lib')
def use_lib(x):
    return demo__lib.triple(x)

@DFF.API('Store')
def store_roundtrip(v):
    DFF.STORE.set('k', {'v': v})
    DFF.STORE.set('tmp', 1, expires=3600, scope='other')
    return {'got': DFF.STORE.get('k'), 'other': DFF.STORE.get('tmp', scope='other'), 'missing': DFF.STORE.get('nope')}

@DFF.API('Cache')
def cache_roundtrip():
    DFF.CACHE.set('n', 5)
    DFF.CACHE.incr('n')
    DFF.CACHE.hset('h', 'f', 'x')
    return {'n': DFF.CACHE.get('n'), 'h': DFF.CACHE.hget('h', 'f'), 'keys': sorted(DFF.CACHE.keys('*'))}

@DFF.API('Env')
def env_values():
    return {'port': DFF.ENV('PORT'), 'flag': DFF.ENV('FLAG'), 'secret': DFF.ENV('PASS'), 'none': DFF.ENV('NOPE')}

@DFF.API('Print a password')
def print_password():
    print('before', 's3cret-long s3cret')
    secret = DFF.ENV('PASS_LONG')
    DFF.ENV('PASS')
    print('the password is', secret, 'and', 's3cret', 'once more', secret[::-1][::-1])
    DFF.LOG('logged: ' + secret)
    return 'done'

@DFF.API('Fan out')
def fan_out(n=2):
    return [DFF.FUNC('demo__lib2.record', kwargs={'i': i}) for i in range(n)]
`;

const LIB2 = `
@DFF.API('Record')
def record(i):
    DFF.STORE.set(f'seen-{i}', i, scope='fan')
    return i
`;

const t = useTestStack({ demo__lib: LIB, demo__lib2: LIB2, demo__main: MAIN });

const call = async (name: string, kwargs: Record<string, unknown> = {}): Promise<unknown> => {
  const r = await t.admin('POST', `/api/v1/func/demo__main.${name}`, { kwargs });
  expect(r.status, r.text).toBe(200);
  return (r.body.data as { result: unknown }).result;
};

describe('DFF members over the protocol', () => {
  it('imports another script and sees its new version after a publish', async () => {
    expect(await call('use_lib', { x: 2 })).toBe(6);
    await t.publish('demo__lib', LIB.replace('RATE = 3', 'RATE = 5'));
    expect(await call('use_lib', { x: 2 })).toBe(10);
  });

  it('DFF.STORE keeps scoped values in the store', async () => {
    expect(await call('store_roundtrip', { v: 7 })).toEqual({ got: { v: 7 }, other: 1, missing: null });
    expect(await t.stack.store.funcStore.get('demo__main', 'k', Date.now())).toEqual({ v: 7 });
  });

  it('DFF.CACHE runs Redis-like commands in the script scope', async () => {
    const r = (await call('cache_roundtrip')) as { n: string; h: string; keys: string[] };
    expect(Number(r.n)).toBe(6);
    expect(r.h).toBe('x');
    expect(r.keys).toEqual(['h', 'n']);
  });

  it('DFF.ENV casts by type and decrypts passwords', async () => {
    await t.client.addEnvVariable({ body: { data: { id: 'PORT', autoTypeCasting: 'integer', valueTEXT: '8080' } } });
    await t.client.addEnvVariable({ body: { data: { id: 'FLAG', autoTypeCasting: 'boolean', valueTEXT: 'true' } } });
    await t.client.addEnvVariable({ body: { data: { id: 'PASS', autoTypeCasting: 'password', valueTEXT: 's3cret' } } });
    expect(await call('env_values')).toEqual({ port: 8080, flag: true, secret: 's3cret', none: null });
    const listed = await t.admin('GET', '/api/v1/env-variables/do/list?id=PASS');
    expect((listed.body.data as Record<string, unknown>[])[0]!.valueTEXT).toBeUndefined();
    const raw = await t.stack.store.entity('envVariables').get('PASS');
    expect(raw!.valueTEXT).not.toContain('s3cret');
  });

  it('a password DFF.ENV loaded is ***** in the print log, as DataFlux Func masks it (it was written in clear)', async () => {
    await t.client.addEnvVariable({ body: { data: { id: 'PASS_LONG', autoTypeCasting: 'password', valueTEXT: 's3cret-long' } } });
    expect(await call('print_password')).toBe('done');
    const logs = await eventually(async () => {
      const [rec] = await t.client.listTaskRecords({ query: { funcId: 'demo__main.print_password' } });
      return rec?.printLogsTEXT ?? undefined;
    });
    // Masked from the load on (longest first).
    expect(logs).toMatch(/\] the password is \*{5} and \*{5} once more \*{5}\n/);
    expect(logs).toMatch(/\] logged: \*{5}/);
    expect(logs.split('\n').slice(1).join('\n')).not.toContain('s3cret');
  });

  it('a password loaded at module level is masked in every task of the process, not only the one that imported the module', async () => {
    await t.client.addEnvVariable({ body: { data: { id: 'PASS_MOD', autoTypeCasting: 'password', valueTEXT: 'mod-s3cret' } } });
    await t.publish('demo__modpass', `MOD_SECRET = DFF.ENV('PASS_MOD')\n\n@DFF.API('Print it')\ndef show(n=0):\n    print('call', n, 'uses', MOD_SECRET)\n    return n\n`);
    for (const n of [1, 2, 3]) {
      const r = await t.admin('POST', '/api/v1/func/demo__modpass.show', { kwargs: { n } });
      expect(r.status, r.text).toBe(200);
    }
    const logs = await eventually(async () => {
      const recs = await t.client.listTaskRecords({ query: { funcId: 'demo__modpass.show' } });
      return recs.length === 3 && recs.every((x) => x.printLogsTEXT) ? recs.map((x) => x.printLogsTEXT!).join('\n') : undefined;
    });
    // The module is imported by the first task only: the later ones print the value it holds.
    expect(logs.match(/uses \*{5}/g)).toHaveLength(3);
    expect(logs).not.toContain('mod-s3cret');
  });

  it('DFF.FUNC enqueues other functions that run', async () => {
    const ids = (await call('fan_out', { n: 3 })) as string[];
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      await eventually(async () => {
        const g = await t.admin('GET', `/api/v1/tasks/${id}`);
        return (g.body.data as { status: string }).status === 'success' ? true : undefined;
      });
    }
    expect(await t.stack.store.funcStore.get('fan', 'seen-2', Date.now())).toBe(2);
  });
});
