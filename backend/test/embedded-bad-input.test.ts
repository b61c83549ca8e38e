/** Bad input gets a clear 4xx naming the problem — never a 500 — and the server stays up. */
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '../../contract/signing.js';
import { sleepFunc } from '../src/testing/python-fixtures.js';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';

let t: TestStack;
let ak: { id: string; secret: string };

beforeAll(async () => {
  t = await startTestStack();
  await t.publish('bad__input', `@DFF.API('Add')\ndef add(a, b=1):\n    return a + b\n`);
  // The secret is answered once, by add.
  const added = await t.admin('POST', '/api/v1/access-keys/do/add', { data: { title: 'test key' } });
  const { id, secret } = added.body.data as { id: string; secret: string };
  ak = { id, secret };
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** Signs as DataFlux Func's Python SDK does (written independently from its documentation of the scheme). */
function sign(method: string, path: string, body: unknown, nonce: string, timestamp = String(Math.floor(Date.now() / 1000)), secret = ak.secret): Record<string, string> {
  const md5 = createHash('md5')
    .update(body === undefined ? '{}' : pythonJsonDumps(body))
    .digest('hex');
  const s = createHmac('sha1', secret).update(`${method}&${path}&${timestamp}&${nonce}&${md5}`).digest('hex');
  return { 'x-dff-ak-id': ak.id, 'x-dff-ak-timestamp': timestamp, 'x-dff-ak-nonce': nonce, 'x-dff-ak-sign': s };
}

const expect4xx = (r: { status: number; body: { ok?: boolean; reason?: string; message?: string } }, status: number, message?: RegExp): void => {
  expect(r.status).toBe(status);
  expect(r.body.ok).toBe(false);
  expect(typeof r.body.reason).toBe('string');
  if (message) expect(r.body.message).toMatch(message);
};

describe('bad input', () => {
  it('malformed JSON', async () => {
    const r = await t.api('POST', '/api/v1/func/bad__input.add', '{"kwargs": {', { 'content-type': 'application/json', 'x-dff-auth-token': t.token });
    expect4xx(r, 400, /JSON/);
  });

  it('a number no double holds (1e400) is refused naming where it is, not passed on as null', async () => {
    const json = { 'content-type': 'application/json', 'x-dff-auth-token': t.token };
    for (const [text, field] of [
      ['{"kwargs": {"a": 1e400}}', 'body.kwargs.a'],
      ['{"kwargs": {"a": [1, {"x": -2E+999}]}}', 'body.kwargs.a.1.x'],
      [`{"kwargs": {"a": 1${'0'.repeat(400)}}}`, 'body.kwargs.a'],
    ] as const) {
      const r = await t.api('POST', '/api/v1/func/bad__input.add', text, json);
      expect4xx(r, 400, /a number too large for JSON/);
      expect(r.body.detail?.field, text.slice(0, 40)).toBe(field);
    }
    // kwargs sent as JSON text (DataFlux clients send both forms): the same.
    const asText = await t.api('POST', '/api/v1/func/bad__input.add', JSON.stringify({ kwargs: '{"a": 1e400}' }), json);
    expect4xx(asText, 400, /a number too large for JSON/);
    expect(asText.body.detail?.field).toBe('body.kwargs.a');
    // Large but finite numbers, and exponents inside strings, are values like any other.
    const ok = await t.api('POST', '/api/v1/func/bad__input.add', '{"kwargs": {"a": 1e300, "b": 1e300}}', json);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.data).toMatchObject({ result: 2e300 });
    const text = await t.api('POST', '/api/v1/func/bad__input.add', '{"kwargs": {"a": "e999 ", "b": "1e400"}}', json);
    expect(text.body.data).toMatchObject({ result: 'e999 1e400' });
  });

  it('a JSON body that is not UTF-8 is refused naming the body, not stored with U+FFFD in it', async () => {
    const send = (payload: Buffer, contentType = 'application/json') =>
      t.stack.app.inject({ method: 'POST', url: '/api/v1/func/bad__input.add', headers: { 'content-type': contentType, 'x-dff-auth-token': t.token }, payload });
    const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
    for (const [payload, contentType] of [
      [Buffer.concat([utf8('{"kwargs": {"a": "'), Buffer.from([0xff, 0xfe]), utf8('", "b": "x"}}')]), 'application/json'],
      [Buffer.from('{"kwargs": {"a": "café", "b": "x"}}', 'latin1'), 'application/json; charset=iso-8859-1'],
    ] as const) {
      const r = await send(payload, contentType);
      expect(r.statusCode, r.body).toBe(400);
      const body = JSON.parse(r.body) as { message: string; detail?: { field?: string } };
      expect(body.message).toMatch(/^body: not valid UTF-8/);
      expect(body.detail?.field).toBe('body');
    }
    const ok = await send(utf8('{"kwargs": {"a": "café ", "b": "中文"}}'));
    expect(ok.statusCode, ok.body).toBe(200);
    expect((JSON.parse(ok.body) as { data: { result: unknown } }).data.result).toBe('café 中文');
  });

  it('unknown function', async () => {
    expect4xx(await t.admin('POST', '/api/v1/func/bad__input.nope', { kwargs: {} }), 404, /No such Func/);
  });

  it('kwargs the function does not take, or a missing one', async () => {
    const r = await t.admin('POST', '/api/v1/func/bad__input.add', { kwargs: { a: 1, c: 2 } });
    expect4xx(r, 400, /no argument "c"/);
    expect(r.body.detail?.field).toBe('kwargs.c');
    expect4xx(await t.admin('POST', '/api/v1/func/bad__input.add', { kwargs: { b: 2 } }), 400, /needs the argument "a"/);
  });

  it('invalid ids', async () => {
    expect4xx(await t.admin('POST', '/api/v1/func/not-a-func-id', { kwargs: {} }), 400, /funcId/);
    expect4xx(await t.admin('POST', '/api/v1/script-sets/do/add', { data: { id: 'has space' } }), 400, /data\.id/);
    expect4xx(await t.admin('POST', '/api/v1/script-sets/do/add', { data: { id: 'a__b' } }), 400, /__/);
    expect4xx(await t.admin('POST', '/api/v1/scripts/do/add', { data: { id: 'nosuchset__x' } }), 400, /does not exist/);
    expect4xx(await t.admin('GET', '/api/v1/tasks/not%20valid'), 400, /task id/);
    expect4xx(await t.admin('GET', '/api/v1/tasks/task-doesnotexist'), 404);
    expect4xx(await t.admin('POST', '/api/v1/script-sets/do/add', { data: { id: 'bad' } }), 409);
  });

  it('a required field left out says "required", naming it (as DataFlux Func, funcCallKwargsJSON is required to add an API or cron job)', async () => {
    for (const path of ['/api/v1/cron-jobs/do/add', '/api/v1/crontab-configs/do/add', '/api/v1/sync-apis/do/add', '/api/v1/async-apis/do/add']) {
      const r = await t.admin('POST', path, { data: { funcId: 'bad__input.add' } });
      expect4xx(r, 400, /^body\.data\.funcCallKwargsJSON: required$/);
      expect(r.body.detail?.field, path).toBe('body.data.funcCallKwargsJSON');
    }
    expect4xx(await t.admin('POST', '/api/v1/cron-jobs/do/add', {}), 400, /^body\.data: required$/);
    // A connector's config too (checked for its type).
    expect4xx(await t.admin('POST', '/api/v1/connectors/do/add', { data: { id: 'no_url', type: 'http', configJSON: {} } }), 400, /^configJSON\.url: required$/);
  });

  it('an id of dots only (. or .., path segments a URL resolves) is refused naming data.id; dots inside an id are fine', async () => {
    for (const id of ['.', '..', '...']) {
      for (const [path, data] of [
        ['/api/v1/sync-apis/do/add', { id, funcId: 'bad__input.add', funcCallKwargsJSON: {} }],
        ['/api/v1/api-auth/do/add', { id, type: 'fixedField', configJSON: { fields: [{ location: 'header', name: 'X-K', value: 'v' }] } }],
      ] as const) {
        const r = await t.admin('POST', path, { data });
        expect4xx(r, 400, /dots only/);
        expect(r.body.detail?.field).toBe('body.data.id');
      }
    }
    const many = await t.admin('POST', '/api/v1/cron-jobs/do/add-many', { data: [{ id: '..', funcId: 'bad__input.add', funcCallKwargsJSON: { a: 1, b: 2 } }] });
    expect4xx(many, 400, /dots only/);
    const dotted = await t.admin('POST', '/api/v1/api-auth/do/add', {
      data: { id: 'v1.2..x', type: 'fixedField', configJSON: { fields: [{ location: 'header', name: 'X-K', value: 'v' }] } },
    });
    expect(dotted.status, dotted.text).toBe(200);
  });

  it("a call's options or body that is no JSON object says so, not 'Invalid kwargs'", async () => {
    const api = (await t.client.addSyncApi({ body: { data: { funcId: 'bad__input.add', funcCallKwargsJSON: {} } } })).id;
    const options = await t.admin('GET', `/api/v1/sync/${api}?options=%7B`);
    expect4xx(options, 400, /^options: must be a JSON object/);
    const kwargs = await t.admin('GET', `/api/v1/sync/${api}?kwargs=%7B`);
    expect4xx(kwargs, 400, /^kwargs: Invalid kwargs, bad JSON format/);
  });

  it('an API call in a format it does not have is refused naming the formats, s among them', async () => {
    const api = (await t.client.addSyncApi({ body: { data: { funcId: 'bad__input.add', funcCallKwargsJSON: {} } } })).id;
    const asyncApi = (await t.client.addAsyncApi({ body: { data: { funcId: 'bad__input.add', funcCallKwargsJSON: {} } } })).id;
    for (const path of [`/api/v1/sync/${api}/bogus`, `/api/v1/al/${api}/bogus/more`, `/api/v1/async/${asyncApi}/bogus`]) {
      const r = await t.api('GET', `${path}?a=1`);
      expect4xx(r, 400);
      expect(r.body.message, path).toBe('format: "bogus" is not one of normal, s, simplified');
      expect(r.body.detail?.field).toBe('format');
    }
    expect((await t.api('POST', `/api/v1/sync/${api}/s`, { a: 1 })).text).toBe('2');
  });

  it("a call's timeout, expires and queue may come as text of their digits, as DataFlux Func parseInt's them; other text is refused naming the option", async () => {
    await t.publish('bad__slow', `import time\n\n${sleepFunc('nap', '')}`);
    // Applied: a timeout of "1" ends a 3-second call.
    const timedOut = await t.admin('POST', '/api/v1/func/bad__slow.nap', { kwargs: { s: 3 }, options: { timeout: '1' } });
    expect(timedOut.status, timedOut.text).toBe(599);
    expect(timedOut.body.reason).toBe('EFuncTimeout');
    const queued = await t.admin('POST', '/api/v1/func/bad__input.add', { kwargs: { a: 1 }, options: { async: true, queue: '2', expires: '30', timeout: '10' } });
    expect(queued.status, queued.text).toBe(200);
    const task = await t.admin('GET', `/api/v1/tasks/${(queued.body.data as { id: string }).id}`);
    expect((task.body.data as { queue: number }).queue).toBe(2);
    // A sync API's options (normal format), in a body or as JSON text in the query.
    const api = (await t.client.addSyncApi({ body: { data: { funcId: 'bad__input.add', funcCallKwargsJSON: {} } } })).id;
    expect((await t.api('POST', `/api/v1/sync/${api}`, { kwargs: { a: 2 }, options: { timeout: '10', queue: '2' } })).text).toBe('3');
    expect((await t.api('GET', `/api/v1/sync/${api}?kwargs=${encodeURIComponent('{"a":3}')}&options=${encodeURIComponent('{"timeout":"10"}')}`)).text).toBe('4');
    for (const [name, value, problem] of [
      ['timeout', 'ten', /must be a whole number, or its decimal digits as text, got "ten"/],
      ['timeout', '1.5', /got "1\.5"/],
      ['queue', '2a', /got "2a"/],
      ['expires', '', /got ""/],
      ['timeout', '0', /Too small|>=1/i],
      ['queue', '16', /Too big|<=15/i],
    ] as const) {
      const r = await t.admin('POST', '/api/v1/func/bad__input.add', { kwargs: { a: 1 }, options: { [name]: value } });
      expect4xx(r, 400, problem);
      expect(r.body.detail?.field, `${name}=${value}`).toBe(`body.options.${name}`);
    }
    const viaApi = await t.api('POST', `/api/v1/sync/${api}`, { kwargs: { a: 2 }, options: { queue: 'two' } });
    expect4xx(viaApi, 400, /queue/);
    expect(viaApi.body.detail?.field).toBe('options.queue');
    // delay as digits (a query string or form body carries text: DataFlux Func's sync APIs take
    // it so), other text refused; Func's own retry and retryBackoff likewise (?options[retry]=2).
    expect4xx(await t.admin('POST', '/api/v1/func/bad__input.add', { kwargs: { a: 1 }, options: { async: true, delay: 'five' } }), 400, /options\.delay/);
    expect((await t.admin('POST', '/api/v1/func/bad__input.add', { kwargs: { a: 1 }, options: { async: true, delay: '5' } })).status).toBe(200);
    expect4xx(await t.admin('POST', '/api/v1/func/bad__input.add', { kwargs: { a: 1 }, options: { async: true, retry: 'one' } }), 400, /options\.retry/);
    expect4xx(await t.admin('POST', '/api/v1/func/bad__input.add', { kwargs: { a: 1 }, options: { async: true, retryBackoff: '1s' } }), 400, /options\.retryBackoff/);
    const retried = await t.admin('POST', '/api/v1/func/bad__input.add', { kwargs: { a: 1 }, options: { async: true, retry: '2', retryBackoff: '1.5' } });
    expect(retried.status, retried.text).toBe(200);
  });

  it('a misspelt throttling rule and base64 that is not base64 or not UTF-8 are refused naming them, not dropped', async () => {
    const throttled = await t.admin('POST', '/api/v1/sync-apis/do/add', { data: { funcId: 'bad__input.add', funcCallKwargsJSON: {}, throttlingJSON: { byWeek: 1 } } });
    expect4xx(throttled, 400, /byWeek/);
    expect(throttled.body.detail?.field).toBe('body.data.throttlingJSON.byWeek');
    const notBase64 = await t.admin('POST', '/api/v1/scripts/do/add', { data: { id: 'bad__b64', codeDraftBase64: '!!!' } });
    expect4xx(notBase64, 400, /codeDraftBase64/);
    const notUtf8 = await t.admin('POST', '/api/v1/scripts/do/add', { data: { id: 'bad__b64', codeDraftBase64: Buffer.from([0xff, 0xfe, 0x41]).toString('base64') } });
    expect4xx(notUtf8, 400, /codeDraftBase64.*UTF-8/);
    expect((await t.admin('GET', '/api/v1/scripts/bad__b64/do/get')).status).toBe(404);
    // Base64 as encoders write it: unpadded, or broken into lines, or URL-safe.
    const code = "@DFF.API('X')\ndef x():\n    return 'x?>'  # ~~~\n";
    const wrapped = Buffer.from(code)
      .toString('base64')
      .replace(/=+$/, '')
      .replace(/(.{16})/g, '$1\n');
    const ok = await t.admin('POST', '/api/v1/scripts/do/add', { data: { id: 'bad__b64', codeDraftBase64: wrapped } });
    expect(ok.status, ok.text).toBe(200);
    expect(((await t.admin('GET', '/api/v1/scripts/bad__b64/do/get')).data as { codeDraft: string }).codeDraft).toBe(code);
    const urlSafe = Buffer.from(code).toString('base64url');
    expect(urlSafe).toMatch(/[-_]/);
    const modified = await t.admin('POST', '/api/v1/scripts/bad__b64/do/modify', { data: { codeDraftBase64: urlSafe } });
    expect(modified.status, modified.text).toBe(200);
  });

  it('invalid cron expression', async () => {
    const r = await t.admin('POST', '/api/v1/cron-jobs/do/add', { data: { funcId: 'bad__input.add', cronExpr: 'every day', funcCallKwargsJSON: { a: 1 } } });
    expect4xx(r, 400, /cronExpr/);
  });

  it('missing or wrong auth', async () => {
    expect4xx(await t.api('GET', '/api/v1/script-sets/do/list'), 401, /Sign in/);
    expect4xx(await t.api('GET', '/api/v1/script-sets/do/list', undefined, { 'x-dff-auth-token': 'forged.token.value' }), 401);
    expect4xx(await t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'admin', password: 'wrong-password' } }), 401);
    expect4xx(await t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'admin' } }), 400, /password/);
  });

  it('accepts a correct access-key signature, refuses a bad one and a replayed nonce', async () => {
    const body = { kwargs: { a: 2, b: 5, 名: 'ü' }, options: {} };
    const path = '/api/v1/script-sets/do/list?id=bad';
    const good = await t.api('GET', path, undefined, sign('GET', path, undefined, 'nonce-1'));
    expect(good.status, good.text).toBe(200);
    const replay = await t.api('GET', path, undefined, sign('GET', path, undefined, 'nonce-1'));
    expect4xx(replay, 401, /nonce/i);
    const wrong = await t.api('GET', path, undefined, { ...sign('GET', path, undefined, 'nonce-2'), 'x-dff-ak-sign': 'deadbeef' });
    expect4xx(wrong, 401, /Sign/);
    const stale = await t.api('GET', path, undefined, sign('GET', path, undefined, 'nonce-3', String(Math.floor(Date.now() / 1000) - 3600)));
    expect4xx(stale, 401, /Timestamp/);
    const postPath = '/api/v1/func/bad__input.add';
    const unicode = await t.api('POST', postPath, body, sign('POST', postPath, body, 'nonce-4'));
    expect4xx(unicode, 400, /no argument "名"/);
    const call = await t.api('POST', postPath, { kwargs: { a: 2, b: 5 } }, sign('POST', postPath, { kwargs: { a: 2, b: 5 } }, 'nonce-5'));
    expect((call.body.data as { result: number }).result).toBe(7);
  });

  it('a 10 MB body is refused with 413', async () => {
    const big = JSON.stringify({ kwargs: { a: 'x'.repeat(10 * 1024 * 1024) } });
    const r = await t.api('POST', '/api/v1/func/bad__input.add', big, { 'content-type': 'application/json', 'x-dff-auth-token': t.token });
    expect4xx(r, 413, /too large|larger/);
  });

  it('unknown list query fields are ignored, not turned into filters', async () => {
    const r = await t.admin('GET', '/api/v1/script-sets/do/list?id=bad&nosuchfield=1&_withScripts=true');
    expect(r.status, r.text).toBe(200);
    expect((r.body.data as { id: string }[]).map((x) => x.id)).toEqual(['bad']);
  });

  it('a malformed percent-encoded path is a 400, not a 500', async () => {
    expect4xx(await t.api('GET', '/scripts/%E0%A4%A'), 400, /url/);
    expect4xx(await t.api('GET', '/api/v1/tasks/%E0%A4%A'), 400, /url/);
  });

  it('unknown routes and unknown sync APIs are 404', async () => {
    expect4xx(await t.api('GET', '/api/v1/nothing/here'), 404, /No such route/);
    expect4xx(await t.api('GET', '/api/v1/sync/nope'), 404, /No such Sync API/);
    expect4xx(await t.api('POST', '/api/v1/async/nope', {}), 404);
  });

  it('is still up after all that', async () => {
    const ping = await t.api('GET', '/api/v1/do/ping');
    expect(ping.body.data).toBe('pong');
    const call = await t.admin('POST', '/api/v1/func/bad__input.add', { kwargs: { a: 1 } });
    expect((call.body.data as { result: number }).result).toBe(2);
    const metrics = await t.api('GET', '/metrics');
    expect(metrics.text).not.toMatch(/status="500"/);
    expect(metrics.text).toMatch(/func_http_request_duration_seconds_count\{[^}]*status="404"/);
  });
});
