/**
 * A body over the server's limit (FUNC_BODY_LIMIT_MB), or an upload over the upload limit
 * (FUNC_UPLOAD_LIMIT_MB), answers 413 naming the body and the limit in bytes.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack({ lim__s: "@DFF.API('Echo')\ndef echo(**kw):\n    return kw\n" }, { FUNC_BODY_LIMIT_MB: '1', FUNC_UPLOAD_LIMIT_MB: '2' });

async function post(url: string, payload: Buffer | string, contentType: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await t.stack.app.inject({ method: 'POST', url, payload, headers: { 'x-dff-auth-token': t.token, 'content-type': contentType } });
  return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
}

describe('the body limit', () => {
  it('refuses a JSON body over FUNC_BODY_LIMIT_MB with 413 naming the body and the limit in bytes', async () => {
    const big = JSON.stringify({ data: { id: 'big', title: 'x'.repeat(1024 * 1024) } });
    const r = await post('/api/v1/script-sets/do/add', big, 'application/json');
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ reason: 'EClientPayloadTooLarge', detail: { field: 'body' } });
    expect(r.body.message).toBe('body: larger than the limit of 1048576 bytes');
  });

  it('refuses an upload over FUNC_UPLOAD_LIMIT_MB with 413 naming the upload limit in bytes', async () => {
    const boundary = 'func-body-limit';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      Buffer.alloc(2 * 1024 * 1024 + 1, 1),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await post('/api/v1/resources/do/upload', payload, `multipart/form-data; boundary=${boundary}`);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ reason: 'EClientPayloadTooLarge', detail: { field: 'body' } });
    expect(r.body.message).toBe('body: larger than the limit of 2097152 bytes');
  });
});
