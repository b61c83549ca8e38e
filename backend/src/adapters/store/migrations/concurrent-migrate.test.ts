import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../open-store.js';
import { migrationsFor } from './index.js';

describe('migrating one SQLite file from several processes at once', () => {
  const opened: OpenedStore[] = [];
  let dir = '';
  afterEach(async () => {
    await Promise.all(opened.map((s) => s.close()));
    opened.length = 0;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets every store reach the latest schema (func server and func worker starting together)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'func-migrate-'));
    const path = join(dir, 'func.sqlite');
    // Separate connections to one file, as separate role processes have.
    for (let i = 0; i < 4; i++) opened.push(await openStore({ sqlitePath: path }));
    await Promise.all(opened.map((s) => s.migrate()));
    for (const s of opened) {
      const { rows } = await s.context.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute()
        .then((r) => ({ rows: r }));
      expect(rows.map((r) => (r as { name: string }).name)).toEqual(Object.keys(migrationsFor('sqlite')));
    }
  });
});
