/** Starts a real embedded stack (SQLite in a temp folder, real Python processes) for integration tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { parseConfig, type Config } from '../config/config.js';
import { startEmbeddedStack, type EmbeddedStack, type EmbeddedStackOptions } from '../wiring/embedded-stack.js';
import type { OutputOf } from '../../../contract/client/index.js';
import { injectTransport, publishScript, rawApi, testClient, type RawAnswer, type TestClient } from './test-client.js';
import { ADMIN_PASSWORD } from './test-secrets.js';

export { eventually } from './eventually.js';

export { ADMIN_PASSWORD };

/** A raw answer (test-client.ts `RawAnswer`): status, parsed body, `data`, text, headers. */
export type ApiResponse = RawAnswer;

export interface TestStack {
  stack: EmbeddedStack;
  home: string;
  token: string;
  /** The contract's typed client, signed in as admin: arrange and read data with it. */
  client: TestClient;
  /** The raw escape hatch (test-client.ts `rawApi`), no token unless `headers` carry one: for tests about raw HTTP only. */
  api(method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  /** Same, with the admin token. */
  admin(method: 'GET' | 'POST', url: string, body?: unknown): Promise<ApiResponse>;
  /** POST {data} to an add route by path and answer data.id, failing loudly otherwise (prefer `client.addX`). */
  add(url: string, data: Record<string, unknown>, extra?: Record<string, unknown>): Promise<string>;
  /** Adds a script set and script with this code and publishes it (test-client.ts `publishScript`); a refusal throws its ApiError. */
  publish(scriptId: string, code: string): Promise<OutputOf<'publishScript'>>;
  close(): Promise<void>;
}

/** The configuration of a test stack in `home`: the admin password ADMIN_PASSWORD, no examples, one worker process; `env` on top. */
export function testStackConfig(home: string, env: Record<string, string> = {}): Config {
  return parseConfig({
    FUNC_HOME: home,
    FUNC_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FUNC_PORT: '0',
    FUNC_SEED_EXAMPLES: 'false',
    FUNC_WORKER_PROCESSES: '1',
    FUNC_MEMORY_LIMIT_MB: '256',
    ...env,
  });
}

export async function startTestStack(env: Record<string, string> = {}, options: EmbeddedStackOptions & { home?: string; keepHome?: boolean } = {}): Promise<TestStack> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'func-test-'));
  const config = testStackConfig(home, env);
  const stack = await startEmbeddedStack(config, { beatTimer: false, ...options });
  const transport = injectTransport(stack.app);
  let token = '';
  const api: TestStack['api'] = rawApi({ transport });
  const admin: TestStack['admin'] = rawApi({ transport, token: () => token });
  const client = testClient({ transport, token: () => token });
  token = (await client.signIn({ body: { signIn: { username: 'admin', password: ADMIN_PASSWORD } } })).xAuthToken;
  const add: TestStack['add'] = async (url, data, extra = {}) => {
    const r = await admin('POST', url, { data, ...extra });
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${r.text}`);
    return (r.data as { id: string }).id;
  };
  const publish: TestStack['publish'] = (scriptId, code) => publishScript(client, scriptId, code);
  return {
    stack,
    home,
    token,
    client,
    api,
    admin,
    add,
    publish,
    close: async () => {
      await stack.close();
      if (!options.keepHome) rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * One stack for the tests of a file: started before them with `scripts` ({scriptId: code}) published,
 * in order, closed after them. The answer stands for the started stack (use it inside hooks and
 * tests; a `beforeAll` registered after this call runs once the scripts are published).
 */
export function useTestStack(scripts: Record<string, string> = {}, env: Record<string, string> = {}, options: Parameters<typeof startTestStack>[1] = {}): TestStack {
  let started: TestStack | undefined;
  const get = (): TestStack => {
    if (!started) throw new Error('the test stack is used before it started (use it inside a hook or test)');
    return started;
  };
  beforeAll(async () => {
    started = await startTestStack(env, options);
    for (const [scriptId, code] of Object.entries(scripts)) await started.publish(scriptId, code);
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  });
  return {
    get stack() {
      return get().stack;
    },
    get home() {
      return get().home;
    },
    get token() {
      return get().token;
    },
    get client() {
      return get().client;
    },
    api: (...args) => get().api(...args),
    admin: (...args) => get().admin(...args),
    add: (...args) => get().add(...args),
    publish: (...args) => get().publish(...args),
    close: () => get().close(),
  };
}
