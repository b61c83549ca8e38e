/** A real store for the tests of one file, without a server. */
import { afterAll } from 'vitest';
import type { OpenedStore } from '../adapters/store/open-store.js';
import { sqliteTestDatabase } from '../adapters/store/testing/test-databases.js';

/**
 * A migrated store on a fresh SQLite file, opened at once (`const store = await fileStore();` at
 * the top of a test file), closed and its folder removed after the file's tests.
 */
export async function fileStore(): Promise<OpenedStore> {
  const db = sqliteTestDatabase();
  const store = await db.open();
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });
  await store.migrate();
  return store;
}
