/** Contract: DFF.STORE key-value rows. */
import { expect, it } from 'vitest';
import type { GetStore } from './store-contract.js';

export function funcStoreContract(getStore: GetStore): void {
  it('sets, gets and deletes values of any JSON type', async () => {
    const fs = getStore().funcStore;
    const values: unknown[] = [{ a: [1, 'ü', null] }, 'text', 42.5, true, null, []];
    for (const [i, v] of values.entries()) {
      expect(await fs.set('s1', `k${i}`, v, null, false, 1)).toBe(true);
      expect(await fs.get('s1', `k${i}`, 1)).toEqual(v);
    }
    expect(await fs.get('s1', 'absent', 1)).toBeUndefined();
    expect(await fs.get('other-scope', 'k0', 1)).toBeUndefined();
    expect(await fs.set('s1', 'k0', 'replaced', null, false, 2)).toBe(true);
    expect(await fs.get('s1', 'k0', 2)).toBe('replaced');
    expect(await fs.delete('s1', 'k0')).toBe(true);
    expect(await fs.delete('s1', 'k0')).toBe(false);
    expect(await fs.get('s1', 'k0', 2)).toBeUndefined();
  });

  it('honours expiry on read and for notExists', async () => {
    const fs = getStore().funcStore;
    expect(await fs.set('s2', 'lock', 'a', 100, true, 10)).toBe(true);
    expect(await fs.set('s2', 'lock', 'b', 200, true, 50)).toBe(false);
    expect(await fs.get('s2', 'lock', 99)).toBe('a');
    expect(await fs.get('s2', 'lock', 100)).toBeUndefined();
    expect(await fs.set('s2', 'lock', 'c', 300, true, 100)).toBe(true);
    expect(await fs.get('s2', 'lock', 150)).toBe('c');
    // A plain set replaces the expiry too.
    expect(await fs.set('s2', 'lock', 'd', null, false, 160)).toBe(true);
    expect(await fs.get('s2', 'lock', 10_000)).toBe('d');
    const racing = await Promise.all([fs.set('s2', 'race', 1, null, true, 1), fs.set('s2', 'race', 2, null, true, 1)]);
    expect(racing.filter(Boolean)).toHaveLength(1);
  });

  it('lists live keys, optionally by a * pattern (case-sensitive, % and _ literal)', async () => {
    const fs = getStore().funcStore;
    for (const k of ['user:1', 'user:2', 'User:3', 'order:1', '100%', '1000', 'a_b', 'axb']) await fs.set('s3', k, 1, null, false, 1);
    await fs.set('s3', 'user:old', 1, 5, false, 1);
    await fs.set('s3-other', 'user:9', 1, null, false, 1);
    expect(await fs.keys('s3', null, 10)).toEqual(['100%', '1000', 'User:3', 'a_b', 'axb', 'order:1', 'user:1', 'user:2']);
    expect(await fs.keys('s3', '*', 10)).toHaveLength(8);
    expect(await fs.keys('s3', 'user:*', 10)).toEqual(['user:1', 'user:2']);
    expect(await fs.keys('s3', 'user:*', 1)).toEqual(['user:1', 'user:2', 'user:old']);
    expect(await fs.keys('s3', '*:1', 10)).toEqual(['order:1', 'user:1']);
    expect(await fs.keys('s3', '100%', 10)).toEqual(['100%']);
    expect(await fs.keys('s3', 'a_b', 10)).toEqual(['a_b']);
    expect(await fs.keys('s3', 'nothing*', 10)).toEqual([]);
  });

  it('browses entries newest first with sizes, filtered by scope, key or either; one entry with its value', async () => {
    const fs = getStore().funcStore;
    await fs.set('b-scope1', 'alpha', { a: 'ü' }, null, false, 100);
    await fs.set('b-scope1', 'beta_1', [1, 2, 3], 5000, false, 200);
    await fs.set('b-scope2', 'alpha', 'x', null, false, 300);
    await fs.set('b-scope2', 'gamma%', 7, null, false, 400);
    const all = await fs.browse({ scope: 'b-scope' }, { limit: 100, offset: 0 });
    expect(all.map((e) => `${e.scope}/${e.key}`)).toEqual(['b-scope2/gamma%', 'b-scope2/alpha', 'b-scope1/beta_1', 'b-scope1/alpha']);
    const first = all.find((e) => e.scope === 'b-scope1' && e.key === 'alpha')!;
    expect(first).toEqual({ scope: 'b-scope1', key: 'alpha', expireAt: null, dataSize: Buffer.byteLength(JSON.stringify({ a: 'ü' })), createTime: 100, updateTime: 100 });
    expect(all.find((e) => e.key === 'beta_1')!.expireAt).toBe(5000);
    expect((await fs.browse({ scope: 'b-scope1' }, { limit: 100, offset: 0 })).map((e) => e.key)).toEqual(['beta_1', 'alpha']);
    expect((await fs.browse({ key: 'a_1' }, { limit: 100, offset: 0 })).map((e) => e.key)).toEqual(['beta_1']);
    expect((await fs.browse({ key: 'a%' }, { limit: 100, offset: 0 })).map((e) => e.key)).toEqual(['gamma%']);
    expect((await fs.browse({ search: 'scope2' }, { limit: 100, offset: 0 })).map((e) => e.key)).toEqual(['gamma%', 'alpha']);
    expect((await fs.browse({ scope: 'b-scope' }, { limit: 2, offset: 1 })).map((e) => e.key)).toEqual(['alpha', 'beta_1']);
    expect(await fs.entry('b-scope1', 'beta_1')).toMatchObject({ scope: 'b-scope1', key: 'beta_1', value: [1, 2, 3], expireAt: 5000 });
    expect(await fs.entry('b-scope1', 'nope')).toBeUndefined();
  });
}
