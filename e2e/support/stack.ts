/** Where the stack started by global-setup listens, and a small API helper for arranging data. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { rememberSecret } from '../../backend/src/testing/test-secrets.js';

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

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const s = stack();
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-dff-auth-token': s.token },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { ok: boolean; data: T; message?: string };
  if (!json.ok) throw new Error(`${method} ${path}: ${json.message ?? res.status}`);
  const secret = (json.data as { secret?: unknown } | null)?.secret;
  if (typeof secret === 'string') rememberSecret(secret);
  return json.data;
}

/** localStorage that makes the console start signed in (what the sign-in page writes). */
export function signedInStorage(): { name: string; value: string }[] {
  const s = stack();
  return [{ name: 'func.profiles', value: JSON.stringify([{ id: 'local', name: 'This stack', baseUrl: '', token: s.token, username: 'admin' }]) }];
}
