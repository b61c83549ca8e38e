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

# Shaped as DataFlux Func's sample auth function: no arguments, the call's request in _DFF_HTTP_REQUEST.
@DFF.API('Token auth')
def token_auth():
    request = _DFF_HTTP_REQUEST
    return request['headers']['X-Auth-Token'] == 'TOKEN' and request['query']['auth-token'] == 'TOKEN'

@DFF.API('Seen by auth')
def seen_by_auth(**kwargs):
    DFF.STORE.set('seen', {'request': _DFF_HTTP_REQUEST, 'kwargs': kwargs, 'origin': _DFF_ORIGIN}, scope='api-auth-test')
    return True
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
    // DataFlux Func's realm: the API's.
    expect(String(none.headers['www-authenticate'])).toBe(`Basic realm="SyncAPI:${id}", charset="UTF-8"`);
    const basic = (u: string, p: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=a`, undefined, basic('ann', 'nope'))).status).toBe(401);
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=a`, undefined, basic('ann', 'pa55word'))).text).toBe('a');
  });

  it("httpDigest: answers a challenge computed as RFC 7616 says, in DataFlux Func's realm SyncAPI:<id>", async () => {
    const id = await apiWith('httpDigest', { users: [{ username: 'bob', password: 's3cret' }] });
    const uri = `/api/v1/sync/${id}/simplified?x=d`;
    const challenge = await t.api('GET', uri);
    expect(challenge.status).toBe(401);
    const header = String(challenge.headers['www-authenticate']);
    const nonce = /nonce="([^"]+)"/.exec(header)![1]!;
    expect(/realm="([^"]+)"/.exec(header)![1]).toBe(`SyncAPI:${id}`);
    // HA1 as a client computed it for DataFlux Func (its realm known beforehand).
    let realm = `SyncAPI:${id}`;
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
    // Another realm (another API's, or the one Func once used) does not pass.
    for (const other of ['Func', 'AsyncAPI:' + id]) {
      realm = other;
      expect((await t.api('GET', uri, undefined, { authorization: answer('s3cret') })).status, other).toBe(401);
    }
  });

  it('func: the auth function gets the request and decides', async () => {
    const id = await apiWith('func', { funcId: 'auth__fn.check' });
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=f`, undefined, { 'x-magic': 'no' })).status).toBe(401);
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=f`, undefined, { 'x-magic': 'open-sesame' })).text).toBe('f');
  });

  it("func: a function of no arguments reads the call's request from _DFF_HTTP_REQUEST (DataFlux Func's sample)", async () => {
    const id = await apiWith('func', { funcId: 'auth__fn.token_auth' });
    // The normal format: the query's kwargs are the function's, its other fields the auth's.
    const url = (token: string): string => `/api/v1/sync/${id}?kwargs=${encodeURIComponent('{"x":"t"}')}&auth-token=${token}`;
    const right = await t.api('GET', url('TOKEN'), undefined, { 'x-auth-token': 'TOKEN' });
    expect(right.status, right.text).toBe(200);
    expect(right.text).toBe('t');
    expect((await t.api('GET', url('TOKEN'), undefined, { 'x-auth-token': 'wrong' })).status).toBe(401);
    expect((await t.api('GET', url('wrong'), undefined, { 'x-auth-token': 'TOKEN' })).status).toBe(401);
    expect((await t.api('GET', `/api/v1/sync/${id}/simplified?x=t`, undefined, { 'x-auth-token': 'TOKEN' })).status).toBe(401);
    expect((await t.api('GET', url('TOKEN'))).status).toBe(401);
    const post = await t.api('POST', `/api/v1/sync/${id}/simplified?auth-token=TOKEN`, { x: 'p' }, { 'x-auth-token': 'TOKEN' });
    expect(post.status, post.text).toBe(200);
    expect(post.text).toBe('p');
  });

  it("func: the auth task carries the caller's request (its own credentials in, Func's left out); req only to a function taking it", async () => {
    const id = await apiWith('func', { funcId: 'auth__fn.seen_by_auth' });
    const query = `kwargs=${encodeURIComponent('{"x":"s"}')}&auth-token=q1`;
    const r = await t.api('GET', `/api/v1/sync/${id}?${query}&xDFFAuthToken=${encodeURIComponent(t.token)}`, undefined, { 'x-auth-token': 'h1' });
    expect(r.status, r.text).toBe(200);
    const seen = (await t.stack.store.funcStore.get('api-auth-test', 'seen', Date.now())) as { request: Record<string, unknown>; kwargs: Record<string, unknown>; origin: string };
    expect(seen.origin).toBe('apiAuth');
    expect(seen.request).toMatchObject({ method: 'GET', url: `/api/v1/sync/${id}`, query: { kwargs: '{"x":"s"}', 'auth-token': 'q1' }, body: {} });
    expect((seen.request.headers as Record<string, string>)['x-auth-token']).toBe('h1');
    expect(JSON.stringify(seen.request)).not.toContain(t.token);
    // **kwargs takes Func's documented req too: the same request, its url with the query string.
    expect(seen.kwargs.req).toMatchObject({ method: 'GET', url: `/api/v1/sync/${id}?${query}`, query: { kwargs: '{"x":"s"}', 'auth-token': 'q1' }, body: {} });
    expect(JSON.stringify(seen.kwargs)).not.toContain(t.token);
    // The auth task's own record keeps that req with the caller's credentials masked (a viewer reads records).
    const authRecords = await eventually(async () => {
      const rows = await t.stack.store.taskRecords.list({ origin: 'apiAuth', originId: id });
      return rows.length > 0 ? rows : undefined;
    });
    expect(authRecords[0]!.kwargsJSON.req).toMatchObject({ headers: { 'x-auth-token': '***' }, query: { 'auth-token': '***' } });
    expect(JSON.stringify(authRecords)).not.toMatch(/"h1"|"q1"|auth-token=q1/);
  });

  it('applies to async APIs too', async () => {
    const authId = (await t.client.addApiAuth({ body: { data: { type: 'fixedField', configJSON: { fields: [{ location: 'body', name: 'key', value: 'k' }] } } } })).id;
    const id = (await t.client.addAsyncApi({ body: { data: { funcId: 'auth__fn.echo', funcCallKwargsJSON: {}, apiAuthId: authId } } })).id;
    expect((await t.api('POST', `/api/v1/async/${id}`, { kwargs: {} })).status).toBe(401);
    expect((await t.api('POST', `/api/v1/async/${id}`, { kwargs: {}, key: 'k' })).status).toBe(200);
    // An async API's realm is AsyncAPI:<id>, at its old path too.
    const basicAuth = (await t.client.addApiAuth({ body: { data: { type: 'httpBasic', configJSON: { users: [{ username: 'ann', password: 'pa55word' }] } } } })).id;
    const basicApi = (await t.client.addAsyncApi({ body: { data: { funcId: 'auth__fn.echo', funcCallKwargsJSON: {}, apiAuthId: basicAuth } } })).id;
    for (const path of [`/api/v1/async/${basicApi}`, `/api/v1/bat/${basicApi}`]) {
      const r = await t.api('POST', path, { kwargs: {} });
      expect(r.status).toBe(401);
      expect(String(r.headers['www-authenticate'])).toBe(`Basic realm="AsyncAPI:${basicApi}", charset="UTF-8"`);
    }
    const digestAuth = (await t.client.addApiAuth({ body: { data: { type: 'httpDigest', configJSON: { users: [{ username: 'bob', password: 's3cret' }] } } } })).id;
    const digestApi = (await t.client.addAsyncApi({ body: { data: { funcId: 'auth__fn.echo', funcCallKwargsJSON: {}, apiAuthId: digestAuth } } })).id;
    const challenge = String((await t.api('POST', `/api/v1/async/${digestApi}`, { kwargs: {} })).headers['www-authenticate']);
    expect(challenge).toMatch(new RegExp(`^Digest realm="AsyncAPI:${digestApi}", qop="auth"`));
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
    // A refused call (4xx: an abnormal request, listed to viewers) keeps its query's names, not its values: a near-miss may be a credential.
    const refused = await t.api('GET', `/api/v1/sync/${id}/simplified?x=r&code=qry-secret-s2x`);
    expect(refused.status).toBe(401);
    const abnormal = await t.api('GET', '/api/v1/monitor/abnormal-requests/statusCode4xx/do/list', undefined, viewer);
    expect(abnormal.status, abnormal.text).toBe(200);
    expect(abnormal.text).toContain(`/api/v1/sync/${id}/simplified?x=***&code=***`);
    expect(abnormal.text).not.toMatch(/secret-s[123]/);
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
