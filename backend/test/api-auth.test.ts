/** Sync/async API auth (fixedField, httpBasic, httpDigest, func) and throttling. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const CODE = `@DFF.API('Echo')
def echo(x='-'):
    return x

@DFF.API('Request')
def request(x='-'):
    # What the function saw, without answering a secret (the record keeps the return value).
    req = _DFF_HTTP_REQUEST
    body = req.get('body')
    return {'x': x, 'header': (req['headers'].get('x-client-code') or '')[:3], 'query': sorted(req.get('query') or {}), 'body': sorted(body) if isinstance(body, dict) else None, 'urlCode': 'code=' in (req.get('originalUrl') or '')}

@DFF.API('Auth')
def check(req):
    return req['headers'].get('x-magic') == 'open-sesame'
`;

const t = useTestStack({ auth__fn: CODE });
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

async function apiWith(type: string, configJSON: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const authId = (await t.client.addApiAuth({ body: { data: { type, configJSON } } })).id;
  return t.add('/api/v1/sync-apis/do/add', { funcId: 'auth__fn.echo', funcCallKwargsJSON: { x: 'INPUT_BY_CALLER' }, apiAuthId: authId, ...extra });
}

describe('API auth', () => {
  it('validates the configuration and stores secrets encrypted', async () => {
    const bad = await t.admin('POST', '/api/v1/api-auth/do/add', { data: { type: 'httpBasic', configJSON: { users: [{ username: 'a' }] } } });
    expect(bad.status).toBe(400);
    expect(bad.body.detail?.field).toBe('configJSON.users.0.password');
    const id = (await t.client.addApiAuth({ body: { data: { type: 'httpBasic', configJSON: { users: [{ username: 'ann', password: 'pa55word' }] } } } })).id;
    const row = await t.stack.store.entity('apiAuth').get(id);
    expect(JSON.stringify(row!.configJSON)).not.toContain('pa55word');
    const view = await t.admin('GET', `/api/v1/api-auth/${id}/do/get`);
    expect(JSON.stringify(view.body.data)).toContain('pa55word');
  });

  it('fixedField: a matching header, query or body field lets the caller in', async () => {
    const id = await apiWith('fixedField', {
      fields: [
        { location: 'header', name: 'X-Token', value: 't0k3n' },
        { location: 'query', name: 'token', value: 'q0k3n' },
      ],
    });
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=1`)).status).toBe(401);
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=1`, undefined, { 'x-token': 'wrong' })).status).toBe(401);
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=1`, undefined, { 'x-token': 't0k3n' })).text).toBe('1');
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=2&token=q0k3n`)).text).toBe('2');
  });

  it('httpBasic: challenges, refuses a wrong password, accepts the right one', async () => {
    const id = await apiWith('httpBasic', { users: [{ username: 'ann', password: 'pa55word' }] });
    const none = await t.api('GET', `/api/v1/sync/${id}`);
    expect(none.status).toBe(401);
    expect(none.body.reason).toBe('EAPIAuth');
    expect(String(none.headers['www-authenticate'])).toMatch(/^Basic realm=/);
    const basic = (u: string, p: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=a`, undefined, basic('ann', 'nope'))).status).toBe(401);
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=a`, undefined, basic('ann', 'pa55word'))).text).toBe('a');
  });

  it('httpDigest: answers a challenge computed as RFC 7616 says', async () => {
    const id = await apiWith('httpDigest', { users: [{ username: 'bob', password: 's3cret' }] });
    const uri = `/api/v1/sync/${id}/simplified?x=d`;
    const challenge = await t.api('GET', uri);
    expect(challenge.status).toBe(401);
    const header = String(challenge.headers['www-authenticate']);
    const nonce = /nonce="([^"]+)"/.exec(header)![1]!;
    const realm = /realm="([^"]+)"/.exec(header)![1]!;
    const answer = (password: string): string => {
      const ha1 = md5(`bob:${realm}:${password}`);
      const ha2 = md5(`GET:${uri}`);
      const response = md5(`${ha1}:${nonce}:00000001:abcdef:auth:${ha2}`);
      return `Digest username="bob", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="abcdef", response="${response}"`;
    };
    expect((await t.api('GET', uri, undefined, { authorization: answer('wrong') })).status).toBe(401);
    expect((await t.api('GET', uri, undefined, { authorization: answer('s3cret') })).text).toBe('d');
    const forged = answer('s3cret').replace(nonce, `${nonce.split('.')[0]!}.0000`);
    expect((await t.api('GET', uri, undefined, { authorization: forged })).status).toBe(401);
  });

  it('func: the auth function gets the request and decides', async () => {
    const id = await apiWith('func', { funcId: 'auth__fn.check' });
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=f`, undefined, { 'x-magic': 'no' })).status).toBe(401);
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=f`, undefined, { 'x-magic': 'open-sesame' })).text).toBe('f');
  });

  it('applies to async APIs too', async () => {
    const authId = (await t.client.addApiAuth({ body: { data: { type: 'fixedField', configJSON: { fields: [{ location: 'body', name: 'key', value: 'k' }] } } } })).id;
    const id = (await t.client.addAsyncApi({ body: { data: { funcId: 'auth__fn.echo', funcCallKwargsJSON: {}, apiAuthId: authId } } })).id;
    expect((await t.api('POST', `/api/v1/async/${id}`, { kwargs: {} })).status).toBe(401);
    expect((await t.api('POST', `/api/v1/async/${id}`, { kwargs: {}, key: 'k' })).status).toBe(200);
  });
});

describe("a fixedField API auth's secrets in task records", () => {
  it('are masked in the record a viewer reads (headers, query, body, URLs); the function gets what DataFlux Func gives it', async () => {
    const authId = (
      await t.client.addApiAuth({
        body: {
          data: {
            type: 'fixedField',
            configJSON: {
              fields: [
                { location: 'header', name: 'X-Client-Code', value: 'hdr-secret-s1' },
                { location: 'query', name: 'code', value: 'qry-secret-s2' },
                { location: 'body', name: 'pin', value: 'body-secret-s3' },
              ],
            },
          },
        },
      })
    ).id;
    const id = await t.add('/api/v1/sync-apis/do/add', { funcId: 'auth__fn.request', funcCallKwargsJSON: { x: 'INPUT_BY_CALLER' }, apiAuthId: authId });
    const byHeader = await t.api('GET', `/api/v1/sync/${id}/simplified?x=h`, undefined, { 'x-client-code': 'hdr-secret-s1' });
    expect(byHeader.status, byHeader.text).toBe(200);
    // As DataFlux Func: the header stays for the function; a query or body field is deleted (not a kwarg either); the URL keeps its query.
    expect(byHeader.body).toMatchObject({ x: 'h', header: 'hdr' });
    const byQuery = await t.api('GET', `/api/v1/sync/${id}/simplified?x=q&code=qry-secret-s2`);
    expect(byQuery.status, byQuery.text).toBe(200);
    expect(byQuery.body).toMatchObject({ x: 'q', query: ['x'], urlCode: true });
    const byBody = await t.api('POST', `/api/v1/sync/${id}/simplified`, { x: 'b', pin: 'body-secret-s3' });
    expect(byBody.status, byBody.text).toBe(200);
    expect(byBody.body).toMatchObject({ x: 'b', body: ['x'] });

    await t.add('/api/v1/users/do/add', { username: 'records-viewer', name: 'Viewer', password: 'viewer-password-1', roles: ['readonlyUser'] });
    const signIn = await t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'records-viewer', password: 'viewer-password-1' } });
    const viewer = { 'x-dff-auth-token': (signIn.data as { xAuthToken: string }).xAuthToken };
    const records = await eventually(async () => {
      const list = await t.api('GET', `/api/v1/task-records/do/list?originId=${id}`, undefined, viewer);
      const rows = list.data as { id: string; status: string }[];
      return rows.length === 3 && rows.every((r) => r.status === 'success') ? rows : undefined;
    });
    for (const r of records) {
      const got = await t.api('GET', `/api/v1/tasks/${r.id}`, undefined, viewer);
      expect(got.status, got.text).toBe(200);
      expect(got.text).not.toMatch(/secret-s[123]/);
    }
    const listed = await t.api('GET', `/api/v1/task-records/do/list?originId=${id}`, undefined, viewer);
    expect(listed.text).not.toMatch(/secret-s[123]/);
    const shown = (await Promise.all(records.map(async (r) => (await t.api('GET', `/api/v1/tasks/${r.id}`, undefined, viewer)).data))) as {
      httpRequest: Record<string, unknown>;
    }[];
    const requests = shown.map((r) => r.httpRequest);
    expect(requests.some((q) => (q['headers'] as Record<string, unknown>)['x-client-code'] === '***')).toBe(true);
    expect(requests.some((q) => String(q['originalUrl']).endsWith('code=***'))).toBe(true);
  });
});

describe('a disabled or expired API behind auth', () => {
  it("asks for the caller's credentials first, then answers DataFlux Func's reason", async () => {
    const basic = `Basic ${Buffer.from('dan:pa55').toString('base64')}`;
    const disabled = await apiWith('httpBasic', { users: [{ username: 'dan', password: 'pa55' }] }, { isDisabled: true });
    const expired = await apiWith('httpBasic', { users: [{ username: 'dan', password: 'pa55' }] }, { expireTime: Math.floor(Date.now() / 1000) - 60 });
    for (const [id, reason] of [
      [disabled, 'EBizCondition.SyncAPIDisabled'],
      [expired, 'EBizCondition.SyncAPIExpired'],
    ] as const) {
      const anonymous = await t.api('GET', `/api/v1/sync/${id}/simplified?x=a`);
      expect(anonymous.status, anonymous.text).toBe(401);
      expect(anonymous.text).not.toMatch(/disabled|expired/);
      const signed = await t.api('GET', `/api/v1/sync/${id}/simplified?x=a`, undefined, { authorization: basic });
      expect(signed.status, signed.text).toBe(403);
      expect(signed.body.reason).toBe(reason);
    }
    const authId = (await t.client.addApiAuth({ body: { data: { type: 'httpBasic', configJSON: { users: [{ username: 'dan', password: 'pa55' }] } } } })).id;
    const asyncId = (await t.client.addAsyncApi({ body: { data: { funcId: 'auth__fn.echo', funcCallKwargsJSON: {}, apiAuthId: authId, isDisabled: true } } })).id;
    expect((await t.api('POST', `/api/v1/async/${asyncId}`, { kwargs: {} })).status).toBe(401);
    const r = await t.api('POST', `/api/v1/async/${asyncId}`, { kwargs: {} }, { authorization: basic });
    expect(r.status, r.text).toBe(403);
    expect(r.body.reason).toBe('EBizCondition.AsyncAPIDisabled');
  });
});

describe('throttling', () => {
  it('answers 429 with the rule and the seconds to wait once a window is full', async () => {
    const id = (await t.client.addSyncApi({ body: { data: { funcId: 'auth__fn.echo', funcCallKwargsJSON: {}, throttlingJSON: { byMinute: 3 } } } })).id;
    for (let i = 0; i < 3; i++) expect((await t.api('GET', `/api/v1/sync/${id}`)).status).toBe(200);
    const r = await t.api('GET', `/api/v1/sync/${id}`);
    expect(r.status).toBe(429);
    expect(r.body.reason).toBe('EClientRateLimit.APIThrottling');
    expect(r.body.detail).toMatchObject({ rule: 'byMinute', limit: 3 });
    expect(Number(r.body.detail?.waitSeconds)).toBeGreaterThan(0);
    expect(Number(r.body.detail?.waitSeconds)).toBeLessThanOrEqual(60);
  });
});
