/** CORS for /api/* and /healthz from FUNC_CORS_ORIGINS (app.inject, no Python needed for these routes). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';

const ALLOWED = 'http://console.example.com:5173';
let open: TestStack;
let closed: TestStack;

beforeAll(async () => {
  [open, closed] = await Promise.all([startTestStack({ FUNC_CORS_ORIGINS: `${ALLOWED}, https://other.example.com` }), startTestStack()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([open?.close(), closed?.close()]);
});

describe('CORS', () => {
  it('an allowed origin gets the headers on answers, errors included', async () => {
    const ok = await open.api('GET', '/api/v1/scripts/do/list', undefined, { origin: ALLOWED, 'x-dff-auth-token': open.token });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(ok.headers['access-control-expose-headers']).toBe('X-Trace-Id, X-Dff-Cache, X-Client-Time, X-Request-Time, X-Response-Time, X-Request-Cost, Content-Disposition');
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    expect(ok.headers.vary).toBe('Origin');
    const denied = await open.api('GET', '/api/v1/scripts/do/list', undefined, { origin: ALLOWED });
    expect(denied.status).toBe(401);
    expect(denied.headers['access-control-allow-origin']).toBe(ALLOWED);
    const health = await open.api('GET', '/healthz', undefined, { origin: ALLOWED });
    expect(health.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('answers a preflight with 204, the allowed methods and headers', async () => {
    const r = await open.stack.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/func/a__b.c',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-dff-ak-id,x-dff-ak-sign' },
    });
    expect(r.statusCode).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(r.headers['access-control-allow-methods']).toContain('POST');
    const allowHeaders = String(r.headers['access-control-allow-headers']);
    for (const h of ['Content-Type', 'X-Dff-Auth-Token', 'X-Dff-Ak-Id', 'X-Dff-Ak-Timestamp', 'X-Dff-Ak-Nonce', 'X-Dff-Ak-Sign', 'X-Trace-Id']) expect(allowHeaders).toContain(h);
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('other origins and the console pages get no CORS headers', async () => {
    const other = await open.api('GET', '/healthz', undefined, { origin: 'http://evil.example.com' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await open.stack.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/scripts/do/list',
      headers: { origin: 'http://evil.example.com', 'access-control-request-method': 'GET' },
    });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(pre.headers['access-control-allow-headers']).toBeUndefined();
    const page = await open.stack.app.inject({ method: 'GET', url: '/overview', headers: { origin: ALLOWED } });
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('the default configuration sends none', async () => {
    const r = await closed.api('GET', '/healthz', undefined, { origin: ALLOWED });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(r.headers.vary).toBeUndefined();
    const pre = await closed.stack.app.inject({ method: 'OPTIONS', url: '/api/v1/scripts/do/list', headers: { origin: ALLOWED, 'access-control-request-method': 'GET' } });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('FUNC_CORS_ORIGINS=* allows any origin with *', async () => {
    const any = await startTestStack({ FUNC_CORS_ORIGINS: '*' });
    try {
      const r = await any.api('GET', '/healthz', undefined, { origin: 'http://anything.example' });
      expect(r.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await any.close();
    }
  });
});
