import { beforeAll, describe, expect, it } from 'vitest';
import { fileStore } from '../src/testing/file-store.js';
import type { DiscoveredFunc } from '../src/domain/ports/runner.js';
import type { ScriptRow } from '../src/domain/ports/store.js';
import { ScriptService } from '../src/domain/scripts/script-service.js';
import { toApiError } from '../src/server/errors.js';

const store = await fileStore();
const invalidated: string[] = [];
const failing = new Set<string>();
/** Functions the stub discovers in a script, by script id (none for the others). */
const discovered = new Map<string, DiscoveredFunc[]>();
/** Scripts deleted while their draft is being discovered (a delete racing a publish). */
const deletedDuringDiscovery = new Set<string>();
let service: ScriptService;

const script = (id: string, setId: string): ScriptRow => ({
  id,
  scriptSetId: setId,
  title: null,
  description: null,
  code: null,
  codeMD5: null,
  codeDraft: 'x = 1\n',
  codeDraftMD5: 'm',
  publishVersion: 0,
  createTime: 1,
  updateTime: 1,
});

beforeAll(async () => {
  service = new ScriptService({
    store,
    catalog: { invalidate: (id?: string) => void invalidated.push(id ?? '*') },
    discoverer: {
      discover: async (id: string) => {
        if (deletedDuringDiscovery.has(id)) await store.scripts.deleteScript(id);
        return failing.has(id) ? { ok: false, exceptionType: 'SyntaxError', message: 'bad', line: 3, traceback: '' } : { ok: true, funcs: discovered.get(id) ?? [] };
      },
    },
  });
  await store.entity('scriptSets').insert({ id: 'a', title: null, description: null, requirements: null, createTime: 1, updateTime: 1 });
  for (const id of ['a__one', 'a__two', 'a__three']) await store.entity('scripts').insert(script(id, 'a'));
});

describe('ScriptService', () => {
  it('deletes the scripts of a set but those kept, refreshing the catalog for each', async () => {
    invalidated.length = 0;
    expect(await service.deleteScriptsOf('a', new Set(['a__two']))).toEqual(['a__one', 'a__three']);
    expect(invalidated.sort()).toEqual(['a__one', 'a__three']);
    expect((await store.entity('scripts').list({ scriptSetId: 'a' })).map((s) => s.id)).toEqual(['a__two']);
  });

  it('refreshes the catalog after a publish, and after a refused one too', async () => {
    invalidated.length = 0;
    const row = (await store.entity('scripts').get('a__two'))!;
    expect(await service.publish(row, 'n', 2)).toMatchObject({ id: 'a__two', publishVersion: 1 });
    failing.add('a__two');
    await expect(service.publish(row, 'n', 3)).rejects.toMatchObject({ code: 'EScriptPublishFailed' });
    expect(invalidated).toEqual(['a__two', 'a__two']);
  });

  it('answers 404 naming the script when it is deleted while being published (was a 500)', async () => {
    await store.entity('scripts').insert(script('a__gone', 'a'));
    deletedDuringDiscovery.add('a__gone');
    const err = await service.publish((await store.entity('scripts').get('a__gone'))!, null, 4).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(toApiError(err)).toMatchObject({ code: 'EClientNotFound', status: 404, detail: { field: 'id', id: 'a__gone' } });
    expect(await store.entity('scripts').get('a__gone')).toBeUndefined();
  });

  it('refuses, naming function and field, what the funcs table cannot hold (was a 500 on MySQL)', async () => {
    const fn = (over: Partial<DiscoveredFunc>): DiscoveredFunc => ({
      name: 'f',
      title: 't',
      description: '',
      category: 'general',
      tags: [],
      definition: 'def f()',
      args: [],
      kwargs: {},
      varKwargs: false,
      order: 0,
      ...over,
    });
    await store.entity('scripts').insert(script('a__big', 'a'));
    const row = (await store.entity('scripts').get('a__big'))!;
    const cases: [Partial<DiscoveredFunc>, string][] = [
      [{ name: 'f'.repeat(300) }, 'name'],
      [{ category: 'c'.repeat(257) }, 'category'],
      [{ title: '😀'.repeat(20_000) }, 'title'],
      [{ description: 'd'.repeat(70_000) }, 'description'],
    ];
    for (const [over, field] of cases) {
      discovered.set('a__big', [fn(over)]);
      await expect(service.publish(row, null, 5)).rejects.toMatchObject({ code: 'EScriptPublishFailed', status: 400, detail: { field } });
    }
    discovered.set('a__big', [fn({ name: 'f'.repeat(200), title: '😀'.repeat(16_000), category: 'c'.repeat(256) })]);
    expect(await service.publish(row, null, 6)).toMatchObject({ publishVersion: 1 });
  });

  it('answers false deleting a script that is not there', async () => {
    expect(await service.deleteScript('a__nope')).toBe(false);
  });
});
