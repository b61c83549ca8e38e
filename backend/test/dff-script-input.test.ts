/**
 * The DFF script API refusing bad input at once (docs/script-api.md): a wrong key, pattern,
 * field, integer, header or URL raises TypeError or ValueError naming the member and the
 * argument, and nothing is sent or changed. Each case runs in a real Python runner of a real
 * embedded stack, called over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { draftRunner, expectOutcomes, PY_TRY_CASES } from '../src/testing/draft-run.js';
import { useTestStack } from '../src/testing/test-stack.js';

const MAIN = `${PY_TRY_CASES}
@DFF.API('Cache keys and patterns')
def cache_keys():
    c = DFF.CACHE
    sc = 'in-keys'
    c.set('a', 'kept', scope=sc)
    c.set('b', 'kept', scope=sc)
    c.rpush('l', 'x', scope=sc)
    c.hset('h', 'f', 'kept', scope=sc)
    out = _try({
        'get_list': lambda: c.get(['a'], scope=sc),
        'call_list': lambda: c(['a'], scope=sc),
        'run_list': lambda: c.run('get', ['a'], scope=sc),
        'set_bool': lambda: c.set(True, 'v', scope=sc),
        'exists_none': lambda: c.exists(None, scope=sc),
        'delete_none': lambda: c.delete(None, scope=sc),
        'delete_list_none': lambda: c.delete(['a', None], scope=sc),
        'mget_none': lambda: c.mget(['a', None], scope=sc),
        'mset_none': lambda: c.mset({'new1': 1, None: 'b'}, scope=sc),
        'mset_text': lambda: c.mset('abc', scope=sc),
        'keys_int': lambda: c.keys(5, scope=sc),
        'keys_none': lambda: c.keys(None, scope=sc),
        'get_pattern_int': lambda: c.get_pattern(5, scope=sc),
        'delete_pattern_int': lambda: c.delete_pattern(5, scope=sc),
        'hkeys_pattern': lambda: c.hkeys('h', 5, scope=sc),
        'hsetnx_key': lambda: c.hsetnx(None, 'f', 1, scope=sc),
        'rpoplpush_dest': lambda: c.rpoplpush('l', True, scope=sc),
        'publish_topic': lambda: c.publish(None, 'm', scope=sc),
        'scope_int': lambda: c.set('a', 'changed', scope=0),
        'scope_list': lambda: c.get('a', scope=['x']),
    })
    out['after'] = {'keys': sorted(c.keys(scope=sc)), 'a': c.get('a', scope=sc), 'l': c.lrange('l', scope=sc)}
    # A number is a key as its text, as DataFlux Func formats its keys with str().
    ik = 'in-int-keys'
    out['number_keys'] = [c.set(42, 'n', scope=ik), c.set(1.5, 'f', scope=ik), c.get('42', scope=ik), c.get(42, scope=ik),
                          c.mget([42, '1.5'], scope=ik), c.exists(1.5, scope=ik), sorted(c.keys(scope=ik)), c.delete([42], scope=ik), sorted(c.keys(scope=ik))]
    return out

@DFF.API('Cache hash fields')
def cache_fields():
    c = DFF.CACHE
    sc = 'in-fields'
    c.hset('h', 'f', 'kept', scope=sc)
    out = _try({
        'hset_none': lambda: c.hset('h', None, 'v', scope=sc),
        'hset_bool': lambda: c.hset('h', True, 'v', scope=sc),
        'hset_list': lambda: c.hset('h', ['f'], 'v', scope=sc),
        'hsetnx_none': lambda: c.hsetnx('h', None, 'v', scope=sc),
        'hget_none': lambda: c.hget('h', None, scope=sc),
        'hmget_none': lambda: c.hmget('h', ['f', None], scope=sc),
        'hdel_none': lambda: c.hdel('h', None, scope=sc),
        'hincr_none': lambda: c.hincr('h', None, scope=sc),
        'hmset_text': lambda: c.hmset('h', 'abc', scope=sc),
        'hmset_pairs': lambda: c.hmset('h', [('g', 1)], scope=sc),
        'hmset_none_field': lambda: c.hmset('h', {'g': 1, None: 2}, scope=sc),
    })
    # A number is a field as its text, as redis-py sends it.
    out['int_field'] = [c.hset('h', 7, 'seven', scope=sc), c.hget('h', '7', scope=sc), c.hget('h', 7, scope=sc)]
    out['after'] = c.hgetall('h', scope=sc)
    return out

@DFF.API('Cache integers')
def cache_ints():
    c = DFF.CACHE
    sc = 'in-ints'
    c.set('n', 10, scope=sc)
    c.hset('h', 'f', 10, scope=sc)
    for i in range(5):
        c.rpush('l', i, scope=sc)
    c.zadd('z', {'m': 1}, scope=sc)
    out = _try({
        'incr_fraction': lambda: c.incr('n', step=1.5, scope=sc),
        'incr_bool': lambda: c.incr('n', step=True, scope=sc),
        'incr_none': lambda: c.incr('n', step=None, scope=sc),
        'incr_text': lambda: c.incr('n', step='2', scope=sc),
        'incr_huge': lambda: c.incr('n', step=2 ** 64, scope=sc),
        'incrby_fraction': lambda: c.incrby('n', 0.5, scope=sc),
        'hincr_fraction': lambda: c.hincr('h', 'f', 0.5, scope=sc),
        'hincrby_bool': lambda: c.hincrby('h', 'f', False, scope=sc),
        'ltrim_none': lambda: c.ltrim('l', None, None, scope=sc),
        'ltrim_stop_text': lambda: c.ltrim('l', 0, '2', scope=sc),
        'ltrim_fraction': lambda: c.ltrim('l', 0.5, 2, scope=sc),
        'lrange_none': lambda: c.lrange('l', None, scope=sc),
        'zrange_fraction': lambda: c.zrange('z', 0, 1.5, scope=sc),
    })
    out['after'] = [c.get('n', scope=sc), c.hget('h', 'f', scope=sc), c.lrange('l', scope=sc)]
    # Integers still work, a whole float too (taken as its int).
    out['ok'] = [c.incr('n', scope=sc), c.incr('n', step=2.0, scope=sc), c.incrby('n', -3, scope=sc), c.hincr('h', 'f', 2, scope=sc),
                 c.ltrim('l', 1, 3.0, scope=sc), c.lrange('l', 0, -1, scope=sc)]
    return out

@DFF.API('Sorted set scores')
def cache_zadd():
    c = DFF.CACHE
    sc = 'in-zadd'
    out = _try({
        'text_score': lambda: c.zadd('z', {'m': 'abc'}, scope=sc),
        'none_score': lambda: c.zadd('z', {'m': None}, scope=sc),
        'bool_score': lambda: c.zadd('z', {'m': True}, scope=sc),
        'nan_score': lambda: c.zadd('z', {'m': float('nan')}, scope=sc),
        'inf_score': lambda: c.zadd('z', {'m': float('inf')}, scope=sc),
        'huge_score': lambda: c.zadd('z', {'m': 10 ** 400}, scope=sc),
        'not_dict': lambda: c.zadd('z', 'abc', scope=sc),
        'none_member': lambda: c.zadd('z', {None: 1}, scope=sc),
        'one_bad_of_two': lambda: c.zadd('z', {'ok': 1, 'bad': 'x'}, scope=sc),
    })
    out['nothing_added'] = c.zcard('z', scope=sc)
    out['numeric_text'] = [c.zadd('z', {'m': '1.5', 2: 3}, scope=sc), c.zrange('z', with_scores=True, scope=sc)]
    return out

@DFF.API('Set and sorted-set members')
def cache_members():
    c = DFF.CACHE
    sc = 'in-members'
    c.sadd('s', 'kept', scope=sc)
    c.zadd('z', {'kept': 1}, scope=sc)
    out = _try({
        'sadd_none': lambda: c.sadd('s', None, scope=sc),
        'sadd_one_none': lambda: c.sadd('s', ['a', None], scope=sc),
        'sadd_bool': lambda: c.sadd('s', True, scope=sc),
        'sadd_nested': lambda: c.sadd('s', [['a']], scope=sc),
        'srem_none': lambda: c.srem('s', None, scope=sc),
        'sismember_none': lambda: c.sismember('s', None, scope=sc),
        'zrem_none': lambda: c.zrem('z', None, scope=sc),
    })
    # No member "null", "true" or '["a"]', none of a refused call's members added.
    out['after'] = [sorted(c.smembers('s', scope=sc)), c.zrange('z', scope=sc)]
    # A number is a member as its text, as redis-py sends it.
    out['ok'] = [c.sadd('s', [7, 1.5], scope=sc), c.sismember('s', '7', scope=sc), c.sismember('s', 1.5, scope=sc), c.srem('s', 7, scope=sc),
                 sorted(c.smembers('s', scope=sc)), c.zrem('z', ['kept'], scope=sc)]
    return out

@DFF.API('Store keys and patterns')
def store_keys():
    s = DFF.STORE
    sc = 'in-store'
    s.set('a', 1, scope=sc)
    out = _try({
        'get_list': lambda: s.get(['a'], scope=sc),
        'set_int': lambda: s.set(5, 'v', scope=sc),
        'mget_int': lambda: s.mget(['a', 5], scope=sc),
        'mset_text': lambda: s.mset('abc', scope=sc),
        'mset_int': lambda: s.mset({'new1': 1, 2: 'b'}, scope=sc),
        'keys_int': lambda: s.keys(5, scope=sc),
        'get_pattern_int': lambda: s.get_pattern(5, scope=sc),
        'delete_pattern_int': lambda: s.delete_pattern(5, scope=sc),
        'scope_int': lambda: s.set('a', 2, scope=0),
    })
    out['after'] = s.getall(scope=sc)
    return out

@DFF.API('SQL, RESP, RESP_FILE, REDIRECT')
def responses():
    return _try({
        'sql_none': lambda: DFF.SQL(None),
        'sql_bytes': lambda: DFF.SQL(b'SELECT ?', 1),
        'sql_too_few': lambda: DFF.SQL('SELECT ?, ?', 1),
        'sql_too_many': lambda: DFF.SQL('SELECT ?', [1, 2]),
        'sql_old_form': lambda: DFF.SQL('SELECT ?, ?', 1, 2),
        'sql_nan': lambda: DFF.SQL('SELECT ?', float('nan')),
        'sql_empty_list': lambda: DFF.SQL('SELECT ?', [[]]),
        'sql_object': lambda: DFF.SQL('SELECT ?', object()),
        'sql_identifier': lambda: DFF.SQL('SELECT * FROM ??', 5),
        'resp_header_none': lambda: DFF.RESP('x', headers={'X-Ok': '1', 'X-None': None}),
        'resp_header_bool': lambda: DFF.RESP('x', headers={'X-Bool': True}),
        'resp_header_dict': lambda: DFF.RESP('x', headers={'X-Dict': {'a': 1}}),
        'resp_header_name': lambda: DFF.RESP('x', headers={1: 'a'}),
        'resp_headers_list': lambda: DFF.RESP('x', headers=[('X-A', '1')]),
        'resp_file_header': lambda: DFF.RESP_FILE('no-such-file.txt', headers={'X-None': None}),
        'redirect_none': lambda: DFF.REDIRECT(None),
        'redirect_bytes': lambda: DFF.REDIRECT(b'/next'),
        'redirect_empty': lambda: DFF.REDIRECT(''),
        'redirect_blank': lambda: DFF.REDIRECT('  '),
    })

@DFF.API('RESP_FILE paths')
def resp_file_paths():
    import base64, os, tempfile
    def body(r):
        return base64.b64decode(r.file_base64).decode()
    # One relative path both in the resources folder and in the working directory (a folder of its
    # own, the runner's own one put back after), one only in the latter.
    with open(DFF.RSRC('in-resp-file.txt'), 'w') as f:
        f.write('from resources')
    work = tempfile.mkdtemp()
    absolute = os.path.join(work, 'in-resp-abs.txt')
    for name in ('in-resp-file.txt', 'in-resp-cwd-only.txt', 'in-resp-abs.txt'):
        with open(os.path.join(work, name), 'w') as f:
            f.write('absolute' if name == 'in-resp-abs.txt' else 'from the working directory')
    was = os.getcwd()
    os.chdir(work)
    try:
        out = _try({
            'escape': lambda: DFF.RESP_FILE('../../../../etc/passwd'),
            'escape_inner': lambda: DFF.RESP_FILE('a/../../in-resp-file.txt'),
            'cwd_only': lambda: DFF.RESP_FILE('in-resp-cwd-only.txt'),
            'none': lambda: DFF.RESP_FILE(None),
            'number': lambda: DFF.RESP_FILE(5),
        })
        out['relative'] = body(DFF.RESP_FILE('in-resp-file.txt'))
        out['leading_dot'] = body(DFF.RESP_FILE('./sub/../in-resp-file.txt'))
        out['absolute'] = body(DFF.RESP_FILE(absolute))
    finally:
        os.chdir(was)
    return out

@DFF.API('Numeric headers')
def numeric_headers():
    return DFF.RESP('x', headers={'X-Int': 1, 'X-Float': 1.5, 'X-Text': 'a'})

@DFF.API('Interrupted')
def interrupted(kind='keyboard'):
    if kind == 'keyboard':
        raise KeyboardInterrupt
    if kind == 'exit':
        raise SystemExit
    if kind == 'bare':
        raise ValueError
    raise ValueError('with a text')
`;

const t = useTestStack({ dffinput__main: MAIN });

const draft = draftRunner(t, 'dffinput__main');
const run = draft.run;
const result = async (name: string): Promise<Record<string, unknown>> => (await draft.result(name)) as Record<string, unknown>;

describe('DFF refuses bad input at once, naming the member and the argument', () => {
  it('CACHE: a key or dest_key that is neither a str nor a number (a number is a key as its text, as in DataFlux Func), a pattern, topic or scope that is not a str; nothing read, written or deleted', async () => {
    const out = await result('cache_keys');
    expectOutcomes(out, {
      get_list: /^TypeError: DFF\.CACHE\.get: key must be a str \(or a number, taken as its text\), got list$/,
      call_list: /^TypeError: DFF\.CACHE\.get: key must be a str \(or a number, taken as its text\), got list$/,
      run_list: /^TypeError: DFF\.CACHE\.get: key must be a str \(or a number, taken as its text\), got list$/,
      set_bool: /^TypeError: DFF\.CACHE\.set: key must be a str \(or a number, taken as its text\), got bool$/,
      exists_none: /^TypeError: DFF\.CACHE\.exists: key must be a str \(or a number, taken as its text\), got NoneType$/,
      delete_none: /^TypeError: DFF\.CACHE\.delete: key must be a str \(or a number, taken as its text\), got NoneType$/,
      delete_list_none: /^TypeError: DFF\.CACHE\.delete: key must be a str \(or a number, taken as its text\), got NoneType$/,
      mget_none: /^TypeError: DFF\.CACHE\.mget: key must be a str \(or a number, taken as its text\), got NoneType$/,
      mset_none: /^TypeError: DFF\.CACHE\.mset: key must be a str \(or a number, taken as its text\), got NoneType$/,
      mset_text: /^TypeError: DFF\.CACHE\.mset: key_values must be a dict, got str$/,
      keys_int: /^TypeError: DFF\.CACHE\.keys: pattern must be a str, got int$/,
      keys_none: /^TypeError: DFF\.CACHE\.keys: pattern must be a str, got NoneType$/,
      get_pattern_int: /^TypeError: DFF\.CACHE\.get_pattern: pattern must be a str, got int$/,
      delete_pattern_int: /^TypeError: DFF\.CACHE\.delete_pattern: pattern must be a str, got int$/,
      hkeys_pattern: /^TypeError: DFF\.CACHE\.hkeys: pattern must be a str, got int$/,
      hsetnx_key: /^TypeError: DFF\.CACHE\.hsetnx: key must be a str \(or a number, taken as its text\), got NoneType$/,
      rpoplpush_dest: /^TypeError: DFF\.CACHE\.rpoplpush: dest_key must be a str \(or a number, taken as its text\), got bool$/,
      publish_topic: /^TypeError: DFF\.CACHE\.publish: topic must be a str, got NoneType$/,
      scope_int: /^TypeError: DFF\.CACHE\.set: scope must be a str or None, got int$/,
      scope_list: /^TypeError: DFF\.CACHE\.get: scope must be a str or None, got list$/,
    });
    // mset wrote none of its keys, delete_pattern(5) deleted nothing, set(scope=0) did not write the script's scope.
    expect(out.after).toEqual({ keys: ['a', 'b', 'h', 'l'], a: 'kept', l: ['x'] });
    expect(out.number_keys).toEqual([true, true, 'n', 'n', { '42': 'n', '1.5': 'f' }, true, ['1.5', '42'], 1, ['1.5']]);
  });

  it('CACHE: a hash field that is None, a bool or not a str/int/float; hmset of no dict; a number is a field as its text', async () => {
    const out = await result('cache_fields');
    expectOutcomes(out, {
      hset_none: /^TypeError: DFF\.CACHE\.hset: field must be a str, int or float, got NoneType$/,
      hset_bool: /^TypeError: DFF\.CACHE\.hset: field must be a str, int or float, got bool$/,
      hset_list: /^TypeError: DFF\.CACHE\.hset: field must be a str, int or float, got list$/,
      hsetnx_none: /^TypeError: DFF\.CACHE\.hsetnx: field must be/,
      hget_none: /^TypeError: DFF\.CACHE\.hget: field must be/,
      hmget_none: /^TypeError: DFF\.CACHE\.hmget: field must be/,
      hdel_none: /^TypeError: DFF\.CACHE\.hdel: field must be/,
      hincr_none: /^TypeError: DFF\.CACHE\.hincr: field must be/,
      hmset_text: /^TypeError: DFF\.CACHE\.hmset: field_values must be a dict, got str$/,
      hmset_pairs: /^TypeError: DFF\.CACHE\.hmset: field_values must be a dict, got list$/,
      hmset_none_field: /^TypeError: DFF\.CACHE\.hmset: field must be a str, int or float, got NoneType$/,
    });
    expect(out.int_field).toEqual([1, 'seven', 'seven']);
    // No field "null" or "None", nothing of the refused hmset.
    expect(out.after).toEqual({ f: 'kept', '7': 'seven' });
  });

  it('CACHE: incr/incrby/hincr steps and lrange/ltrim/zrange bounds must be integers (not a fraction, a bool, None or text)', async () => {
    const out = await result('cache_ints');
    expectOutcomes(out, {
      incr_fraction: /^TypeError: DFF\.CACHE\.incr: step must be an integer, got 1\.5$/,
      incr_bool: /^TypeError: DFF\.CACHE\.incr: step must be an integer, got True$/,
      incr_none: /^TypeError: DFF\.CACHE\.incr: step must be an integer, got None$/,
      incr_text: /^TypeError: DFF\.CACHE\.incr: step must be an integer, got '2'$/,
      incr_huge: /^ValueError: DFF\.CACHE\.incr: step must be a 64-bit integer, got 18446744073709551616$/,
      incrby_fraction: /^TypeError: DFF\.CACHE\.incrby: step must be an integer, got 0\.5$/,
      hincr_fraction: /^TypeError: DFF\.CACHE\.hincr: step must be an integer, got 0\.5$/,
      hincrby_bool: /^TypeError: DFF\.CACHE\.hincrby: step must be an integer, got False$/,
      ltrim_none: /^TypeError: DFF\.CACHE\.ltrim: start must be an integer, got None$/,
      ltrim_stop_text: /^TypeError: DFF\.CACHE\.ltrim: stop must be an integer, got '2'$/,
      ltrim_fraction: /^TypeError: DFF\.CACHE\.ltrim: start must be an integer, got 0\.5$/,
      lrange_none: /^TypeError: DFF\.CACHE\.lrange: start must be an integer, got None$/,
      zrange_fraction: /^TypeError: DFF\.CACHE\.zrange: stop must be an integer, got 1\.5$/,
    });
    expect(out.after).toEqual(['10', '10', ['0', '1', '2', '3', '4']]);
    expect(out.ok).toEqual([11, 13, 10, 12, true, ['1', '2', '3']]);
  });

  it('CACHE.zadd: member_scores a dict, each score a finite number (numeric text taken), each member a str, int or float; nothing added on a refusal', async () => {
    const out = await result('cache_zadd');
    expectOutcomes(out, {
      text_score: /^ValueError: DFF\.CACHE\.zadd: the score of 'm' must be a finite number, got 'abc'$/,
      none_score: /^TypeError: DFF\.CACHE\.zadd: the score of 'm' must be a number, got NoneType$/,
      bool_score: /^TypeError: DFF\.CACHE\.zadd: the score of 'm' must be a number, got bool$/,
      nan_score: /^ValueError: DFF\.CACHE\.zadd: the score of 'm' must be a finite number, got nan$/,
      inf_score: /^ValueError: DFF\.CACHE\.zadd: the score of 'm' must be a finite number, got inf$/,
      huge_score: /^ValueError: DFF\.CACHE\.zadd: the score of 'm' must be a finite number, got 1000/,
      not_dict: /^TypeError: DFF\.CACHE\.zadd: member_scores must be a dict, got str$/,
      none_member: /^TypeError: DFF\.CACHE\.zadd: member must be a str, int or float, got NoneType$/,
      one_bad_of_two: /^ValueError: DFF\.CACHE\.zadd: the score of 'bad' must be a finite number, got 'x'$/,
    });
    expect(out.nothing_added).toBe(0);
    expect(out.numeric_text).toEqual([
      2,
      [
        ['m', 1.5],
        ['2', 3],
      ],
    ]);
  });

  it('CACHE: a set or sorted-set member that is None, a bool or not a str/int/float (sadd, srem, sismember, zrem); nothing added or removed; a number is a member as its text', async () => {
    const out = await result('cache_members');
    expectOutcomes(out, {
      sadd_none: /^TypeError: DFF\.CACHE\.sadd: member must be a str, int or float, got NoneType$/,
      sadd_one_none: /^TypeError: DFF\.CACHE\.sadd: member must be a str, int or float, got NoneType$/,
      sadd_bool: /^TypeError: DFF\.CACHE\.sadd: member must be a str, int or float, got bool$/,
      sadd_nested: /^TypeError: DFF\.CACHE\.sadd: member must be a str, int or float, got list$/,
      srem_none: /^TypeError: DFF\.CACHE\.srem: member must be a str, int or float, got NoneType$/,
      sismember_none: /^TypeError: DFF\.CACHE\.sismember: member must be a str, int or float, got NoneType$/,
      zrem_none: /^TypeError: DFF\.CACHE\.zrem: member must be a str, int or float, got NoneType$/,
    });
    expect(out.after).toEqual([['kept'], ['kept']]);
    expect(out.ok).toEqual([2, true, true, 1, ['1.5', 'kept'], 1]);
  });

  it('STORE: a key, pattern or scope that is not a str; mset of no dict; nothing written or deleted', async () => {
    const out = await result('store_keys');
    expectOutcomes(out, {
      get_list: /^TypeError: DFF\.STORE\.get: key must be a str, got list$/,
      set_int: /^TypeError: DFF\.STORE\.set: key must be a str, got int$/,
      mget_int: /^TypeError: DFF\.STORE\.mget: key must be a str, got int$/,
      mset_text: /^TypeError: DFF\.STORE\.mset: key_values must be a dict, got str$/,
      mset_int: /^TypeError: DFF\.STORE\.mset: key must be a str, got int$/,
      keys_int: /^TypeError: DFF\.STORE\.keys: pattern must be a str, got int$/,
      get_pattern_int: /^TypeError: DFF\.STORE\.get_pattern: pattern must be a str, got int$/,
      delete_pattern_int: /^TypeError: DFF\.STORE\.delete_pattern: pattern must be a str, got int$/,
      scope_int: /^TypeError: DFF\.STORE\.set: scope must be a str or None, got int$/,
    });
    expect(out.after).toEqual({ a: 1 });
  });

  it('SQL of no str (and every other SQL refusal named DFF.SQL), RESP/RESP_FILE headers of no str/int/float (naming the header), REDIRECT of no str or an empty one', async () => {
    const out = await result('responses');
    expectOutcomes(out, {
      sql_none: /^TypeError: DFF\.SQL: sql must be a str, got NoneType$/,
      sql_bytes: /^TypeError: DFF\.SQL: sql must be a str, got bytes$/,
      sql_too_few: /^ValueError: DFF\.SQL: more placeholders than parameters \(1 given\)$/,
      sql_too_many: /^ValueError: DFF\.SQL: 2 parameters given for 1 placeholders$/,
      sql_old_form: /^TypeError: DFF\.SQL: pretty must be a bool, got int \(the values go in one list: DFF\.SQL\(sql, \[a, b\]\)\)$/,
      sql_nan: /^ValueError: DFF\.SQL: cannot use nan as a value$/,
      sql_empty_list: /^ValueError: DFF\.SQL: cannot use an empty list as a value$/,
      sql_object: /^TypeError: DFF\.SQL: cannot use a value of type object$/,
      sql_identifier: /^TypeError: DFF\.SQL: an identifier must be a string, got int$/,
      resp_header_none: /^TypeError: DFF\.RESP: header 'X-None' must be a str, int or float, got NoneType$/,
      resp_header_bool: /^TypeError: DFF\.RESP: header 'X-Bool' must be a str, int or float, got bool$/,
      resp_header_dict: /^TypeError: DFF\.RESP: header 'X-Dict' must be a str, int or float, got dict$/,
      resp_header_name: /^TypeError: DFF\.RESP: a header name must be a str, got 1$/,
      resp_headers_list: /^TypeError: DFF\.RESP: headers must be a dict, got list$/,
      resp_file_header: /^TypeError: DFF\.RESP_FILE: header 'X-None' must be a str, int or float, got NoneType$/,
      redirect_none: /^TypeError: DFF\.REDIRECT: url must be a str, got NoneType$/,
      redirect_bytes: /^TypeError: DFF\.REDIRECT: url must be a str, got bytes$/,
      redirect_empty: /^ValueError: DFF\.REDIRECT: url must be a non-empty str, got ''$/,
      redirect_blank: /^ValueError: DFF\.REDIRECT: url must be a non-empty str, got ' {2}'$/,
    });
  });

  it('RESP_FILE: a relative path is taken in the resources folder (as DataFlux Func), never from the working directory; one leading out of it is refused; an absolute path is read as it is', async () => {
    const out = await result('resp_file_paths');
    expectOutcomes(out, {
      escape: /^ValueError: DFF\.RESP_FILE: '\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd' is outside the resources folder$/,
      escape_inner: /^ValueError: DFF\.RESP_FILE: 'a\/\.\.\/\.\.\/in-resp-file\.txt' is outside the resources folder$/,
      cwd_only: /^FileNotFoundError: DFF\.RESP_FILE: no such file in the resources folder: 'in-resp-cwd-only\.txt'$/,
      none: /^TypeError: DFF\.RESP_FILE: file_path must be a str, got NoneType$/,
      number: /^TypeError: DFF\.RESP_FILE: file_path must be a str, got int$/,
    });
    expect([out.relative, out.leading_dot, out.absolute]).toEqual(['from resources', 'from resources', 'absolute']);
  });

  it('RESP sends int and float header values as their text', async () => {
    const r = await t.admin('POST', '/api/v1/func/dffinput__main.numeric_headers', { kwargs: {} });
    expect(r.status, r.text).toBe(200);
    expect([r.headers['x-int'], r.headers['x-float'], r.headers['x-text']]).toEqual(['1', '1.5', 'a']);
  });
});

describe('a failure always has an exception text', () => {
  it.each([
    ['keyboard', 'KeyboardInterrupt', 'KeyboardInterrupt'],
    ['exit', 'SystemExit', 'SystemExit'],
    ['bare', 'ValueError', 'ValueError'],
    ['text', 'ValueError', 'with a text'],
  ])('raise %s: %s reported as %j', async (kind, type, text) => {
    const r = await run('interrupted', { kind });
    expect(r.status).toBe('failure');
    expect(r.exceptionType).toBe(type);
    expect(r.exception).toBe(text);
  });

  it('a published call ended by KeyboardInterrupt answers and records its type as the text', async () => {
    const r = await t.admin('POST', '/api/v1/func/dffinput__main.interrupted', { kwargs: { kind: 'keyboard' } });
    expect(r.status, r.text).toBeGreaterThanOrEqual(400);
    expect(r.text).toContain('KeyboardInterrupt');
    // The record is written as the task starts and ends after the answer (a sync call's outcome goes to its caller first).
    const list = (): ReturnType<typeof t.stack.store.taskRecords.list> => t.stack.store.taskRecords.list({ funcId: 'dffinput__main.interrupted', origin: 'direct' }, {});
    const end = Date.now() + 15_000;
    let records = await list();
    while (records.some((x) => x.status !== 'failure') && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      records = await list();
    }
    expect(records.map((x) => [x.status, x.exceptionType, x.exceptionTEXT])).toEqual([['failure', 'KeyboardInterrupt', 'KeyboardInterrupt']]);
  });
});
