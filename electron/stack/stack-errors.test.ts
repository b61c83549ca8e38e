/**
 * The desktop's embedded stack reports what fails outside a task (here a worker unit whose store
 * refuses a task's outcome, through a trigger the test adds) on its stderr, which the app writes to
 * its logs folder, as `func up` does: one line, a URL's password masked. Forked from the same
 * entry Electron runs in a utilityProcess.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../contract/client/index.js';
import { freePort } from '../main/free-port.js';
import { stackEnv } from '../main/stack-env.js';
import { until, withForkedStack } from './forked-stack.js';

describe('the embedded stack in a child process', () => {
  const userData = mkdtempSync(join(tmpdir(), 'func-desktop-errors-'));
  afterAll(() => rmSync(userData, { recursive: true, force: true }));

  it("logs a worker unit's failure that is not the task's own on stderr, masked", async () => {
    const env = stackEnv({
      userData,
      port: await freePort(),
      adminPassword: 'desktop-errors-password',
      secret: 'desktop-errors-secret-desktop-errors',
      base: { ...process.env, FUNC_PYTHON: '/usr/bin/python3', FUNC_WORKER_PROCESSES: '1' },
    });
    await withForkedStack(env, async ({ sup, log }) => {
      const url = await sup.start();
      let token: string | null = null;
      const client = createHttpClient({ baseUrl: url, fetch: (u, i) => fetch(u, i as RequestInit), getToken: () => token });
      token = (await client.signIn({ body: { signIn: { username: 'admin', password: 'desktop-errors-password' } } })).xAuthToken;
      await client.addScriptSet({ body: { data: { id: 'deskerr' } } });
      await client.addScript({ body: { data: { id: 'deskerr__f', codeDraft: "@DFF.API('F')\ndef f():\n    return 1\n" } } });
      await client.publishScript({ params: { id: 'deskerr__f' }, body: { data: { note: null } } });
      const db = new Database(join(env.FUNC_HOME!, 'func.sqlite'));
      try {
        db.exec(
          "CREATE TRIGGER refuse_outcome BEFORE UPDATE OF status ON task_records WHEN NEW.status = 'success' BEGIN SELECT RAISE(ABORT, 'refused by mysql://u:topsecret@db'); END",
        );
      } finally {
        db.close();
      }
      const r = await client.callFunc({ params: { funcId: 'deskerr__f.f' }, body: { options: { async: true } } });
      expect('id' in r).toBe(true);
      const line = await until('the error on stderr', () => /func: worker unit \S+: storing an outcome failed: .*refused by .*/.exec(log())?.[0]);
      expect(line).toContain('mysql://u:***@db');
      expect(log()).not.toContain('topsecret');
    });
  }, 90_000);
});
