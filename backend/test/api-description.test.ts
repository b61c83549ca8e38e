/**
 * DataFlux Func's `GET /api` answered from Func's contract: the OpenAPI document for `openapi`
 * (the default) and `swagger`, under `virtualDir` when given, the operations by id in the
 * envelope for `raw`; what Func cannot give refused naming the field; the same callers as
 * `/api/v1/openapi.json`. And its deprecated `GET /api/v1/metrics`: public, a comment, no numbers.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack();

type Doc = { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };

describe('GET /api', () => {
  it('answers the OpenAPI document by default and for swagger, as /api/v1/openapi.json', async () => {
    const same = (await t.admin('GET', '/api/v1/openapi.json')).body as Doc;
    for (const url of ['/api', '/api?format=openapi', '/api?format=swagger&lang=en']) {
      const r = await t.admin('GET', url);
      expect(r.status, r.text).toBe(200);
      const doc = r.body as Doc;
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.paths['/api/v1/do/ping']?.get?.operationId).toBe('ping');
      expect(doc.paths['/api']?.get?.operationId).toBe('describeApi');
      expect(Object.keys(doc.paths).sort()).toEqual(Object.keys(same.paths).sort());
    }
  });

  it('puts every path under virtualDir, with a leading slash added and trailing ones dropped', async () => {
    for (const dir of ['func', '/func/', '/func']) {
      const doc = (await t.admin('GET', `/api?virtualDir=${encodeURIComponent(dir)}`)).body as Doc;
      expect(doc.paths['/func/api/v1/do/ping']?.get?.operationId).toBe('ping');
      expect(Object.keys(doc.paths).every((p) => p.startsWith('/func/'))).toBe(true);
    }
  });

  it('answers format=raw as the operations by id in the envelope', async () => {
    const r = await t.admin('GET', '/api?format=raw');
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ ok: true, error: 200 });
    const data = r.body.data as Record<string, Record<string, unknown>>;
    expect(typeof data.listUsers?.name).toBe('string');
    expect({ ...data.listUsers, name: 'n' }).toEqual({
      name: 'n',
      method: 'get',
      methods: ['get'],
      url: '/api/v1/users/do/list',
      requireSignIn: true,
      privilege: 'user_r',
      auth: 'signedIn',
    });
    expect(data.ping).toMatchObject({ url: '/api/v1/do/ping', requireSignIn: false, privilege: null, auth: 'none' });
    expect(data.callSyncApi?.auth).toBe('api');
    expect(data.callSyncApi?.url).toContain('/api/v1/al/:id');
    expect(data.describeApi).toMatchObject({ url: '/api', method: 'get' });
  });

  it('refuses a format or language Func cannot give, naming the field', async () => {
    const format = await t.admin('GET', '/api?format=yaml');
    expect(format.status).toBe(400);
    expect(format.body.message).toContain('query.format');
    for (const given of ['zh-CN', 'zh']) {
      const lang = await t.admin('GET', `/api?lang=${given}`);
      expect(lang.status).toBe(400);
      expect(lang.body.message).toContain('query.lang');
      expect(lang.body.message).toContain('English only');
    }
  });

  it('needs a signed-in caller with general_r, as /api/v1/openapi.json', async () => {
    const anonymous = await t.api('GET', '/api');
    expect(anonymous.status).toBe(401);
    expect((await t.api('GET', '/api?format=raw')).status).toBe(401);
    await t.client.addUser({ body: { data: { username: 'apidoc-custom', name: 'c', password: 'apidoc-password-1', roles: ['customUser'] } } });
    const { xAuthToken } = await t.client.signIn({ body: { signIn: { username: 'apidoc-custom', password: 'apidoc-password-1' } } });
    const custom = await t.api('GET', '/api', undefined, { 'x-dff-auth-token': xAuthToken });
    expect(custom.status).toBe(403);
    expect(custom.body).toMatchObject({ reason: 'EUserPrivilege' });
  });
});

describe('GET /api/v1/metrics (deprecated in DataFlux Func)', () => {
  it('answers anyone an OpenMetrics comment saying so, without numbers', async () => {
    const r = await t.api('GET', '/api/v1/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('application/openmetrics-text');
    expect(r.text).toMatch(/^# .*deprecated.*\/metrics\n$/);
  });
});
