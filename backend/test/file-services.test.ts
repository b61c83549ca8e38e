/**
 * File services (DataFlux Func's file-services and /api/v1/fs/:id/*): CRUD like the other
 * entities, files served with their content type (sandboxed), folders listed, disabled services
 * refused, and no path leaving the service's root or the resources folder.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestStack, type ApiResponse } from '../src/testing/test-stack.js';

const home = mkdtempSync(join(tmpdir(), 'func-fsvc-'));
const root = join(home, 'resources');
const outside = mkdtempSync(join(tmpdir(), 'func-fsvc-outside-'));
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const t = useTestStack({}, { FUNC_RESOURCES_DIR: root });

beforeAll(() => {
  mkdirSync(join(root, 'site', 'css'), { recursive: true });
  writeFileSync(join(root, 'site', 'index.html'), '<h1>hi</h1>');
  writeFileSync(join(root, 'site', 'css', 'a.css'), 'body{}');
  writeFileSync(join(root, 'site', 'data.json'), '{"a":1}');
  writeFileSync(join(root, 'private.txt'), 'not served');
  writeFileSync(join(outside, 'secret.txt'), 'outside');
  symlinkSync(outside, join(root, 'site', 'out-link'));
});

const get = (path: string): Promise<ApiResponse> => t.api('GET', path);

function expectRefused(r: ApiResponse, status: number, field: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.body.detail?.field).toBe(field);
}

describe('file-services', () => {
  it('CRUD: add (id generated or given), list, get, modify, delete; GET …/do/delete as DataFlux', async () => {
    const id = await t.add('/api/v1/file-services/do/add', { root: 'site/', note: 'the site' });
    expect(id).toMatch(/^fsvc/);
    const got = await t.admin('GET', `/api/v1/file-services/${id}/do/get`);
    expect(got.data).toMatchObject({ id, root: '/site', isDisabled: false, note: 'the site' });
    expect((await t.admin('GET', '/api/v1/file-services/do/list?root=/site')).data).toEqual([expect.objectContaining({ id })]);
    expect((await t.admin('POST', `/api/v1/file-services/${id}/do/modify`, { data: { note: null } })).status).toBe(200);
    expect((await t.admin('GET', `/api/v1/file-services/${id}/do/delete`)).status).toBe(200);
    expect((await t.admin('GET', `/api/v1/file-services/${id}/do/get`)).status).toBe(404);
  });

  it('serves files with their content type and lists folders', async () => {
    await t.add('/api/v1/file-services/do/add', { id: 'site', root: '/site' });
    const html = await get('/api/v1/fs/site/index.html');
    expect(html.status).toBe(200);
    expect(html.text).toBe('<h1>hi</h1>');
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/api/v1/fs/site/css/a.css')).headers['content-type']).toContain('text/css');
    expect((await get('/api/v1/fs/site/data.json')).text).toBe('{"a":1}');
    const dir = await get('/api/v1/fs/site/');
    expect(dir.status).toBe(200);
    expect(dir.headers['content-type']).toContain('text/html');
    expect(dir.text).toContain('href="css/"');
    expect(dir.text).toContain('href="index.html"');
    expect(dir.text).not.toContain('out-link');
    const sub = await get('/api/v1/fs/site/css');
    expect(sub.status).toBe(302);
    expect(sub.headers.location).toBe('css/');
    expect((await get('/api/v1/fs/site')).headers.location).toBe('site/');
    expect((await get('/api/v1/fs/site/css/')).text).toContain('href="../"');
    expectRefused(await get('/api/v1/fs/site/nothing.txt'), 404, 'url');
    expectRefused(await get('/api/v1/fs/nope/index.html'), 404, 'id');
  });

  it('a disabled service is refused', async () => {
    await t.add('/api/v1/file-services/do/add', { id: 'off', root: '/site', isDisabled: true });
    const r = await get('/api/v1/fs/off/index.html');
    expect(r.status).toBe(403);
    expect(r.body.reason).toBe('EBizCondition');
    expect((await t.admin('POST', '/api/v1/file-services/off/do/modify', { data: { isDisabled: false } })).status).toBe(200);
    expect((await get('/api/v1/fs/off/index.html')).status).toBe(200);
  });

  it('no path leaves the service: .., encoded .., absolute paths, symbolic links out', async () => {
    // Over a socket: an in-process request would have its URL normalised before the router.
    const base = new URL(await t.stack.listen());
    const raw = (path: string): Promise<ApiResponse> =>
      new Promise((resolve, reject) => {
        request({ host: base.hostname, port: base.port, path }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => {
            const body = JSON.parse(text) as ApiResponse['body'];
            resolve({ status: res.statusCode ?? 0, body, data: body.data, text, headers: res.headers });
          });
        })
          .on('error', reject)
          .end();
      });
    expectRefused(await raw('/api/v1/fs/site/../private.txt'), 400, 'url');
    expectRefused(await raw('/api/v1/fs/site/%2e%2e/private.txt'), 400, 'url');
    expectRefused(await raw('/api/v1/fs/site/css/..%2f..%2fprivate.txt'), 400, 'url');
    expectRefused(await get(`/api/v1/fs/site/${encodeURIComponent(join(outside, 'secret.txt'))}`), 404, 'url');
    expectRefused(await get(`/api/v1/fs/site/${join(outside, 'secret.txt')}`), 404, 'url');
    expectRefused(await get('/api/v1/fs/site/out-link/secret.txt'), 403, 'url');
    // A root that leaves the resources folder cannot be set; one through a link out is refused when served.
    expectRefused(await t.admin('POST', '/api/v1/file-services/do/add', { data: { root: '../..' } }), 400, 'root');
    expectRefused(await t.admin('POST', '/api/v1/file-services/site/do/modify', { data: { root: '/site/../..' } }), 400, 'root');
    await t.add('/api/v1/file-services/do/add', { id: 'linked', root: '/site/out-link' });
    expectRefused(await get('/api/v1/fs/linked/secret.txt'), 403, 'root');
  });

  it('bad input answers 4xx naming the field', async () => {
    expectRefused(await t.admin('POST', '/api/v1/file-services/do/add', { data: {} }), 400, 'body.data.root');
    expectRefused(await t.admin('POST', '/api/v1/file-services/do/add', { data: { root: '/x', isDisabled: 'no' } }), 400, 'body.data.isDisabled');
    expectRefused(await t.admin('POST', '/api/v1/file-services/do/add', { data: { id: 'bad id!', root: '/x' } }), 400, 'body.data.id');
    expect((await t.admin('POST', '/api/v1/file-services/do/add', { data: { id: 'site', root: '/x' } })).status).toBe(409);
  });

  it('a name longer than the OS allows answers 400 naming the url (no sign-in needed), not 500', async () => {
    await t.add('/api/v1/file-services/do/add', { id: 'long', root: '/site' });
    expectRefused(await get(`/api/v1/fs/long/${'n'.repeat(300)}`), 400, 'url');
    expectRefused(await get(`/api/v1/fs/long/css/${'n'.repeat(300)}/a.css`), 400, 'url');
  });
});
