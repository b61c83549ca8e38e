/** Contract: draft saving, publishing and deleting scripts. */
import { expect, it } from 'vitest';
import { DuplicateIdError, RowGoneError } from '../../../domain/ports/store.js';
import { ENTITY_CASES, funcRow } from './fixtures.js';
import type { GetStore } from './store-contract.js';

export function scriptContract(getStore: GetStore): void {
  it('saves drafts atomically against the previous md5', async () => {
    const store = getStore();
    await store.entity('scripts').insert({ ...ENTITY_CASES.scripts.row('s-draft', 1), codeDraftMD5: 'm0' });
    expect(await store.scripts.saveDraft('s-draft', 'v1', 'm1', 'm0', 2)).toBe(true);
    expect(await store.scripts.saveDraft('s-draft', 'v2', 'm2', 'm0', 3)).toBe(false);
    expect(await store.entity('scripts').get('s-draft')).toMatchObject({ codeDraft: 'v1', codeDraftMD5: 'm1', updateTime: 2 });
    expect(await store.scripts.saveDraft('s-draft', 'v3', 'm3', undefined, 4)).toBe(true);
    expect(await store.entity('scripts').get('s-draft')).toMatchObject({ codeDraft: 'v3', codeDraftMD5: 'm3', updateTime: 4 });
    expect(await store.scripts.saveDraft('missing', 'v', 'm', undefined, 5)).toBe(false);
    // Two racing saves from the same base: exactly one wins.
    const race = await Promise.all([store.scripts.saveDraft('s-draft', 'a', 'ma', 'm3', 6), store.scripts.saveDraft('s-draft', 'b', 'mb', 'm3', 6)]);
    expect(race.filter(Boolean)).toHaveLength(1);
  });

  it('publishes in one step: code, version, history and the func list', async () => {
    const store = getStore();
    const { scripts } = store;
    const entity = store.entity.bind(store);
    await entity('scripts').insert(ENTITY_CASES.scripts.row('demo__pub', 1));
    const f = (name: string, order: number) => funcRow(`demo__pub.${name}`, 'demo__pub', order, 10);
    const v1 = await scripts.publish({ scriptId: 'demo__pub', code: 'c1', codeMD5: 'h1', note: 'first', funcs: [f('a', 1), f('b', 2)], now: 10 });
    expect(v1).toBe(1);
    const v2 = await scripts.publish({ scriptId: 'demo__pub', code: 'c2', codeMD5: 'h2', note: null, funcs: [f('b', 1), f('c', 2)], now: 20 });
    expect(v2).toBe(2);
    expect(await entity('scripts').get('demo__pub')).toMatchObject({ code: 'c2', codeMD5: 'h2', publishVersion: 2, updateTime: 20 });
    expect(await entity('funcs').list({ scriptId: 'demo__pub' })).toEqual([f('b', 1), f('c', 2)]);
    expect(await scripts.history('demo__pub')).toEqual([
      { scriptId: 'demo__pub', publishVersion: 2, code: 'c2', codeMD5: 'h2', note: null, createTime: 20 },
      { scriptId: 'demo__pub', publishVersion: 1, code: 'c1', codeMD5: 'h1', note: 'first', createTime: 10 },
    ]);
    const v3 = await scripts.publish({ scriptId: 'demo__pub', code: 'c3', codeMD5: 'h3', note: null, funcs: [], now: 30 });
    expect(v3).toBe(3);
    expect(await entity('funcs').list({ scriptId: 'demo__pub' })).toEqual([]);
    await expect(scripts.publish({ scriptId: 'nope', code: '', codeMD5: '', note: null, funcs: [], now: 1 })).rejects.toThrow(RowGoneError);
  });

  it('rolls a failed publish back', async () => {
    const store = getStore();
    const { scripts } = store;
    const entity = store.entity.bind(store);
    await entity('scripts').insert(ENTITY_CASES.scripts.row('demo__other', 1));
    await entity('scripts').insert(ENTITY_CASES.scripts.row('demo__rb', 1));
    await scripts.publish({ scriptId: 'demo__other', code: 'o', codeMD5: 'o', note: null, funcs: [funcRow('demo__other.x', 'demo__other', 1, 1)], now: 1 });
    await scripts.publish({ scriptId: 'demo__rb', code: 'c1', codeMD5: 'h1', note: null, funcs: [funcRow('demo__rb.a', 'demo__rb', 1, 1)], now: 1 });
    const stolen = funcRow('demo__other.x', 'demo__rb', 1, 2);
    const publish = scripts.publish({ scriptId: 'demo__rb', code: 'c2', codeMD5: 'h2', note: null, funcs: [stolen], now: 2 });
    await expect(publish).rejects.toThrow(DuplicateIdError);
    expect(await entity('scripts').get('demo__rb')).toMatchObject({ code: 'c1', publishVersion: 1 });
    expect((await entity('funcs').list({ scriptId: 'demo__rb' })).map((x) => x.id)).toEqual(['demo__rb.a']);
    expect(await scripts.history('demo__rb')).toHaveLength(1);
    const dup = funcRow('demo__rb.z', 'demo__rb', 1, 2);
    await expect(scripts.publish({ scriptId: 'demo__rb', code: 'c2', codeMD5: 'h2', note: null, funcs: [dup, dup], now: 2 })).rejects.toThrow(DuplicateIdError);
  });

  it('deletes a script with its funcs and history', async () => {
    const store = getStore();
    const { scripts } = store;
    const entity = store.entity.bind(store);
    await entity('scripts').insert(ENTITY_CASES.scripts.row('demo__del', 1));
    await scripts.publish({ scriptId: 'demo__del', code: 'c', codeMD5: 'h', note: null, funcs: [funcRow('demo__del.f', 'demo__del', 1, 1)], now: 1 });
    expect(await scripts.deleteScript('demo__del')).toBe(true);
    expect(await entity('scripts').get('demo__del')).toBeUndefined();
    expect(await entity('funcs').list({ scriptId: 'demo__del' })).toEqual([]);
    expect(await scripts.history('demo__del')).toEqual([]);
    expect(await scripts.deleteScript('demo__del')).toBe(false);
    // Other scripts are untouched.
    expect(await entity('funcs').get('demo__other.x')).toBeDefined();
  });
}
