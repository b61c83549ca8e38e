/**
 * multipart/form-data bodies go only where uploads are taken (the resources upload, sync and
 * async API calls): any other route refuses one before reading it, with a 400 naming
 * Content-Type, so its own body limit holds; a sync API still receives its files.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack({
  mp__main:
    "@DFF.API('Keys')\ndef keys(**kwargs):\n    return sorted(kwargs.keys())\n\n@DFF.API('Echo')\ndef echo(**kwargs):\n    return {k: v for k, v in kwargs.items() if k != 'files'}\n",
});

/** A multipart body of these text fields (pairs: a name may come again) and one file. */
function multipart(fields: Record<string, string> | [string, string][], file: { name: string; content: Buffer }): { payload: Buffer; contentType: string } {
  const boundary = `----func-test-${Date.now()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Array.isArray(fields) ? fields : Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file.content,
    Buffer.from('\r\n'),
  );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('multipart/form-data bodies', () => {
  it('are refused by a route that takes no upload, at once, with a 400 naming Content-Type', async () => {
    const { payload, contentType } = multipart({ title: 'x' }, { name: 'big.bin', content: Buffer.alloc(8 * 1024 * 1024, 1) });
    const t0 = performance.now();
    const res = await t.stack.app.inject({
      method: 'POST',
      url: '/api/v1/scripts/mp__main/do/modify',
      payload,
      headers: { 'content-type': contentType, 'x-dff-auth-token': t.token },
    });
    expect(res.statusCode, res.body).toBe(400);
    const body = JSON.parse(res.body) as { reason: string; message: string; detail: { field?: string } };
    expect(body.reason).toBe('EClientBadRequest');
    expect(body.detail.field).toBe('Content-Type');
    expect(body.message).toMatch(/multipart\/form-data/);
    expect(performance.now() - t0).toBeLessThan(3000);
    // The server answers afterwards.
    expect((await t.admin('GET', '/api/v1/scripts/do/list')).status).toBe(200);
  });

  it('to a route that does not exist answer 404, as any request there', async () => {
    const { payload, contentType } = multipart({}, { name: 'f.bin', content: Buffer.alloc(16) });
    const res = await t.stack.app.inject({ method: 'POST', url: '/api/v1/no-such-route', payload, headers: { 'content-type': contentType, 'x-dff-auth-token': t.token } });
    expect(res.statusCode, res.body).toBe(404);
  });

  it('still reach a sync API, whose function gets the fields and the files', async () => {
    const id = await t.add('/api/v1/sync-apis/do/add', { funcId: 'mp__main.keys', funcCallKwargsJSON: {} });
    const { payload, contentType } = multipart({ a: '1' }, { name: 'f.bin', content: Buffer.alloc(1024, 2) });
    const res = await t.stack.app.inject({ method: 'POST', url: `/api/v1/sync/${id}/simplified`, payload, headers: { 'content-type': contentType } });
    expect(res.statusCode, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual(['a', 'files']);
  });

  it("nest bracket-named text fields as a form body's (DataFlux Func's multer), a name given again as a list", async () => {
    const id = await t.add('/api/v1/sync-apis/do/add', { funcId: 'mp__main.echo', funcCallKwargsJSON: { a: 'INPUT_BY_CALLER', b: 'INPUT_BY_CALLER', l: 'INPUT_BY_CALLER' } });
    const file = { name: 'f.bin', content: Buffer.alloc(4) };
    const call = async (format: string, fields: [string, string][]) => {
      const { payload, contentType } = multipart(fields, file);
      return t.stack.app.inject({ method: 'POST', url: `/api/v1/sync/${id}${format}`, payload, headers: { 'content-type': contentType } });
    };
    const normal = await call('', [
      ['kwargs[a]', '1'],
      ['kwargs[b][c]', '2'],
      ['kwargs[l][]', 'x'],
      ['kwargs[l][]', 'y'],
      ['options[returnType]', 'jsonDumps'],
    ]);
    expect(normal.statusCode, normal.body).toBe(200);
    expect(JSON.parse(normal.body)).toEqual({ a: '1', b: { c: '2' }, l: ['x', 'y'] });
    const simplified = await call('/s', [
      ['a', '1'],
      ['b[c]', '2'],
      ['l', 'x'],
      ['l', 'y'],
    ]);
    expect(simplified.statusCode, simplified.body).toBe(200);
    expect(JSON.parse(simplified.body)).toEqual({ a: '1', b: { c: '2' }, l: ['x', 'y'] });
    // The same limits: __proto__ refused, 5 levels at most, each named.
    for (const [key, field] of [
      ['kwargs[__proto__][x]', 'body.kwargs.__proto__'],
      ['a[1][2][3][4][5][6]', 'body.a.1.2.3.4.5.6'],
    ]) {
      const refused = await call('/s', [[key!, '1']]);
      expect(refused.statusCode, refused.body).toBe(400);
      expect((JSON.parse(refused.body) as { detail: { field: string } }).detail.field).toBe(field);
    }
    // More than 1000 text fields: 413, as a form body of more than 1000 pairs.
    const many = await call(
      '/s',
      Array.from({ length: 1001 }, (_, i): [string, string] => [`f${i}`, '1']),
    );
    expect(many.statusCode, many.body).toBe(413);
  });
});
