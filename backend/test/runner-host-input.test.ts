/**
 * What the runner host (backend/src/worker/runner-host.ts) takes from a script, past the DFF
 * members' own checks: a host call a script sends itself (`dff.host_call`) with a key or pattern
 * that is not a str is refused naming the member and the argument, never widened to every key or
 * to several keys; so is a hash field that is not a str (never stored as "null") and a step or
 * bound that is not an integer (never taken as 0). Beside it, members whose arguments follow DataFlux Func's: `DFF.ENV.get`'s
 * default, `DFF.CACHE.hset`'s `not_exists`, `DFF.CRON_JOB.get_cron_expr` of an unknown job.
 * Each case runs in a real Python runner of a real embedded stack, called over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { draftRunner, expectOutcomes, PY_TRY_CASES } from '../src/testing/draft-run.js';
import { useTestStack } from '../src/testing/test-stack.js';

const MAIN = `
import dff
${PY_TRY_CASES}
@DFF.API('Host calls sent by the script itself')
def host_direct():
    c = DFF.CACHE
    sc = 'rh-direct'
    c.set('a', 'kept', scope=sc)
    c.set('b', 'kept', scope=sc)
    DFF.STORE.set('a', 1, scope=sc)
    DFF.STORE.set('b', 2, scope=sc)
    out = _try({
        'cache_keys_int': lambda: dff.host_call('CACHE', 'keys', [sc, 5]),
        'cache_keys_none': lambda: dff.host_call('CACHE', 'keys', [sc, None]),
        'cache_keys_list': lambda: dff.host_call('CACHE', 'keys', [sc, ['a']]),
        'cache_get_list': lambda: dff.host_call('CACHE', 'get', [sc, ['a', 'b']]),
        'cache_set_list': lambda: dff.host_call('CACHE', 'set', [sc, ['a', 'b'], 'changed', None, False]),
        'cache_expire_list': lambda: dff.host_call('CACHE', 'expire', [sc, ['a', 'b'], 100]),
        'cache_incrby_list': lambda: dff.host_call('CACHE', 'incrby', [sc, ['n1', 'n2'], 1]),
        'cache_publish_list': lambda: dff.host_call('CACHE', 'publish', [sc, ['t1', 't2'], 'm']),
        'cache_delete_int': lambda: dff.host_call('CACHE', 'delete', [sc, ['a', 5]]),
        'store_keys_int': lambda: dff.host_call('STORE', 'keys', [sc, 5]),
        'store_keys_none': lambda: dff.host_call('STORE', 'keys', [sc, None]),
        'store_get_list': lambda: dff.host_call('STORE', 'get', [sc, ['a', 'b']]),
        'store_delete_list': lambda: dff.host_call('STORE', 'delete', [sc, ['a', 'b']]),
    })
    out['after'] = {
        'cache': {k: c.get(k, scope=sc) for k in sorted(c.keys(scope=sc))},
        'ttl': [c.ttl('a', scope=sc), c.ttl('b', scope=sc)],
        'store': DFF.STORE.getall(scope=sc),
    }
    # What the members send is still taken.
    out['ok'] = [dff.host_call('CACHE', 'keys', [sc, 'a*']), dff.host_call('CACHE', 'mget', [sc, ['a', 'b']]), dff.host_call('STORE', 'keys', [sc, 'b*'])]
    return out

@DFF.API('Hash fields sent by the script itself')
def host_fields():
    c = DFF.CACHE
    sc = 'rh-fields'
    c.hset('h', 'f', 'kept', scope=sc)
    c.hset('h', 'n', 1, scope=sc)
    c.sadd('s', 'kept', scope=sc)
    c.zadd('z', {'kept': 1}, scope=sc)
    out = _try({
        'hset_none': lambda: dff.host_call('CACHE', 'hset', [sc, 'h', None, 'v']),
        'hsetnx_none': lambda: dff.host_call('CACHE', 'hset', [sc, 'h', None, 'v', True]),
        'hset_list': lambda: dff.host_call('CACHE', 'hset', [sc, 'h', ['f'], 'v']),
        'hget_none': lambda: dff.host_call('CACHE', 'hget', [sc, 'h', None]),
        'hincrby_none': lambda: dff.host_call('CACHE', 'hincrby', [sc, 'h', None, 1]),
        'hmget_none': lambda: dff.host_call('CACHE', 'hmget', [sc, 'h', ['f', None]]),
        'hdel_none': lambda: dff.host_call('CACHE', 'hdel', [sc, 'h', ['f', None]]),
        'hdel_one_none': lambda: dff.host_call('CACHE', 'hdel', [sc, 'h', None]),
        'hmset_list': lambda: dff.host_call('CACHE', 'hmset', [sc, 'h', [['g', 1]]]),
        'hmset_none': lambda: dff.host_call('CACHE', 'hmset', [sc, 'h', None]),
        'sadd_none': lambda: dff.host_call('CACHE', 'sadd', [sc, 's', ['a', None]]),
        'sadd_one_none': lambda: dff.host_call('CACHE', 'sadd', [sc, 's', None]),
        'srem_none': lambda: dff.host_call('CACHE', 'srem', [sc, 's', [None]]),
        'sismember_list': lambda: dff.host_call('CACHE', 'sismember', [sc, 's', ['kept']]),
        'zrem_none': lambda: dff.host_call('CACHE', 'zrem', [sc, 'z', [None]]),
    })
    # No field or member "null" stored, none deleted or counted.
    out['after'] = c.hgetall('h', scope=sc)
    out['members'] = [sorted(c.smembers('s', scope=sc)), c.zrange('z', scope=sc)]
    # What the members send is still taken.
    out['ok'] = [dff.host_call('CACHE', 'hget', [sc, 'h', 'f']), dff.host_call('CACHE', 'hmget', [sc, 'h', ['f', 'n']]),
                 dff.host_call('CACHE', 'hdel', [sc, 'h', 'n']), c.hgetall('h', scope=sc)]
    return out

@DFF.API('Integers sent by the script itself')
def host_ints():
    c = DFF.CACHE
    sc = 'rh-ints'
    c.set('n', 10, scope=sc)
    c.hset('h', 'f', 10, scope=sc)
    for i in range(5):
        c.rpush('l', i, scope=sc)
    c.zadd('z', {'m': 1}, scope=sc)
    out = _try({
        'incr_fraction': lambda: dff.host_call('CACHE', 'incr', [sc, 'n', 1.5]),
        'incrby_none': lambda: dff.host_call('CACHE', 'incrby', [sc, 'n', None]),
        'incrby_bool': lambda: dff.host_call('CACHE', 'incrby', [sc, 'n', True]),
        'hincrby_fraction': lambda: dff.host_call('CACHE', 'hincrby', [sc, 'h', 'f', 0.5]),
        'ltrim_none': lambda: dff.host_call('CACHE', 'ltrim', [sc, 'l', None, None]),
        'ltrim_text': lambda: dff.host_call('CACHE', 'ltrim', [sc, 'l', 0, '2']),
        'lrange_fraction': lambda: dff.host_call('CACHE', 'lrange', [sc, 'l', 0.5, 2]),
        'zrange_none': lambda: dff.host_call('CACHE', 'zrange', [sc, 'z', None, -1]),
    })
    # Nothing counted or trimmed.
    out['after'] = [c.get('n', scope=sc), c.hget('h', 'f', scope=sc), c.lrange('l', scope=sc)]
    # What the members send is still taken.
    out['ok'] = [dff.host_call('CACHE', 'incrby', [sc, 'n', 2]), dff.host_call('CACHE', 'hincrby', [sc, 'h', 'f', -1]),
                 dff.host_call('CACHE', 'ltrim', [sc, 'l', 1, 3]), dff.host_call('CACHE', 'lrange', [sc, 'l', 0, -1]),
                 dff.host_call('CACHE', 'zrange', [sc, 'z', 0, -1])]
    return out

@DFF.API('ENV default')
def env_default():
    return {
        'missing': [DFF.ENV.get('RH_NO_SUCH'), DFF.ENV.get('RH_NO_SUCH', 'dflt'), DFF.ENV('RH_NO_SUCH', 3),
                    DFF.ENV.get('RH_NO_SUCH', default={'a': 1}), DFF.ENV('RH_NO_SUCH', default=[1])],
        'present': [DFF.ENV.get('RH_ENV_INT', 5), DFF.ENV('RH_ENV_INT', 5), DFF.ENV.get('RH_ENV_INT')],
        # A variable that exists answers its own value, even one that is None or false.
        'null': [DFF.ENV.get('RH_ENV_NULL', 'dflt'), DFF.ENV('RH_ENV_NULL', 'dflt')],
        'false': DFF.ENV.get('RH_ENV_FALSE', True),
    }

@DFF.API('CACHE.hset not_exists')
def hset_not_exists():
    c = DFF.CACHE
    sc = 'rh-hset'
    out = {
        'nx': [c.hset('h', 'f', 'one', not_exists=True, scope=sc), c.hset('h', 'f', 'two', not_exists=True, scope=sc)],
        'nx_positional': [c.hset('h', 'g', 'x', True, scope=sc), c.hset('h', 'g', 'y', True, scope=sc)],
        'plain': [c.hset('h', 'f', 'three', scope=sc), c.hset('h', 'n', 1, False, scope=sc)],
    }
    out.update(_try({'nx_none_field': lambda: c.hset('h', None, 'v', not_exists=True, scope=sc)}))
    out['after'] = c.hgetall('h', scope=sc)
    return out

@DFF.API('CRON_JOB of an unknown job')
def cron_unknown():
    out = _try({
        'get': lambda: DFF.CRON_JOB.get_cron_expr('rh-no-such-job'),
        'old_name': lambda: DFF.CRON_JOB.get_crontab(entity_id='rh-no-such-job'),
        'set': lambda: DFF.CRON_JOB.set_cron_expr('* * * * *', entity_id='rh-no-such-job'),
    })
    out['all'] = DFF.CRON_JOB.get_all_cron_expr()
    return out
`;

const t = useTestStack({ rhinput__main: MAIN });

const draft = draftRunner(t, 'rhinput__main');
const result = async (name: string): Promise<Record<string, unknown>> => (await draft.result(name)) as Record<string, unknown>;

describe('the runner host refuses a key or pattern that is not a str, however the call comes', () => {
  it('a host call sent by the script itself: CACHE/STORE keys of no str pattern, a list for one key; nothing read, written or deleted', async () => {
    const out = await result('host_direct');
    expectOutcomes(out, {
      cache_keys_int: /^HostCallError: DFF\.CACHE\.keys: pattern must be a str, got int$/,
      cache_keys_none: /^HostCallError: DFF\.CACHE\.keys: pattern must be a str, got NoneType$/,
      cache_keys_list: /^HostCallError: DFF\.CACHE\.keys: pattern must be a str, got list$/,
      cache_get_list: /^HostCallError: DFF\.CACHE\.get: key must be a str, got list$/,
      cache_set_list: /^HostCallError: DFF\.CACHE\.set: key must be a str, got list$/,
      cache_expire_list: /^HostCallError: DFF\.CACHE\.expire: key must be a str, got list$/,
      cache_incrby_list: /^HostCallError: DFF\.CACHE\.incrby: key must be a str, got list$/,
      cache_publish_list: /^HostCallError: DFF\.CACHE\.publish: topic must be a str, got list$/,
      cache_delete_int: /^HostCallError: DFF\.CACHE\.delete: key must be a str, got int$/,
      store_keys_int: /^HostCallError: DFF\.STORE\.keys: pattern must be a str, got int$/,
      store_keys_none: /^HostCallError: DFF\.STORE\.keys: pattern must be a str, got NoneType$/,
      store_get_list: /^HostCallError: DFF\.STORE\.get: key must be a str, got list$/,
      store_delete_list: /^HostCallError: DFF\.STORE\.delete: key must be a str, got list$/,
    });
    // No key changed, given a TTL or deleted; no counter made.
    expect(out.after).toEqual({ cache: { a: 'kept', b: 'kept' }, ttl: [-1, -1], store: { a: 1, b: 2 } });
    expect(out.ok).toEqual([['a'], ['kept', 'kept'], ['b']]);
  });
});

describe('the runner host refuses a hash field or set member that is not a str, however the call comes', () => {
  it('a host call sent by the script itself: hset/hget/hincrby/hmget/hdel of a None or list field, sadd/srem/sismember/zrem of such a member, hmset of no dict; no field or member "null" stored, nothing deleted', async () => {
    const out = await result('host_fields');
    expectOutcomes(out, {
      hset_none: /^HostCallError: DFF\.CACHE\.hset: field must be a str, got NoneType$/,
      hsetnx_none: /^HostCallError: DFF\.CACHE\.hset: field must be a str, got NoneType$/,
      hset_list: /^HostCallError: DFF\.CACHE\.hset: field must be a str, got list$/,
      hget_none: /^HostCallError: DFF\.CACHE\.hget: field must be a str, got NoneType$/,
      hincrby_none: /^HostCallError: DFF\.CACHE\.hincrby: field must be a str, got NoneType$/,
      hmget_none: /^HostCallError: DFF\.CACHE\.hmget: field must be a str, got NoneType$/,
      hdel_none: /^HostCallError: DFF\.CACHE\.hdel: field must be a str, got NoneType$/,
      hdel_one_none: /^HostCallError: DFF\.CACHE\.hdel: field must be a str, got NoneType$/,
      hmset_list: /^HostCallError: DFF\.CACHE\.hmset: field_values must be a dict, got list$/,
      hmset_none: /^HostCallError: DFF\.CACHE\.hmset: field_values must be a dict, got NoneType$/,
      sadd_none: /^HostCallError: DFF\.CACHE\.sadd: member must be a str, got NoneType$/,
      sadd_one_none: /^HostCallError: DFF\.CACHE\.sadd: member must be a str, got NoneType$/,
      srem_none: /^HostCallError: DFF\.CACHE\.srem: member must be a str, got NoneType$/,
      sismember_list: /^HostCallError: DFF\.CACHE\.sismember: member must be a str, got list$/,
      zrem_none: /^HostCallError: DFF\.CACHE\.zrem: member must be a str, got NoneType$/,
    });
    expect(out.after).toEqual({ f: 'kept', n: '1' });
    expect(out.members).toEqual([['kept'], ['kept']]);
    expect(out.ok).toEqual(['kept', ['kept', '1'], 1, { f: 'kept' }]);
  });
});

describe('the runner host refuses a step or bound that is not an integer, however the call comes', () => {
  it('a host call sent by the script itself: incr/incrby/hincrby steps and ltrim/lrange/zrange bounds of a fraction, a bool, None or text; nothing counted or trimmed', async () => {
    const out = await result('host_ints');
    expectOutcomes(out, {
      incr_fraction: /^HostCallError: DFF\.CACHE\.incr: step must be an integer, got 1\.5$/,
      incrby_none: /^HostCallError: DFF\.CACHE\.incrby: step must be an integer, got null$/,
      incrby_bool: /^HostCallError: DFF\.CACHE\.incrby: step must be an integer, got true$/,
      hincrby_fraction: /^HostCallError: DFF\.CACHE\.hincrby: step must be an integer, got 0\.5$/,
      ltrim_none: /^HostCallError: DFF\.CACHE\.ltrim: start must be an integer, got null$/,
      ltrim_text: /^HostCallError: DFF\.CACHE\.ltrim: stop must be an integer, got "2"$/,
      lrange_fraction: /^HostCallError: DFF\.CACHE\.lrange: start must be an integer, got 0\.5$/,
      zrange_none: /^HostCallError: DFF\.CACHE\.zrange: start must be an integer, got null$/,
    });
    expect(out.after).toEqual(['10', '10', ['0', '1', '2', '3', '4']]);
    expect(out.ok).toEqual([12, 9, true, ['1', '2', '3'], [['m', 1]]]);
  });
});

describe('members following DataFlux Func', () => {
  it('DFF.ENV.get(name, default) / DFF.ENV(name, default): the default only when no such variable exists', async () => {
    await t.add('/api/v1/env-variables/do/add', { id: 'RH_ENV_INT', autoTypeCasting: 'integer', valueTEXT: '7' });
    await t.add('/api/v1/env-variables/do/add', { id: 'RH_ENV_NULL', autoTypeCasting: 'json', valueTEXT: 'null' });
    await t.add('/api/v1/env-variables/do/add', { id: 'RH_ENV_FALSE', autoTypeCasting: 'boolean', valueTEXT: 'false' });
    expect(await result('env_default')).toEqual({
      missing: [null, 'dflt', 3, { a: 1 }, [1]],
      present: [7, 7, 7],
      null: [null, null],
      false: false,
    });
  });

  it('DFF.CACHE.hset(key, field, value, not_exists=True): HSETNX, as DataFlux Func (keyword or 4th positional)', async () => {
    const out = await result('hset_not_exists');
    expect(out.nx).toEqual([true, false]);
    expect(out.nx_positional).toEqual([true, false]);
    // Plain HSET answers the number of fields added (0: changed, 1: new), as redis-py's.
    expect(out.plain).toEqual([0, 1]);
    expect(out.nx_none_field).toMatch(/^TypeError: DFF\.CACHE\.hset: field must be a str, int or float, got NoneType$/);
    expect(out.after).toEqual({ f: 'three', g: 'x', n: '1' });
  });

  it('DFF.CRON_JOB.get_cron_expr of an unknown job answers None, as DataFlux Func; set_cron_expr on one raises (stores nothing)', async () => {
    const out = await result('cron_unknown');
    expect(out.get).toBe('accepted: None');
    expect(out.old_name).toBe('accepted: None');
    expect(out.set).toMatch(/^HostCallError: .*No such cronJob: rh-no-such-job/);
    expect(out.all).toEqual({});
  });
});
