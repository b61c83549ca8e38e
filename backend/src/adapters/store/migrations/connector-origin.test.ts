import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../open-store.js';
import { migrationProvider } from './index.js';

describe('migration 0012: subscription tasks take the origin `connector`', () => {
  let store: OpenedStore | undefined;
  let dir = '';
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('moves the records kept from before to it, and leaves other origins alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'func-migrate-'));
    store = await openStore({ sqlitePath: join(dir, 'func.sqlite') });
    const db = store.context.db;
    const before = await new Migrator({ db, provider: migrationProvider('sqlite') }).migrateTo('0011-script-set-history');
    expect(before.error).toBeUndefined();
    const row = (id: string, origin: string): Record<string, unknown> => ({
      id,
      funcId: 's__a.f',
      scriptId: 's__a',
      origin,
      originId: 'conn-1',
      queue: 6,
      status: 'success',
      triggerTimeMs: 1,
      kwargsJSON: '{}',
      timeoutMs: 35_000,
      attempt: 1,
    });
    for (const [id, origin] of [
      ['t1', 'subscription'],
      ['t2', 'cronJob'],
    ] as const) {
      const r = row(id, origin);
      const cols = Object.keys(r);
      await sql`INSERT INTO task_records (${sql.join(cols.map((c) => sql.ref(c)))}) VALUES (${sql.join(cols.map((c) => r[c]))})`.execute(db);
    }
    await store.migrate();
    const { rows } = await sql<{ id: string; origin: string }>`SELECT id, origin FROM task_records ORDER BY id`.execute(db);
    expect(rows).toEqual([
      { id: 't1', origin: 'connector' },
      { id: 't2', origin: 'cronJob' },
    ]);
  });
});
