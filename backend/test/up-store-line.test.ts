/**
 * `func up` run as a process on MariaDB (FUNC_DB_URL with a user and a password): its start line
 * names the store it uses, `MySQL/MariaDB user@host:port/db`, never SQLite and never the password.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../src/testing/eventually.js';
import { freePort, MYSQL_ADMIN_URL, startRole, type FuncProcess } from '../src/testing/processes.js';

const name = `func_up_${randomBytes(4).toString('hex')}`;
const password = `pw-${randomBytes(6).toString('hex')}`;
const home = mkdtempSync(join(tmpdir(), 'func-up-store-'));
let admin: Connection;
let up: FuncProcess | undefined;

beforeAll(async () => {
  admin = await createConnection(MYSQL_ADMIN_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.query(`CREATE USER '${name}'@'%' IDENTIFIED BY '${password}'`);
  await admin.query(`GRANT ALL ON \`${name}\`.* TO '${name}'@'%'`);
});

afterAll(async () => {
  await up?.kill();
  await admin.query(`DROP USER IF EXISTS '${name}'@'%'`);
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.end();
  rmSync(home, { recursive: true, force: true });
});

describe('func up on MySQL/MariaDB', () => {
  it('says it runs on that database, without its password', async () => {
    const port = await freePort();
    up = startRole(['up'], {
      FUNC_HOME: home,
      FUNC_PORT: String(port),
      FUNC_DB_URL: `mysql://${name}:${password}@127.0.0.1:3306/${name}`,
      FUNC_ADMIN_PASSWORD: 'up-store-line-pw',
      FUNC_SEED_EXAMPLES: 'false',
      FUNC_WORKER_PROCESSES: '1',
    });
    const line = await eventually(() => /^Func .* is up .*$/m.exec(up!.output())?.[0], 60_000, "func up's start line");
    expect(line).toMatch(new RegExp(`^Func \\S+ is up \\(embedded: MySQL/MariaDB ${name}@127\\.0\\.0\\.1:3306/${name}, \\d+ worker units, beat\\)$`));
    expect(up.output()).not.toContain(password);
    expect(up.output()).not.toMatch(/SQLite/);
  }, 90_000);
});
