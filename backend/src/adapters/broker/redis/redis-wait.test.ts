/**
 * A role's start waits for its Redis and says so (it used to hang silently, or say it was up),
 * and refuses a Redis that answers but has no database of the number the URL names (ioredis
 * went on in database 0, so every key landed where nobody looks for it).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/processes.js';
import { requireRedis, TEST_REDIS_URL } from '../testing/redis-test-env.js';
import { RedisRefusedError, waitForRedis } from './redis-connection.js';

const children: ReturnType<typeof spawn>[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
});

describe('waitForRedis', () => {
  it('says at once, then again, that Redis does not answer, and returns once it does', async () => {
    const port = await freePort();
    const said: string[] = [];
    const waiting = waitForRedis(`redis://127.0.0.1:${port}/3`, { onWait: (m) => said.push(m), repeatMs: 300 });
    let done = false;
    void waiting.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 1200));
    expect(done).toBe(false);
    expect(said[0]).toMatch(new RegExp(`^Redis at 127\\.0\\.0\\.1:${port} does not answer \\(.*ECONNREFUSED.*\\); waiting for it$`));
    expect(said.length).toBeGreaterThanOrEqual(2);
    expect(said[1]).toMatch(new RegExp(`^still waiting for Redis at 127\\.0\\.0\\.1:${port} after \\d+ s`));
    const count = said.length;
    // Redis comes up: the wait ends without another word.
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    children.push(child);
    await waiting;
    expect(said.length).toBeLessThanOrEqual(count + 1);
  });

  it('refuses a database Redis does not have, naming it, and takes one it has', async () => {
    await requireRedis();
    const base = TEST_REDIS_URL.replace(/\/\d*$/, '');
    const said: string[] = [];
    const refused = await waitForRedis(`${base}/99`, { onWait: (m) => said.push(m) }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RedisRefusedError);
    expect((refused as Error).message).toMatch(/^Redis at .+ has no database 99 \(ERR DB index is out of range\)$/);
    // It answered: nothing was said about waiting.
    expect(said).toEqual([]);
    await expect(waitForRedis(`${base}/2`)).resolves.toBeUndefined();
  });
});
