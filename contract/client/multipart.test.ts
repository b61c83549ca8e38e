import { describe, expect, it } from 'vitest';
import { parseMultipart } from '../../backend/src/server/multipart.js';
import { createHttpClient } from './http-client.js';
import { encodeMultipart, filesOf, newBoundary } from './multipart.js';
import type { FetchInitLike } from './transport.js';

describe('multipart bodies of the client', () => {
  it('are read back by the server parser: text fields and the file bytes, a non-ASCII name', () => {
    const data = new Uint8Array([0, 1, 2, 255, 13, 10, 45, 45]);
    const boundary = newBoundary();
    const body = encodeMultipart({ folder: '/data', rename: 'b.bin', files: [] }, [{ filename: 'é "a".bin', contentType: 'application/x-thing', data }], boundary);
    const parsed = parseMultipart(Buffer.from(body), `multipart/form-data; boundary=${boundary}`);
    expect(parsed.folder).toBe('/data');
    expect(parsed.rename).toBe('b.bin');
    expect(parsed.files).toHaveLength(1);
    expect(parsed.files[0]).toMatchObject({ fieldName: 'files', filename: 'é "a".bin', contentType: 'application/x-thing' });
    expect([...parsed.files[0]!.data]).toEqual([...data]);
  });

  it('are only for bodies with file bytes', () => {
    expect(filesOf({ files: [{ filename: 'a', data: new Uint8Array(1) }] })).toHaveLength(1);
    expect(filesOf({ files: [] })).toBeNull();
    expect(filesOf({ files: [{ filename: 'a', data: 'text' }] })).toBeNull();
    expect(filesOf(null)).toBeNull();
    expect(newBoundary()).not.toBe(newBoundary());
  });

  it('uploadResource goes as multipart/form-data, other operations as JSON; rawUrl carries the token', async () => {
    const seen: FetchInitLike[] = [];
    const api = createHttpClient({
      baseUrl: 'http://stack',
      getToken: () => 'tok',
      fetch: (_url, init) => {
        seen.push(init);
        return Promise.resolve({ status: 200, text: () => Promise.resolve(JSON.stringify({ ok: true, data: null })) });
      },
    });
    await api.uploadResource({ body: { folder: 'x', files: [{ fieldName: 'files', filename: 'a.txt', contentType: 'text/plain', data: new TextEncoder().encode('hi') }] } });
    const type = seen[0]?.headers['content-type'] ?? '';
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    const parsed = parseMultipart(Buffer.from(seen[0]?.body as Uint8Array), type);
    expect(parsed.folder).toBe('x');
    expect(Buffer.from(parsed.files[0]!.data).toString()).toBe('hi');
    await api.operateResource({ body: { targetPath: 'x', operation: 'rm' } });
    expect(seen[1]?.headers['content-type']).toBe('application/json');
    expect(await api.rawUrl('downloadResource', { query: { filePath: 'a b/c.txt' } })).toBe('http://stack/api/v1/resources/do/download?filePath=a%20b%2Fc.txt&xDFFAuthToken=tok');
  });
});
