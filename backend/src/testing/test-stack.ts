/** Starts a real embedded stack (SQLite in a temp folder, real Python processes) for integration tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { parseConfig } from '../config/config.js';
import { startEmbeddedStack, type EmbeddedStack, type EmbeddedStackOptions } from '../wiring/embedded-stack.js';
import { ADMIN_PASSWORD, rememberSecret } from './test-secrets.js';

export { eventually } from './eventually.js';

export { ADMIN_PASSWORD };

export interface ApiResponse {
  status: number;
  body: Record<string, unknown> & { ok?: boolean; data?: unknown; reason?: string; message?: string; detail?: Record<string, unknown> };
  text: string;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface TestStack {
  stack: EmbeddedStack;
  home: string;
  token: string;
  api(method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  /** Same, with the admin token. */
  admin(method: 'GET' | 'POST', url: string, body?: unknown): Promise<ApiResponse>;
  /** POST {data} to an add route and answer data.id, failing loudly otherwise. */
  add(url: string, data: Record<string, unknown>, extra?: Record<string, unknown>): Promise<string>;
  /** Adds a script set and script with this code and publishes it. */
  publish(scriptId: string, code: string): Promise<ApiResponse>;
  close(): Promise<void>;
}

export async function startTestStack(env: Record<string, string> = {}, options: EmbeddedStackOptions & { home?: string; keepHome?: boolean } = {}): Promise<TestStack> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'func-test-'));
  const config = parseConfig({
    FUNC_HOME: home,
    FUNC_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FUNC_PORT: '0',
    FUNC_SEED_EXAMPLES: 'false',
    FUNC_WORKER_PROCESSES: '1',
    FUNC_MEMORY_LIMIT_MB: '256',
    ...env,
  });
  const stack = await startEmbeddedStack(config, { beatTimer: false, ...options });
  const api: TestStack['api'] = async (method, url, body, headers = {}) => {
    const res = await stack.app.inject({
      method,
      url,
      headers,
      ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as Record<string, unknown> }),
    });
    let parsed: ApiResponse['body'] = {};
    try {
      parsed = JSON.parse(res.body) as ApiResponse['body'];
    } catch {
      parsed = {};
    }
    return { status: res.statusCode, body: parsed, text: res.body, headers: res.headers };
  };
  const signIn = await api('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'admin', password: ADMIN_PASSWORD } });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.text}`);
  const token = (signIn.body.data as { xAuthToken: string }).xAuthToken;
  const admin: TestStack['admin'] = (method, url, body) => api(method, url, body, { 'x-dff-auth-token': token });
  const add: TestStack['add'] = async (url, data, extra = {}) => {
    const r = await admin('POST', url, { data, ...extra });
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${r.text}`);
    const added = r.body.data as { id: string; secret?: unknown };
    if (typeof added.secret === 'string') rememberSecret(added.secret);
    return added.id;
  };
  const publish: TestStack['publish'] = async (scriptId, code) => {
    const setId = scriptId.split('__')[0]!;
    const sets = await admin('GET', `/api/v1/script-sets/do/list?id=${setId}`);
    if ((sets.body.data as unknown[]).length === 0) await add('/api/v1/script-sets/do/add', { id: setId });
    const existing = await admin('GET', `/api/v1/scripts/do/list?id=${scriptId}`);
    if ((existing.body.data as unknown[]).length === 0) await add('/api/v1/scripts/do/add', { id: scriptId, codeDraft: code });
    else await admin('POST', `/api/v1/scripts/${scriptId}/do/modify`, { data: { codeDraft: code } });
    return admin('POST', `/api/v1/scripts/${scriptId}/do/publish`, { data: { note: 'test' } });
  };
  return {
    stack,
    home,
    token,
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
    for (const [scriptId, code] of Object.entries(scripts)) {
      const r = await started.publish(scriptId, code);
      if (r.status !== 200) throw new Error(`publishing ${scriptId} answered ${r.status}: ${r.text}`);
    }
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
    api: (...args) => get().api(...args),
    admin: (...args) => get().admin(...args),
    add: (...args) => get().add(...args),
    publish: (...args) => get().publish(...args),
    close: () => get().close(),
  };
}
