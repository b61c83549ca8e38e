/** Where the stack started by global-setup listens, and its clients (backend/src/testing/test-client.ts) for arranging data. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { httpClients, type TestClient } from '../../backend/src/testing/test-client.js';

export interface StackInfo {
  url: string;
  password: string;
  token: string;
  home: string;
  pid: number;
}

/** One per checkout (two checkouts running their e2e suites at once must not share it). */
const checkout = createHash('md5')
  .update(fileURLToPath(import.meta.url))
  .digest('hex')
  .slice(0, 10);
export const STATE_FILE = join(tmpdir(), `func-e2e-${process.env.FUNC_E2E_RUN ?? checkout}.json`);

export function stack(): StackInfo {
  return JSON.parse(readFileSync(process.env.FUNC_E2E_STATE ?? STATE_FILE, 'utf8')) as StackInfo;
}

/** The contract's typed client of the e2e stack, signed in as admin: arrange and read data with it. */
export function client(): TestClient {
  const s = stack();
  return httpClients(
    () => s.url,
    () => s.token,
  ).client;
}

/**
 * A call by method and path (test-client.ts `rawApi`, admin's token): answers the envelope's data,
 * throws on a refusal. Prefer `client()`; this is for what the contract's client cannot say.
 */
export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const s = stack();
  const r = await httpClients(
    () => s.url,
    () => s.token,
  ).api(method, path, body);
  if (r.body.ok !== true) throw new Error(`${method} ${path}: ${r.body.message ?? r.status}`);
  return r.data as T;
}

/** The console's `func.profiles`: one stack at the page's own origin, signed in as admin with `token` (what the sign-in page writes). */
export function signedInProfiles(token: string): string {
  return JSON.stringify([{ id: 'local', name: 'This stack', baseUrl: '', token, username: 'admin' }]);
}

/** localStorage that makes the console start signed in to the e2e stack. */
export function signedInStorage(): { name: string; value: string }[] {
  return [{ name: 'func.profiles', value: signedInProfiles(stack().token) }];
}
