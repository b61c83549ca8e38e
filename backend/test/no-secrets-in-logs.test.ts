/**
 * No secret in any log line or error message (issue 15, item 2): a real `func up` in a child
 * process at the most verbose level (`trace`: every request line), on MariaDB through a URL with a
 * password, driven through the flows that handle secrets; then `func up` with bad FUNC_DB_URLs
 * carrying a password. Neither stdout nor stderr of any of them, nor any error answered, holds a
 * secret. Every secret here is a testSecret() (`s3cr3t-<hex>`), which npm test's log check also
 * scans for.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders, signRequest, withSignatureQuery } from '../../contract/client/access-key.js';
import { maskSecrets } from '../../contract/redact.js';
import { freePort, MYSQL_ADMIN_URL, startRole, untilServing, type FuncProcess } from '../src/testing/processes.js';
import { rememberSecret, testSecret } from '../src/testing/test-secrets.js';

const FUNC_SECRET = testSecret();
const ADMIN_PASSWORD = testSecret();
const DB_PASSWORD = testSecret();
const WRONG_PASSWORD = testSecret();
const ENV_PASSWORD = testSecret();
const BASIC_PASSWORD = testSecret();
const USER_PASSWORD = testSecret();
/** Grows with what the server makes: the sign-in token, the access key's secret. */
const secrets = [FUNC_SECRET, ADMIN_PASSWORD, DB_PASSWORD, WRONG_PASSWORD, ENV_PASSWORD, BASIC_PASSWORD, USER_PASSWORD];

const name = `func_nosec_${randomBytes(4).toString('hex')}`;
const hosts = ['%', 'localhost', '127.0.0.1'];
let admin: Connection;
let role: FuncProcess;
let home: string;
let base = '';
/** Every answer that was not a success: error messages must not carry secrets either. */
const errorAnswers: string[] = [];

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: { data?: unknown }; text: string }> {
  const bodyText = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(bodyText === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(bodyText === undefined ? {} : { body: bodyText }),
  });
  const text = await res.text();
  if (res.status >= 400) errorAnswers.push(`${method} ${maskSecrets(path)} → ${res.status}: ${text}`);
  let json: { data?: unknown } = {};
  try {
    json = JSON.parse(text) as { data?: unknown };
  } catch {
    json = {};
  }
  return { status: res.status, json, text };
}

const hmacSha1Hex = (secret: string, text: string): Promise<string> => Promise.resolve(createHmac('sha1', secret).update(text, 'utf8').digest('hex'));

function expectNoSecret(text: string, where: string): void {
  for (const s of secrets) expect(text.includes(s), `${where} holds the secret ${s.slice(0, 10)}…`).toBe(false);
}

function exited(p: FuncProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (p.child.exitCode !== null) {
      resolve(p.child.exitCode);
      return;
    }
    const timer = setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms:\n${p.output()}`)), timeoutMs);
    p.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

beforeAll(async () => {
  admin = await createConnection(MYSQL_ADMIN_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  for (const host of hosts) {
    await admin.query(`CREATE USER '${name}'@'${host}' IDENTIFIED BY '${DB_PASSWORD}'`);
    await admin.query(`GRANT ALL ON \`${name}\`.* TO '${name}'@'${host}'`);
  }
  home = mkdtempSync(join(tmpdir(), 'func-nosec-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  role = startRole(['up'], {
    FUNC_HOME: home,
    FUNC_PORT: String(port),
    FUNC_LOG_LEVEL: 'trace',
    FUNC_SEED_EXAMPLES: 'false',
    FUNC_WORKER_PROCESSES: '1',
    FUNC_SECRET,
    FUNC_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FUNC_DB_URL: `mysql://${name}:${DB_PASSWORD}@127.0.0.1:3306/${name}`,
  });
  await untilServing(role, base, 60_000);
}, 90_000);

afterAll(async () => {
  await role?.kill();
  if (home) rmSync(home, { recursive: true, force: true });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  for (const host of hosts) await admin.query(`DROP USER IF EXISTS '${name}'@'${host}'`);
  await admin.end();
});

describe('secrets in logs and error messages', () => {
  it('a running stack at trace level writes none of the secrets it handles', async () => {
    // Sign-in: wrong, malformed (the password inside JSON that does not parse), right.
    expect((await call('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'admin', password: WRONG_PASSWORD } })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/do/sign-in', `{"signIn":{"username":"admin","password":"${WRONG_PASSWORD}"`)).status).toBe(400);
    expect((await call('POST', '/api/v1/auth/do/sign-in', `{"signIn":{"username":"admin","password":"${WRONG_PASSWORD}"}, x}`)).status).toBe(400);
    const signIn = await call('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(signIn.status).toBe(200);
    const token = (signIn.json.data as { xAuthToken: string }).xAuthToken;
    secrets.push(token);
    rememberSecret(token);
    const auth = { 'x-dff-auth-token': token };

    // The token in the query (as the console's event streams send it), on a route, a 404 and the event stream.
    expect((await call('GET', `/api/v1/users/do/list?xDFFAuthToken=${token}`)).status).toBe(200);
    expect((await call('GET', `/api/v1/no-such-route?xDFFAuthToken=${token}`)).status).toBe(404);
    const stream = new AbortController();
    const events = await fetch(`${base}/api/v1/events?xDFFAuthToken=${encodeURIComponent(token)}`, { signal: stream.signal });
    expect(events.status).toBe(200);
    stream.abort();

    // An access key: its secret is answered once; then requests signed right, signed wrong (headers and query).
    const key = await call('POST', '/api/v1/access-keys/do/add', { data: { title: 'nosec' } }, auth);
    expect(key.status).toBe(200);
    const ak = key.json.data as { id: string; secret: string };
    secrets.push(ak.secret);
    rememberSecret(ak.secret);
    // (Not the users list: that takes a signed-in token only, as DataFlux Func's builtin.byXAuthToken.)
    const path = '/api/v1/script-sets/do/list';
    const good = await signRequest({ id: ak.id, secret: ak.secret, hmacSha1Hex }, 'GET', path, '{}');
    expect((await call('GET', path, undefined, signatureHeaders(good))).status).toBe(200);
    const bad = await signRequest({ id: ak.id, secret: `${ak.secret}x`, hmacSha1Hex }, 'GET', path, '{}');
    expect((await call('GET', path, undefined, signatureHeaders(bad))).status).toBe(401);
    const badQuery = await signRequest({ id: ak.id, secret: `${ak.secret}x`, hmacSha1Hex }, 'GET', '/api/v1/events', '{}');
    expect((await call('GET', withSignatureQuery('/api/v1/events', badQuery))).status).toBe(401);

    // A password env variable, API auth with a password, a user: added, listed, one refused.
    expect((await call('POST', '/api/v1/env-variables/do/add', { data: { id: 'NOSEC_PASS', autoTypeCasting: 'password', valueTEXT: ENV_PASSWORD } }, auth)).status).toBe(200);
    expect((await call('POST', '/api/v1/env-variables/do/add', { data: { id: 'bad id!', autoTypeCasting: 'password', valueTEXT: ENV_PASSWORD } }, auth)).status).toBe(400);
    expect((await call('GET', '/api/v1/env-variables/do/list', undefined, auth)).status).toBe(200);
    expect(
      (await call('POST', '/api/v1/api-auth/do/add', { data: { type: 'httpBasic', title: 'nosec', configJSON: { users: [{ username: 'u', password: BASIC_PASSWORD }] } } }, auth))
        .status,
    ).toBe(200);
    expect(
      (await call('POST', '/api/v1/api-auth/do/add', { data: { type: 'httpDigest', configJSON: { users: [{ username: '', password: BASIC_PASSWORD }] } } }, auth)).status,
    ).toBe(400);
    expect((await call('GET', '/api/v1/api-auth/do/list', undefined, auth)).status).toBe(200);
    expect((await call('POST', '/api/v1/users/do/add', { data: { username: 'nosec-user', name: 'N', password: USER_PASSWORD, roles: ['readonlyUser'] } }, auth)).status).toBe(200);
    expect(
      (await call('POST', '/api/v1/users/do/add', { data: { username: 'nosec-user', name: 'N', password: USER_PASSWORD, roles: ['readonlyUser'] } }, auth)).status,
    ).toBeGreaterThanOrEqual(400);
    expect((await call('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'nosec-user', password: USER_PASSWORD } })).status).toBe(200);

    await new Promise((r) => setTimeout(r, 300)); // the last lines flushed
    const out = role.output();
    // The log is verbose (request lines, the masked token): the assertions below are not vacuous.
    expect(out).toContain('incoming request');
    expect(out).toContain('/api/v1/users/do/list?xDFFAuthToken=***');
    expect(out).toContain('xDffAkSign=***');
    expectNoSecret(out, 'the stack output');
    for (const answer of errorAnswers) expectNoSecret(answer.slice(answer.indexOf(' → ')), `the answer to ${answer.slice(0, answer.indexOf(' → '))}`);
  }, 60_000);

  it('a bad FUNC_DB_URL with a password stops func up without printing the password', async () => {
    const urls = [
      `mysql://${name}:${DB_PASSWORD}@127.0.0.1:1/${name}`, // nothing listening
      `mysql://${name}:${WRONG_PASSWORD}@127.0.0.1:3306/${name}`, // wrong password
      `mysql://${name}:${DB_PASSWORD}@127.0.0.1:3306/`, // no database named
      `mysql://${name}:${DB_PASSWORD}@[::1`, // not a URL
      `mysql://${name}:${DB_PASSWORD}@127.0.0.1:3306/${name}?ssl=nonsense`, // an option the driver refuses
      `mysql://${name}:${DB_PASSWORD}@no-such-host.invalid:3306/${name}`,
      `postgres://${name}:${DB_PASSWORD}@127.0.0.1/${name}`, // refused by the configuration
    ];
    for (const url of urls) {
      const dir = mkdtempSync(join(tmpdir(), 'func-nosec-bad-'));
      const p = startRole(['up'], { FUNC_HOME: dir, FUNC_PORT: '0', FUNC_LOG_LEVEL: 'trace', FUNC_SECRET, FUNC_ADMIN_PASSWORD: ADMIN_PASSWORD, FUNC_DB_URL: url });
      try {
        const code = await exited(p, 30_000);
        expect(code, p.output()).not.toBe(0);
        expect(p.output()).toMatch(/func: Invalid configuration: FUNC_DB_URL|MySQL|mysql|SSL/);
        expectNoSecret(p.output(), `func up with ${url.replace(/:[^:@]*@/, ':…@')}`);
      } finally {
        await p.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 120_000);
});
