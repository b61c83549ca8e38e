import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../contract/errors.js';
import { MAX_DELAY_S } from '../../../../contract/operations/calls.js';
import type { FuncRow } from '../ports/store.js';
import { PRESETS } from '../topology/topology.js';
import { buildTask, checkKwargs, mergeApiKwargs } from './build-task.js';

const func = (
  extra: Record<string, unknown> = {},
  args = ['a', 'b'],
  kwargs: Record<string, unknown> = { a: { hasDefault: false }, b: { hasDefault: true, default: 1 } },
): FuncRow => ({
  id: 's__m.f',
  scriptSetId: 's',
  scriptId: 's__m',
  name: 'f',
  title: null,
  description: null,
  definition: 'def f(a, b=1)',
  argsJSON: args,
  kwargsJSON: kwargs,
  extraConfigJSON: extra,
  category: 'general',
  tagsJSON: [],
  defOrder: 0,
  createTime: 0,
  updateTime: 0,
});
const base = { kwargs: {}, originId: 'x', topology: PRESETS.standalone!, now: 1_000_000 };

describe('buildTask precedence', () => {
  it('uses defaults by origin: 35 s direct, 3600 s async API, 60 s debugger; queues from the queue map', () => {
    expect(buildTask({ ...base, func: func(), origin: 'direct' })).toMatchObject({ timeoutMs: 35_000, queue: 1, expiresAt: 1_035_000 });
    expect(buildTask({ ...base, func: func(), origin: 'asyncAPI' })).toMatchObject({ timeoutMs: 3_600_000, queue: 3 });
    expect(buildTask({ ...base, func: func(), origin: 'cronJob' })).toMatchObject({ queue: 2, expiresAt: 1_000_000 + 900_000 });
    expect(buildTask({ ...base, func: func({ queue: 9 }), origin: 'debugger' })).toMatchObject({ timeoutMs: 60_000, queue: 5 });
  });

  it('call option > decorator > default', () => {
    expect(buildTask({ ...base, func: func({ timeout: 10, queue: 7 }), origin: 'direct' })).toMatchObject({ timeoutMs: 10_000, queue: 7 });
    expect(buildTask({ ...base, func: func({ timeout: 10, queue: 7 }), origin: 'direct', options: { timeout: 20, queue: 8 } })).toMatchObject({ timeoutMs: 20_000, queue: 8 });
  });

  it("a DFF.FUNC sub-task goes to its function's queue, else its caller's (DataFlux's _call_func); entity calls to their role's", () => {
    const parent = { ...buildTask({ ...base, func: func(), origin: 'cronJob' }), funcId: 's__m.caller' };
    expect(parent.queue).toBe(2);
    expect(buildTask({ ...base, func: func(), origin: 'func', parent })).toMatchObject({ queue: 2 });
    expect(buildTask({ ...base, func: func({ queue: 7 }), origin: 'func', parent })).toMatchObject({ queue: 7 });
    expect(buildTask({ ...base, func: func({ queue: 7 }), origin: 'func', parent, options: { queue: 8 } })).toMatchObject({ queue: 8 });
    expect(buildTask({ ...base, func: func(), origin: 'asyncAPI', parent })).toMatchObject({ queue: 3 });
  });

  it('caches for the whole seconds of a float cache_result (as DataFlux Func); under a second, not at all', () => {
    expect(buildTask({ ...base, func: func({ cacheResult: 2.7 }), origin: 'syncAPI' }).cacheResultSeconds).toBe(2);
    expect(buildTask({ ...base, func: func({ cacheResult: 0.5 }), origin: 'syncAPI' }).cacheResultSeconds).toBeUndefined();
  });

  it('carries when its function was published (a worker with older cached code reads it again), not for a draft run', () => {
    expect(buildTask({ ...base, func: { ...func(), updateTime: 1234 }, origin: 'direct' }).publishedAt).toBe(1234);
    expect(buildTask({ ...base, func: { ...func(), updateTime: 1234 }, origin: 'debugger', draft: true }).publishedAt).toBeUndefined();
  });

  it("keeps a call's delay and a cron job's exec mode for the function's globals", () => {
    expect(buildTask({ ...base, func: func(), origin: 'direct', options: { delay: 5 } }).delay).toBe(5);
    const byEta = buildTask({ ...base, func: func(), origin: 'direct', options: { eta: 1_005_000 } });
    expect([byEta.delay, byEta.askedEta]).toEqual([undefined, new Date(1_005_000).toISOString()]);
    expect(buildTask({ ...base, func: func(), origin: 'cronJob', cronJobId: 'cj', cronExpr: '* * * * *' }).cronJobExecMode).toBe('cronJob');
    expect(buildTask({ ...base, func: func(), origin: 'cronJob', cronJobId: 'cj', cronJobExecMode: 'manual' }).cronJobExecMode).toBe('manual');
  });

  it('delays by eta or delay, and expiry counts from the start', () => {
    const t = buildTask({ ...base, func: func(), origin: 'direct', options: { delay: 5 } });
    expect(t.eta).toBe(1_005_000);
    expect(t.expiresAt).toBe(1_005_000 + 35_000);
  });

  it('runs a past eta now, its expiry counting from now (not EFuncExpired on arrival)', () => {
    const t = buildTask({ ...base, func: func(), origin: 'direct', options: { eta: new Date(base.now - 3_600_000).toISOString() } });
    expect(t.eta).toBeUndefined();
    expect(t.expiresAt).toBe(base.now + 35_000);
  });

  it('refuses an eta or delay beyond 30 days, or not a time, naming the option', () => {
    const at = (options: Record<string, unknown>): string => {
      try {
        buildTask({ ...base, func: func(), origin: 'func', options });
      } catch (err) {
        expect((err as ApiError).status).toBe(400);
        return String((err as ApiError).detail.field);
      }
      return 'accepted';
    };
    const day = 86_400_000;
    expect(MAX_DELAY_S).toBe(30 * 86400);
    expect(at({ eta: base.now + 30 * day })).toBe('accepted');
    expect(at({ eta: base.now + 30 * day + 1 })).toBe('options.eta');
    expect(at({ eta: 'soon' })).toBe('options.eta');
    expect(at({ eta: 2 ** 53 })).toBe('options.eta');
    expect(at({ delay: MAX_DELAY_S })).toBe('accepted');
    expect(at({ delay: MAX_DELAY_S + 1 })).toBe('options.delay');
    expect(at({ delay: -1 })).toBe('options.delay');
    expect(at({ delay: '5' })).toBe('options.delay');
  });

  it('refuses call chains that are too long or circular', () => {
    const parent = buildTask({ ...base, func: func(), origin: 'direct' });
    expect(() => buildTask({ ...base, func: func(), origin: 'func', parent })).toThrow(/circular/);
    const deep = { ...parent, funcId: 'other.g', callChain: ['a.a', 'b.b', 'c.c', 'd.d'] };
    expect(() => buildTask({ ...base, func: func(), origin: 'func', parent: deep })).toThrow(/too long|longer/);
  });
});

describe('checkKwargs', () => {
  it('refuses unknown and missing arguments, naming them', () => {
    expect(() => checkKwargs(func(), { a: 1, zz: 2 })).toThrow(/no argument "zz"/);
    expect(() => checkKwargs(func(), { b: 2 })).toThrow(/needs the argument "a"/);
    expect(() => checkKwargs(func(), { a: 1 })).not.toThrow();
    expect(() => checkKwargs(func({ varKwargs: true }), { zz: 1, a: 1 })).not.toThrow();
    expect(() => checkKwargs(func({}, ['constructor'], { constructor: { hasDefault: false } }), {})).toThrow(/needs the argument "constructor"/);
    // `*args` is listed (as DataFlux Func lists it), not an argument a caller names.
    const starred = func({}, ['a', '*args'], { a: { hasDefault: false }, '*args': {} });
    expect(() => checkKwargs(starred, { a: 1 })).not.toThrow();
    expect(() => checkKwargs(starred, { a: 1, '*args': [1] })).toThrow(/no argument "\*args" \(it takes: a\)/);
  });
});

describe('mergeApiKwargs', () => {
  it('fills INPUT_BY_CALLER, drops unfilled placeholders, refuses overriding fixed values, adds extra keys', () => {
    expect(mergeApiKwargs({ a: 'INPUT_BY_CALLER', b: 2, c: 'INPUT_BY_CALLER' }, { a: 1, d: 4 }, 'f')).toEqual({ a: 1, b: 2, d: 4 });
    try {
      mergeApiKwargs({ b: 2 }, { b: 3 }, 'f');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).message).toMatch(/fixed kwargs field: b/);
      expect((err as ApiError).status).toBe(400);
    }
  });

  it('takes kwargs named like members of Object.prototype (constructor, toString, __proto__) as any other', () => {
    const caller = JSON.parse('{"constructor": 1, "toString": "s", "hasOwnProperty": [1], "__proto__": {"x": 1}}') as Record<string, unknown>;
    const merged = mergeApiKwargs({}, caller, 'f');
    expect(JSON.stringify(merged)).toBe('{"constructor":1,"toString":"s","hasOwnProperty":[1],"__proto__":{"x":1}}');
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    // An unfilled placeholder named like one is dropped, not filled from Object.prototype.
    expect(Object.keys(mergeApiKwargs({ constructor: 'INPUT_BY_CALLER', a: 1 }, {}, 'f'))).toEqual(['a']);
  });
});
