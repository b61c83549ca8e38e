/**
 * `func up` logs what fails in its worker units' loops (a store write refused, say) on stderr as
 * `func worker` does, instead of swallowing it: a real `func up` process whose SQLite store
 * refuses a task's outcome (a trigger the test adds from a connection of its own).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../src/testing/eventually.js';
import { freePort, startRole, untilServing, type FuncProcess } from '../src/testing/processes.js';
import { httpClients, publishScript } from '../src/testing/test-client.js';

const home = mkdtempSync(join(tmpdir(), 'func-up-errors-'));
let port = 0;
let token = '';
let up: FuncProcess | undefined;
const base = (): string => `http://127.0.0.1:${port}`;
const { client } = httpClients(base, () => token);

beforeAll(async () => {
  port = await freePort();
  up = startRole(['up'], {
    FUNC_HOME: home,
    FUNC_PORT: String(port),
    FUNC_ADMIN_PASSWORD: 'up-errors-password',
    FUNC_SEED_EXAMPLES: 'false',
    FUNC_WORKER_PROCESSES: '1',
  });
  await untilServing(up, base());
  token = (await client.signIn({ body: { signIn: { username: 'admin', password: 'up-errors-password' } } })).xAuthToken;
  await publishScript(client, 'uperr__f', "@DFF.API('F')\ndef f():\n    return 1\n");
}, 60_000);

afterAll(async () => {
  await up?.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

describe('func up', () => {
  it("logs a worker unit's failure that is not the task's own on stderr", async () => {
    const db = new Database(join(home, 'func.sqlite'));
    try {
      db.exec("CREATE TRIGGER refuse_outcome BEFORE UPDATE OF status ON task_records WHEN NEW.status = 'success' BEGIN SELECT RAISE(ABORT, 'outcome refused by the test'); END");
    } finally {
      db.close();
    }
    const r = await client.callFunc({ params: { funcId: 'uperr__f.f' }, body: { options: { async: true } } });
    expect('id' in r).toBe(true);
    const line = await eventually(() => /func: worker unit \S+: storing an outcome failed: .*outcome refused by the test.*/.exec(up!.output())?.[0], 20_000, 'the error on stderr');
    expect(line).toMatch(/^func: worker unit /);
  });
});
