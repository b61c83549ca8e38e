/** Where the contract suite runs: a temporary SQLite file, or a fresh database on the local MariaDB. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { maskUrlCredentials } from '../../../../../contract/redact.js';
import { openStore } from '../open-store.js';
import type { OpenedStore } from '../open-store.js';

export interface TestDatabase {
  readonly label: string;
  open(): Promise<OpenedStore>;
  dispose(): Promise<void>;
}

export function sqliteTestDatabase(): TestDatabase {
  let dir: string | undefined;
  return {
    label: 'sqlite',
    open(): Promise<OpenedStore> {
      dir = mkdtempSync(join(tmpdir(), 'func-store-test-'));
      return openStore({ sqlitePath: join(dir, 'func.sqlite') });
    },
    dispose(): Promise<void> {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/** The server URL without a database; FUNC_TEST_MYSQL_URL overrides the local default. */
const SERVER_URL = process.env.FUNC_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

/** A database named func_test_<random>, created for the run and dropped afterwards. No skip: an unreachable server fails. */
export function mysqlTestDatabase(): TestDatabase {
  const name = `func_test_${randomBytes(6).toString('hex')}`;
  let created = false;
  const serverConnection = async () => {
    try {
      return await createConnection({ uri: SERVER_URL, connectTimeout: 5000 });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(
        `MariaDB/MySQL is not reachable at ${maskUrlCredentials(SERVER_URL)} (the MySQL store contract tests need it; ` + `set FUNC_TEST_MYSQL_URL to another server): ${reason}`,
        { cause: err },
      );
    }
  };
  return {
    label: 'mysql',
    async open(): Promise<OpenedStore> {
      const conn = await serverConnection();
      try {
        await conn.query(`create database \`${name}\` character set utf8mb4`);
        created = true;
      } finally {
        await conn.end();
      }
      const url = new URL(SERVER_URL);
      url.pathname = `/${name}`;
      return openStore({ mysqlUrl: url.toString() });
    },
    async dispose(): Promise<void> {
      if (!created) return;
      const conn = await serverConnection();
      try {
        await conn.query(`drop database if exists \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
