/**
 * A script added while its script set is being deleted: the delete removes the set's row, then
 * the scripts it lists; a script inserted after that list must not outlive its set.
 */
import { describe, expect, it } from 'vitest';
import type { EntityRepo, ScriptRow } from '../src/domain/ports/store.js';
import { useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack();

describe('adding a script while its set is deleted', () => {
  it('answers 400 naming the id and leaves no script without its set', async () => {
    await t.client.addScriptSet({ body: { data: { id: 'racy' } } });
    const store = t.stack.ctx.store;
    const entity = store.entity.bind(store);
    let armed = true;
    // The set's delete lands between the add's check of the set and its insert.
    store.entity = ((name: Parameters<typeof entity>[0]) => {
      const repo = entity(name);
      if (name !== 'scripts' || !armed) return repo;
      const scripts = repo as unknown as EntityRepo<ScriptRow>;
      return {
        ...scripts,
        get: scripts.get.bind(scripts),
        list: scripts.list.bind(scripts),
        update: scripts.update.bind(scripts),
        delete: scripts.delete.bind(scripts),
        insert: async (row: ScriptRow) => {
          armed = false;
          await t.client.deleteScriptSet({ params: { id: 'racy' } });
          await scripts.insert(row);
        },
      };
    }) as typeof store.entity;
    try {
      const r = await t.admin('POST', '/api/v1/scripts/do/add', { data: { id: 'racy__s', codeDraft: 'x = 1\n' } });
      expect(r.status, r.text).toBe(400);
      expect(r.data).toBeUndefined();
      expect(JSON.parse(r.text)).toMatchObject({ reason: 'EClientBadRequest', detail: { field: 'id' } });
    } finally {
      store.entity = entity;
    }
    expect(armed).toBe(false);
    expect(await t.client.listScripts({ query: { scriptSetId: 'racy' } })).toEqual([]);
  });
});
