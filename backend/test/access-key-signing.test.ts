/**
 * Access-key signatures from the contract client (headers, POST bodies as sent) and the signed
 * query alternative for GET requests that cannot send headers (EventSource).
 */
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type AccessKeyAuth } from '../../contract/client/index.js';
import { signRequest, withSignatureQuery } from '../../contract/client/access-key.js';
import { ApiError } from '../../contract/errors.js';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';

let t: TestStack;
let key: AccessKeyAuth;

const hmacSha1Hex = (secret: string, text: string): Promise<string> => Promise.resolve(createHmac('sha1', secret).update(text, 'utf8').digest('hex'));

beforeAll(async () => {
  t = await startTestStack();
  // The secret is answered once, by add.
  const added = await t.admin('POST', '/api/v1/access-keys/do/add', { data: { title: 'console key' } });
  const { id, secret } = added.body.data as { id: string; secret: string };
  key = { id, secret, hmacSha1Hex, randomBytes: (n) => new Uint8Array(randomBytes(n)) };
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** A client whose fetch goes through app.inject with exactly the URL and body it would send. */
function client(auth: AccessKeyAuth) {
  return createHttpClient({
    baseUrl: 'http://stack.example',
    accessKey: auth,
    fetch: async (url, init) => {
      const res = await t.stack.app.inject({
        method: init.method as 'GET' | 'POST',
        url: url.replace('http://stack.example', ''),
        headers: init.headers,
        ...(init.body === undefined ? {} : { payload: init.body }),
      });
      return { status: res.statusCode, text: () => Promise.resolve(res.body) };
    },
  });
}

async function signedQuery(path: string, auth: AccessKeyAuth = key): Promise<string> {
  return withSignatureQuery(path, await signRequest(auth, 'GET', path, '{}'));
}

describe('access keys from the contract client', () => {
  it('signs GETs and POST bodies with non-ASCII text and quotes in the query', async () => {
    const api = client(key);
    expect((await api.profile({})).username).toBe('admin');
    await api.addScriptSet({ body: { data: { id: 'signed', title: "Señal 中文 'quoted'" } } });
    const sets = await api.listScriptSets({ query: { id: 'signed' } });
    expect(sets.map((s) => s.title)).toEqual(["Señal 中文 'quoted'"]);
    expect(await api.listScripts({ query: { scriptSetId: "it's" } })).toEqual([]);
  });

  it('a wrong secret is refused with the 401 message', async () => {
    const err = await client({ ...key, secret: 'not-the-secret' })
      .profile({})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).message).toMatch(/X-Dff-Ak-Sign does not match/);
  });
});

describe('signed query (GET only)', () => {
  it('accepts a valid signature, the URL signed without the four parameters', async () => {
    const r = await t.api('GET', await signedQuery('/api/v1/script-sets/do/list?id=signed'));
    expect(r.status, r.text).toBe(200);
    expect((r.body.data as unknown[]).length).toBe(1);
  });

  it('refuses a bad signature', async () => {
    const url = (await signedQuery('/api/v1/events')).replace(/xDffAkSign=[0-9a-f]+/, `xDffAkSign=${'0'.repeat(40)}`);
    const r = await t.api('GET', url);
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/xDffAkSign does not match/);
    expect(r.body.detail?.field).toBe('xDffAkSign');
  });

  it('refuses a replayed nonce', async () => {
    const url = await signedQuery('/api/v1/auth/profile/do/get');
    expect((await t.api('GET', url)).status).toBe(200);
    const again = await t.api('GET', url);
    expect(again.status).toBe(401);
    expect(again.body.message).toMatch(/xDffAkNonce was used already/);
  });

  it('refuses a stale timestamp', async () => {
    const url = await signedQuery('/api/v1/events', { ...key, now: () => Date.now() - 3600_000 });
    const r = await t.api('GET', url);
    expect(r.status).toBe(401);
    expect(r.body.detail?.field).toBe('xDffAkTimestamp');
  });

  it('takes a timestamp with a fraction of a second, as DataFlux Func does (its text is what was signed)', async () => {
    const now = String(Math.floor(Date.now() / 1000));
    const url = (await signedQuery('/api/v1/auth/profile/do/get')).replace(/xDffAkTimestamp=\d+/, `xDffAkTimestamp=${now}.5`);
    const r = await t.api('GET', url);
    // Read as a time (not refused as one), then the signature, made over the whole number, does not match.
    expect(r.body.message).toBe('xDffAkSign does not match the request');
  });

  it('refuses a timestamp that is not unix seconds in decimal digits, saying so', async () => {
    const now = String(Math.floor(Date.now() / 1000));
    for (const ts of ['abc', '1e9', '0x10', ` ${now}`, `-${now}`, `${now}.`]) {
      const url = (await signedQuery('/api/v1/auth/profile/do/get')).replace(/xDffAkTimestamp=\d+/, `xDffAkTimestamp=${encodeURIComponent(ts)}`);
      const r = await t.api('GET', url);
      expect(r.status, ts).toBe(401);
      expect(r.body.detail?.field).toBe('xDffAkTimestamp');
      expect(r.body.message, ts).toBe('xDffAkTimestamp must be unix seconds in decimal digits');
    }
    const r = await t.api('GET', '/api/v1/auth/profile/do/get', undefined, {
      'X-Dff-Ak-Id': key.id,
      'X-Dff-Ak-Timestamp': 'abc',
      'X-Dff-Ak-Nonce': 'n-1',
      'X-Dff-Ak-Sign': '0'.repeat(40),
    });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ message: 'X-Dff-Ak-Timestamp must be unix seconds in decimal digits', detail: { field: 'X-Dff-Ak-Timestamp' } });
    const stale = await t.api('GET', '/api/v1/auth/profile/do/get', undefined, {
      'X-Dff-Ak-Id': key.id,
      'X-Dff-Ak-Timestamp': '1000',
      'X-Dff-Ak-Nonce': 'n-2',
      'X-Dff-Ak-Sign': '0'.repeat(40),
    });
    expect(stale.body.message).toBe('X-Dff-Ak-Timestamp is outside the accepted window of ±900 s');
  });

  it('is not accepted for POST', async () => {
    const r = await t.api('POST', await signedQuery('/api/v1/script-sets/do/add'), { data: { id: 'viaquery' } });
    expect(r.status).toBe(401);
  });

  it('opens the event stream', async () => {
    const address = await t.stack.app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    try {
      const res = await fetch(`${address}${await signedQuery('/api/v1/events')}`, { signal: abort.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value as Uint8Array)).toContain('event: topology');
    } finally {
      abort.abort();
    }
  });
});

describe("a Python client's body, signed as DataFlux Func's SDK signs it", () => {
  /**
   * python3 signs `body` over json.dumps(sort_keys=True, ensure_ascii=False, separators=(',', ':'))
   * and writes it as `requests.post(json=…)` sends it (json.dumps' defaults: spaces, \u escapes,
   * keys in their order); answers the headers and the text sent.
   */
  function signedByPython(bodyPython: string, path: string, secret = key.secret, sendAscii = true): { headers: Record<string, string>; text: string } {
    const script = `
import hashlib, hmac, json, sys, time, uuid
body = ${bodyPython}
ak_id, secret, path = sys.argv[1:4]
ts, nonce = str(int(time.time())), uuid.uuid4().hex
md5 = hashlib.md5(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(',', ':')).encode()).hexdigest()
sign = hmac.new(secret.encode(), '&'.join(['POST', path, ts, nonce, md5]).encode(), hashlib.sha1).hexdigest()
print(json.dumps({'headers': {'X-Dff-Ak-Id': ak_id, 'X-Dff-Ak-Timestamp': ts, 'X-Dff-Ak-Nonce': nonce, 'X-Dff-Ak-Sign': sign}, 'text': json.dumps(body, ensure_ascii=sys.argv[4] == '1')}))
`;
    const out = execFileSync('python3', ['-c', script, key.id, secret, path, sendAscii ? '1' : '0'], { encoding: 'utf8' });
    return JSON.parse(out) as { headers: Record<string, string>; text: string };
  }

  const call = (signed: { headers: Record<string, string>; text: string }, path: string) =>
    t.stack.app.inject({ method: 'POST', url: path, headers: { ...signed.headers, 'content-type': 'application/json' }, payload: signed.text });

  beforeAll(async () => {
    await t.publish('pysig__fn', "@DFF.API('Types')\ndef types(**kw):\n    return {k: type(v).__name__ for k, v in kw.items()}\n");
  }, 60_000);

  it('floats written as 1.0 or 1e+20, a big integer and escaped non-ASCII text are accepted, as signed', async () => {
    const path = '/api/v1/func/pysig__fn.types';
    const signed = signedByPython(
      "{'kwargs': {'f': 1.0, 'neg': -0.0, 'e': 1e20, 'big': 12345678901234567890, 'tiny': 1e-7, 'text': 'Señal 中文 \"q\"', 'n': [2.50, {'b': 1, 'a': None}]}}",
      path,
    );
    expect(signed.text).toContain('1.0');
    expect(signed.text).toContain('\\u00f1'); // as requests sends it: ensure_ascii
    const r = await call(signed, path);
    expect(r.statusCode, r.body).toBe(200);
    expect((JSON.parse(r.body) as { data: { result: unknown } }).data.result).toMatchObject({ tiny: 'float', text: 'str', n: 'list' });
    // (1.0 reaches the function as 1, as through DataFlux Func's Node server: JSON has one number type.)
  });

  it("keys mixing an emoji with a character from U+E000 up are accepted in Python's order (by code point), escaped or not", async () => {
    const path = '/api/v1/func/pysig__fn.types';
    for (const sendAscii of [true, false]) {
      const signed = signedByPython("{'kwargs': {'a': {'\\uff5a': 1, '\\U0001F600': 2}, '\\U0001F600': 'x', '\\uff5a': 'y'}}", path, key.secret, sendAscii);
      const r = await call(signed, path);
      expect(r.statusCode, r.body).toBe(200);
      expect((JSON.parse(r.body) as { data: { result: unknown } }).data.result).toEqual({ a: 'dict', '\u{1F600}': 'str', '\uff5a': 'str' });
    }
  });

  it('the same body with another value than the one signed, or a wrong secret, is still refused', async () => {
    const path = '/api/v1/func/pysig__fn.types';
    const signed = signedByPython("{'kwargs': {'f': 1.0}}", path);
    const tampered = await call({ ...signed, text: signed.text.replace('1.0', '1.5') }, path);
    expect(tampered.statusCode).toBe(401);
    expect(tampered.body).toMatch(/X-Dff-Ak-Sign does not match/);
    const wrongSecret = await call(signedByPython("{'kwargs': {'f': 1.0}}", path, 'not-the-secret'), path);
    expect(wrongSecret.statusCode).toBe(401);
  });
});
