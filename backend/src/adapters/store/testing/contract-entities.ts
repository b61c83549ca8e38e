/** Contract: migrations and the generic entity repositories. */
import { migrationsFor } from '../migrations/index.js';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { EntityName } from '../../../domain/ports/store.js';
import { DuplicateIdError, DuplicateValueError } from '../../../domain/ports/store.js';
import type { OpenedStore } from '../open-store.js';
import { ENTITY_CASES, ENTITY_NAMES } from './fixtures.js';
import type { EntityCase } from './fixtures.js';
import type { GetStore } from './store-contract.js';

async function checkCrud<N extends EntityName>(store: OpenedStore, c: EntityCase<N>): Promise<void> {
  const repo = store.entity(c.name);
  const row = c.row(`crud-${c.name}`, 1_700_000_000_123);
  await repo.insert(row);
  expect(await repo.get(row.id), c.name).toEqual(row);
  expect(await repo.list({ id: row.id } as never), c.name).toEqual([row]);
  await expect(repo.insert(row), c.name).rejects.toThrow(DuplicateIdError);
  await expect(repo.insert(row)).rejects.toMatchObject({ entity: c.name, id: row.id });
  expect(await repo.update(row.id, c.patch), c.name).toBe(true);
  expect(await repo.get(row.id), c.name).toEqual({ ...row, ...c.patch });
  // Same values again: still "found" (MySQL must count matched rows, not changed rows).
  expect(await repo.update(row.id, c.patch), c.name).toBe(true);
  expect(await repo.update(row.id, {}), c.name).toBe(true);
  expect(await repo.update('missing', c.patch), c.name).toBe(false);
  expect(await repo.update('missing', {}), c.name).toBe(false);
  expect(await repo.delete(row.id), c.name).toBe(true);
  expect(await repo.get(row.id), c.name).toBeUndefined();
  expect(await repo.delete(row.id), c.name).toBe(false);
}

export function entityContract(getStore: GetStore): void {
  it('migrates idempotently and keeps data', async () => {
    const store = getStore();
    const sets = store.entity('scriptSets');
    await sets.insert(ENTITY_CASES.scriptSets.row('kept', 1));
    await store.migrate();
    await store.migrate();
    expect(await sets.get('kept')).toMatchObject({ id: 'kept' });
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(store.context.db);
    expect(Number(rows[0]?.n)).toBe(Object.keys(migrationsFor(store.dialect)).length);
    await sets.delete('kept');
  });

  it('round-trips every entity (JSON, booleans, numbers, unicode) and reports duplicate ids', async () => {
    for (const name of ENTITY_NAMES) await checkCrud(getStore(), ENTITY_CASES[name]);
  });

  it('keeps long code and case-sensitive ids', async () => {
    const scripts = getStore().entity('scripts');
    const big = ENTITY_CASES.scripts.row('big', 1);
    big.codeDraft = `# ${'x'.repeat(100)}\n`.repeat(20_000); // ~2 MB: far beyond MySQL TEXT (64 KiB)
    await scripts.insert(big);
    await scripts.insert({ ...ENTITY_CASES.scripts.row('BIG', 1) });
    expect((await scripts.get('big'))?.codeDraft).toBe(big.codeDraft);
    expect((await scripts.get('BIG'))?.codeDraft).toBe(ENTITY_CASES.scripts.row('BIG', 1).codeDraft);
    expect(await scripts.delete('big')).toBe(true);
    expect(await scripts.delete('BIG')).toBe(true);
  });

  it('keeps usernames unique: a DuplicateValueError naming the column (not a DuplicateIdError: the id is new), on insert and update', async () => {
    const users = getStore().entity('users');
    await users.insert({ ...ENTITY_CASES.users.row('u-a', 1), username: 'ada' });
    const clash = users.insert({ ...ENTITY_CASES.users.row('u-b', 1), username: 'ada' });
    await expect(clash).rejects.toBeInstanceOf(DuplicateValueError);
    await expect(clash).rejects.toMatchObject({ entity: 'users', field: 'username', value: 'ada' });
    await users.insert({ ...ENTITY_CASES.users.row('u-c', 1), username: 'Ada' });
    expect((await users.list({ username: ['ada', 'Ada'] })).map((u) => u.id)).toEqual(['u-a', 'u-c']);
    await expect(users.update('u-c', { username: 'ada' })).rejects.toMatchObject({ name: 'DuplicateValueError', field: 'username', value: 'ada' });
    await users.delete('u-a');
    await users.delete('u-c');
  });

  it('filters by equality, arrays, booleans and null; orders by createTime then id; pages', async () => {
    const apis = getStore().entity('syncApis');
    const base = ENTITY_CASES.syncApis.row('', 0);
    const rows = [
      { ...base, id: 'f-c', funcId: 'x.a', isDisabled: false, apiAuthId: null, createTime: 10, updateTime: 10 },
      { ...base, id: 'f-b', funcId: 'x.b', isDisabled: true, apiAuthId: 'auth', createTime: 10, updateTime: 10 },
      { ...base, id: 'f-a', funcId: 'x.c', isDisabled: false, apiAuthId: 'auth', createTime: 20, updateTime: 20 },
      { ...base, id: 'f-d', funcId: 'x.a', isDisabled: true, apiAuthId: null, createTime: 5, updateTime: 5 },
    ];
    for (const r of rows) await apis.insert(r);
    const ids = async (f: Parameters<typeof apis.list>[0], o?: Parameters<typeof apis.list>[1]): Promise<string[]> => (await apis.list(f, o)).map((r) => r.id);
    expect(await ids({})).toEqual(['f-d', 'f-b', 'f-c', 'f-a']);
    expect(await ids({ funcId: 'x.a' })).toEqual(['f-d', 'f-c']);
    expect(await ids({ funcId: ['x.b', 'x.c'] })).toEqual(['f-b', 'f-a']);
    expect(await ids({ isDisabled: true })).toEqual(['f-d', 'f-b']);
    expect(await ids({ isDisabled: [false], funcId: 'x.a' })).toEqual(['f-c']);
    expect(await ids({ apiAuthId: null })).toEqual(['f-d', 'f-c']);
    expect(await ids({ apiAuthId: [null, 'nope'] })).toEqual(['f-d', 'f-c']);
    expect(await ids({ funcId: [] })).toEqual([]);
    expect(await ids({}, { limit: 2 })).toEqual(['f-d', 'f-b']);
    expect(await ids({}, { limit: 2, offset: 1 })).toEqual(['f-b', 'f-c']);
    expect(await ids({}, { offset: 3 })).toEqual(['f-a']);
    await expect(apis.list({ tagsJSON: ['a'] })).rejects.toThrow(/tagsJSON/);
    await expect(apis.list({ nope: 1 } as never)).rejects.toThrow(/nope/);
    await expect(apis.update('f-a', { nope: 1 } as never)).rejects.toThrow(/nope/);
    for (const r of rows) await apis.delete(r.id);
  });

  it("filters text columns by what they contain, ignoring case; LIKE's own characters are plain text", async () => {
    const users = getStore().entity('users');
    const base = ENTITY_CASES.users.row('', 0);
    const rows = [
      { ...base, id: 'c-1', username: 'c-ada', name: 'Ada Lovelace', email: 'ADA@Example.com' },
      { ...base, id: 'c-2', username: 'c-grace', name: '100% Grace_H!', email: null },
      { ...base, id: 'c-3', username: 'c-alan', name: '100 Grace-H', email: 'alan@x.org' },
      { ...base, id: 'c-4', username: 'c-emile', name: 'Émile Zola', email: null },
    ];
    for (const r of rows) await users.insert(r);
    const ids = async (f: Parameters<typeof users.list>[0]): Promise<string[]> => (await users.list(f)).map((r) => r.id).filter((id) => id.startsWith('c-'));
    expect(await ids({ name: { contains: 'love' } })).toEqual(['c-1']);
    expect(await ids({ email: { contains: 'example.COM' } })).toEqual(['c-1']);
    expect(await ids({ name: { contains: '0%' } })).toEqual(['c-2']);
    expect(await ids({ name: { contains: 'e_h' } })).toEqual(['c-2']);
    expect(await ids({ name: { contains: 'h!' } })).toEqual(['c-2']);
    expect(await ids({ name: { contains: 'grace' }, username: { contains: 'alan' } })).toEqual(['c-3']);
    expect(await ids({ username: { contains: 'c-' }, email: { contains: '' } })).toEqual(['c-1', 'c-3']);
    // Both sides folded by the database alike (SQLite folds ASCII only): non-ASCII text as written is found.
    expect(await ids({ name: { contains: 'Émile ZOLA' } })).toEqual(['c-4']);
    for (const r of rows) await users.delete(r.id);
  });
}
