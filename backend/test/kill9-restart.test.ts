/** kill -9 of a real `func up` process loses no accepted task: after the restart every one completes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { httpClients, publishScript, taskSucceeded } from '../src/testing/test-client.js';
import { roleCommand } from '../src/testing/processes.js';
import { eventually } from '../src/testing/test-stack.js';

const home = mkdtempSync(join(tmpdir(), 'func-kill9-'));
const port = 20_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${port}`;
const children: ChildProcess[] = [];
let token = '';
const { client, api } = httpClients(
  () => base,
  () => token,
);

function startFunc(): ChildProcess {
  const [cmd, args] = roleCommand(['up']);
  const child = spawn(cmd, args, {
    env: {
      ...process.env,
      FUNC_HOME: home,
      FUNC_PORT: String(port),
      FUNC_ADMIN_PASSWORD: 'kill9-password',
      FUNC_SEED_EXAMPLES: 'false',
      FUNC_WORKER_PROCESSES: '1',
      FUNC_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  children.push(child);
  return child;
}

const up = (): Promise<true> =>
  eventually(
    async () => {
      try {
        return (await fetch(`${base}/healthz`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    },
    30_000,
    'func up to answer /healthz',
  );

async function signIn(): Promise<string> {
  token = '';
  return (await client.signIn({ body: { signIn: { username: 'admin', password: 'kill9-password' } } })).xAuthToken;
}

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

describe('kill -9', () => {
  it('runs every accepted task after a SIGKILL and a restart', async () => {
    const first = startFunc();
    await up();
    token = await signIn();
    const code = "import time\n\n@DFF.API('Work', timeout=60)\ndef work(i):\n    time.sleep(0.2)\n    DFF.STORE.set(f'done-{i}', i, scope='k9')\n    return i\n";
    await publishScript(client, 'k9__work', code);
    const { id: asyncApi } = await client.addAsyncApi({ body: { data: { funcId: 'k9__work.work', funcCallKwargsJSON: { i: 'INPUT_BY_CALLER' } } } });
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) ids.push(((await api('POST', `/api/v1/async/${asyncApi}/simplified`, { i })).data as { id: string }).id);
    const exited = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await exited;
    // Really gone: nothing answers on its port any more.
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    startFunc();
    await up();
    token = await signIn();
    for (const id of ids) {
      const task = await taskSucceeded(client, id, 30_000);
      expect(typeof task.returnValueJSON).toBe('number');
    }
  }, 120_000);
});
