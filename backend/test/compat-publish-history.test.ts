/**
 * DataFlux Func's script publish history list (`/api/v1/script-publish-history/do/list`) on a real
 * stack: every script's versions newest first, filters, paging, the code only when asked, bad
 * input refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack, type ApiResponse } from '../src/testing/test-stack.js';

const t = useTestStack({ hist__a: 'def f():\n    return 1\n', hist__b: 'def g():\n    return 2\n' });
const URL = '/api/v1/script-publish-history/do/list';

function ok(r: ApiResponse): Record<string, unknown>[] {
  expect(r.status, r.text).toBe(200);
  return r.body.data as Record<string, unknown>[];
}

describe('script publish history (DataFlux list)', () => {
  it('lists versions newest first, filters by script and version, pages, shows code on request', async () => {
    await t.publish('hist__a', 'def f():\n    return 11\n');
    const all = ok(await t.admin('GET', `${URL}?scriptId=hist__a,hist__b`));
    expect(all.map((r) => `${r.scriptId as string}@${r.scriptPublishVersion as number}`).slice(0, 1)).toEqual(['hist__a@2']);
    expect(all.filter((r) => r.scriptId === 'hist__a').map((r) => r.scriptPublishVersion)).toEqual([2, 1]);
    expect(all.some((r) => r.scriptId === 'hist__b')).toBe(true);
    expect(all[0]).toMatchObject({ id: 'hist__a@2', scriptSetId: 'hist', note: 'test' });
    expect(all[0]).not.toHaveProperty('scriptCode_cache');

    const v1 = ok(await t.admin('GET', `${URL}?scriptId=hist__a&scriptPublishVersion=1&_withScriptCode_cache=true`));
    expect(v1).toHaveLength(1);
    expect(v1[0]!.scriptCode_cache).toBe('def f():\n    return 1\n');

    const page2 = ok(await t.admin('GET', `${URL}?scriptId=hist__a&pageSize=1&pageNumber=2`));
    expect(page2.map((r) => r.scriptPublishVersion)).toEqual([1]);
  });

  it('refuses bad input naming the field, and needs a sign-in', async () => {
    for (const [q, field] of [
      ['scriptPublishVersion=x', 'scriptPublishVersion'],
      ['pageSize=0', 'pageSize'],
      ['_withScriptCode_cache=maybe', '_withScriptCode_cache'],
    ] as const) {
      const r = await t.admin('GET', `${URL}?${q}`);
      expect(r.status, r.text).toBe(400);
      expect(r.body.detail?.field, r.text).toMatch(new RegExp(`^(query\\.)?${field}`));
    }
    expect((await t.api('GET', URL)).status).toBe(401);
  });
});
