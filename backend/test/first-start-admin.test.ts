/**
 * The admin's generated password is shown on the first start that comes up: a first start that
 * fails after creating the admin (its port in use, no Python) removes it again, so the next start
 * creates it anew and shows its password. Real embedded stacks on SQLite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/config.js';
import { startEmbeddedStack } from '../src/wiring/embedded-stack.js';

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

function freshHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'func-first-start-'));
  homes.push(home);
  return home;
}

/** No FUNC_ADMIN_PASSWORD: the first start generates one. */
const configOf = (home: string, env: Record<string, string> = {}): ReturnType<typeof parseConfig> =>
  parseConfig({ FUNC_HOME: home, FUNC_PORT: '0', FUNC_SEED_EXAMPLES: 'false', FUNC_WORKER_PROCESSES: '1', ...env });

async function signsIn(home: string): Promise<{ generated: string | undefined; status: (password: string) => Promise<number> }> {
  const stack = await startEmbeddedStack(configOf(home), { beatTimer: false });
  const generated = stack.generatedAdminPassword;
  return {
    generated,
    status: async (password) => {
      try {
        const r = await stack.app.inject({ method: 'POST', url: '/api/v1/auth/do/sign-in', payload: { signIn: { username: 'admin', password } } });
        return r.statusCode;
      } finally {
        await stack.close();
      }
    },
  };
}

describe('the first start', () => {
  it('that cannot listen (its port in use) leaves no admin behind: the next start creates it and shows the password', async () => {
    const home = freshHome();
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const first = await startEmbeddedStack(configOf(home, { FUNC_PORT: String(port) }), { beatTimer: false });
    expect(first.generatedAdminPassword).toBeDefined();
    await expect(first.listen()).rejects.toThrow(/EADDRINUSE/);
    await first.close();
    taken.close();
    const next = await signsIn(home);
    expect(next.generated, 'the second start shows a password').toBeDefined();
    expect(next.generated).not.toBe(first.generatedAdminPassword);
    expect(await next.status(next.generated!)).toBe(200);
  });

  it('that fails before it is up (no Python to run the runners) leaves no admin behind either', async () => {
    const home = freshHome();
    await expect(startEmbeddedStack(configOf(home, { FUNC_PYTHON: '/nonexistent/python3', FUNC_SEED_EXAMPLES: 'true' }), { beatTimer: false })).rejects.toThrow();
    const next = await signsIn(home);
    expect(next.generated, 'the second start shows a password').toBeDefined();
    expect(await next.status(next.generated!)).toBe(200);
  });

  it('that comes up keeps its admin: a later start shows no password', async () => {
    const home = freshHome();
    const first = await signsIn(home);
    expect(first.generated).toBeDefined();
    expect(await first.status(first.generated!)).toBe(200);
    const later = await signsIn(home);
    expect(later.generated).toBeUndefined();
    expect(await later.status(first.generated!)).toBe(200);
  });
});
