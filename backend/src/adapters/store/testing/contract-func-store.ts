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
}
