import { describe, expect, it } from 'vitest';
import { parseMultipart } from '../../backend/src/server/multipart.js';
import { ApiError } from '../errors.js';
import { createHttpClient, dispositionFilename } from './http-client.js';
import { createIpcClient } from './ipc-transport.js';
import type { FetchInitLike, FetchResponseLike } from './transport.js';

function answer(status: number, body: Uint8Array | string, headers: Record<string, string>): FetchResponseLike {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return {
    status,
    text: () => Promise.resolve(new TextDecoder().decode(bytes)),
    arrayBuffer: () => Promise.resolve(bytes.slice().buffer),
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
  };
}

describe('file answers and archive uploads of the client', () => {
  it('download answers the bytes, type and name of a raw POST (exportScriptSets), untouched by text decoding', async () => {
    const zip = new Uint8Array([0x50, 0x4b, 3, 4, 0xff, 0xfe, 0x80, 0]);
    const seen: { url: string; init: FetchInitLike }[] = [];
    const api = createHttpClient({
      baseUrl: 'http://stack',
      getToken: () => 'tok',
      fetch: (url, init) => {
        seen.push({ url, init });
        return Promise.resolve(
          answer(200, zip, {
            'content-type': 'application/zip',
            'content-disposition': `attachment; filename="dataflux-func-20261207_112233.zip"; filename*=UTF-8''dataflux-func-20261207_112233.zip`,
          }),
        );
      },
    });
    const file = await api.download('exportScriptSets', { body: { scriptSetIds: ['a', 'b'], includeSyncAPIs: true, note: 'n' } });
    expect(file.filename).toBe('dataflux-func-20261207_112233.zip');
    expect(file.contentType).toBe('application/zip');
    expect([...file.data]).toEqual([...zip]);
    expect(seen[0]?.url).toBe('http://stack/api/v1/script-sets/do/export');
    expect(seen[0]?.init.method).toBe('POST');
    expect(seen[0]?.init.headers['x-dff-auth-token']).toBe('tok');
    expect(JSON.parse(seen[0]?.init.body as string)).toEqual({ scriptSetIds: ['a', 'b'], includeSyncAPIs: true, note: 'n' });
  });

  it("download of an error answer throws the server's ApiError (message, field); a JSON success is no file", async () => {
    const api = createHttpClient({
      baseUrl: '',
      fetch: () =>
        Promise.resolve(
          answer(
            400,
            JSON.stringify({ ok: false, error: 400, reason: 'EClientBadRequest', message: 'scriptSetIds: name at least one script set', detail: { field: 'scriptSetIds' } }),
            {
              'content-type': 'application/json',
            },
          ),
        ),
    });
    const err = await api.download('exportScriptSets', { body: { scriptSetIds: [] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('scriptSetIds: name at least one script set');
    expect((err as ApiError).detail.field).toBe('scriptSetIds');
    // An envelope that is not an error is not a file either.
    const ok = createHttpClient({ baseUrl: '', fetch: () => Promise.resolve(answer(200, JSON.stringify({ ok: true, data: {} }), { 'content-type': 'application/json' })) });
    await expect(ok.download('exportScriptSets', { body: { scriptSetIds: ['a'] } })).rejects.toThrow(/answered no file/);
  });

  it('reads the file name of a Content-Disposition header, UTF-8 form first', () => {
    expect(dispositionFilename(`attachment; filename="_.zip"; filename*=UTF-8''%C3%A9t%C3%A9.zip`)).toBe('été.zip');
    expect(dispositionFilename('attachment; filename="a b.zip"')).toBe('a b.zip');
    expect(dispositionFilename('attachment; filename=plain.zip')).toBe('plain.zip');
    expect(dispositionFilename('attachment')).toBeNull();
    expect(dispositionFilename(null)).toBeNull();
  });

  it('importScriptSet with the archive in files goes as multipart/form-data with checkOnly as form text; confirm goes as JSON', async () => {
    const seen: FetchInitLike[] = [];
    const api = createHttpClient({
      baseUrl: 'http://stack',
      getToken: () => 'tok',
      fetch: (_url, init) => {
        seen.push(init);
        return Promise.resolve(
          answer(200, JSON.stringify({ ok: true, data: { requirements: {}, confirmId: 'import-x', diff: { scriptSets: [{ id: 'a', diffType: 'add' }] }, note: 'n' } }), {}),
        );
      },
    });
    const zip = new Uint8Array([0x50, 0x4b, 5, 6, 0, 13, 10]);
    const out = await api.importScriptSet({
      body: { checkOnly: 'true', files: [{ fieldName: 'files', filename: 'dataflux-func-x.zip', contentType: 'application/zip', data: zip }] },
    });
    expect(out).toMatchObject({ confirmId: 'import-x' });
    const type = seen[0]?.headers['content-type'] ?? '';
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    const parsed = parseMultipart(Buffer.from(seen[0]?.body as Uint8Array), type);
    expect(parsed.checkOnly).toBe('true');
    expect(parsed.files[0]).toMatchObject({ fieldName: 'files', filename: 'dataflux-func-x.zip', contentType: 'application/zip' });
    expect([...parsed.files[0]!.data]).toEqual([...zip]);
    await api.confirmImportScriptSets({ body: { confirmId: 'import-x' } });
    expect(seen[1]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[1]?.body as string)).toEqual({ confirmId: 'import-x' });
  });

  it('over the desktop bridge download is refused with a message, not attempted', async () => {
    const api = createIpcClient(() => Promise.resolve({ ok: true, data: null }));
    await expect(api.download('exportScriptSets', { body: { scriptSetIds: ['a'] } })).rejects.toThrow(/not available over the desktop bridge/);
  });
});
