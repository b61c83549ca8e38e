/**
 * The resources folder (DataFlux Func's resource routes): list, get, download, upload (multipart),
 * operate (mkdir, cp, mv, rm, zip, unarchive), no path leaving the folder (`..`, absolute paths,
 * symbolic links out), and functions reading and writing it (DFF.RSRC, importable modules).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accessKeySign } from '../src/domain/auth/access-key-sign.js';
import { writeZip } from '../src/domain/resources/zip.js';
import { useTestStack, type ApiResponse } from '../src/testing/test-stack.js';

// Outside FUNC_HOME (0700): the runners run as another user when the tests run as root.
const parent = mkdtempSync(join(tmpdir(), 'func-resources-'));
chmodSync(parent, 0o755);
const root = join(parent, 'resources');
const outside = mkdtempSync(join(tmpdir(), 'func-outside-'));
writeFileSync(join(outside, 'secret.txt'), 'outside the folder');

afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const SCRIPT = `
import os

@DFF.API('Write a resource')
def write(path, text):
    with open(path, 'w') as f:
        f.write(text)
    return path

@DFF.API('Read a resource')
def read(path):
    with open(path) as f:
        return f.read()

@DFF.API('Write through DFF.RSRC')
def rsrc_write(name, text):
    with open(DFF.RSRC(name), 'w') as f:
        f.write(text)
    return DFF.RSRC(name)

@DFF.API('Import a module uploaded to the resources folder')
def imported():
    import uploaded_helper
    return uploaded_helper.VALUE
`;

const t = useTestStack({ rsrc__main: SCRIPT }, { FUNC_RESOURCES_DIR: root });

/** A multipart/form-data body: text fields, then one file part. */
function multipart(fields: Record<string, string>, file?: { name: string; content: string | Buffer; field?: string }): { body: Buffer; contentType: string } {
  const boundary = `----func-test-${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'files'}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    );
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(fields: Record<string, string>, file?: { name: string; content: string | Buffer }): Promise<ApiResponse> {
  const { body, contentType } = multipart(fields, file);
  const res = await t.stack.app.inject({
    method: 'POST',
    url: '/api/v1/resources/do/upload',
    payload: body,
    headers: { 'content-type': contentType, 'x-dff-auth-token': t.token },
  });
  let parsed: ApiResponse['body'] = {};
  try {
    parsed = JSON.parse(res.body) as ApiResponse['body'];
  } catch {
    parsed = {};
  }
  return { status: res.statusCode, body: parsed, data: parsed.data, text: res.body, headers: res.headers };
}

const q = encodeURIComponent;
const list = (folder: string): Promise<ApiResponse> => t.admin('GET', `/api/v1/resources/do/list?folder=${q(folder)}`);
const operate = (targetPath: string, operation: string, operationArgument?: string): Promise<ApiResponse> =>
  t.admin('POST', '/api/v1/resources/do/operate', { targetPath, operation, ...(operationArgument !== undefined ? { operationArgument } : {}) });
const names = (r: ApiResponse): string[] => (r.body.data as { name: string }[]).map((e) => e.name);

function expectRefused(r: ApiResponse, status: number, field: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.body.ok).toBe(false);
  expect(r.body.detail?.field).toBe(field);
}

describe('resources: list, get, download, upload', () => {
  it('an upload lands in its folder (created), is listed, described and downloaded', async () => {
    const up = await upload({ folder: '/docs/sub' }, { name: 'hello.txt', content: 'hello resources' });
    expect(up.status, up.text).toBe(200);
    expect(up.body).toMatchObject({ ok: true, data: null });
    expect(readFileSync(join(root, 'docs', 'sub', 'hello.txt'), 'utf8')).toBe('hello resources');

    const top = await list('/');
    expect(top.status, top.text).toBe(200);
    expect(top.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'docs', type: 'folder', size: null })]));
    const sub = await list('/docs/sub');
    expect(sub.body.data).toEqual([expect.objectContaining({ name: 'hello.txt', type: 'file', size: 15, updateTime: expect.any(Number) as number })]);
    const folders = await t.admin('GET', '/api/v1/resources/do/list?folder=/docs&type=folder');
    expect(names(folders)).toEqual(['sub']);
    const files = await t.admin('GET', '/api/v1/resources/do/list?folder=/docs&type=file');
    expect(names(files)).toEqual([]);

    const info = await t.admin('GET', '/api/v1/resources/do/get?filePath=/docs/sub/hello.txt');
    expect(info.body.data).toMatchObject({ size: 15, mtimeMs: expect.any(Number) as number });
    const none = await t.admin('GET', '/api/v1/resources/do/get?filePath=/docs/nothing.txt');
    expect(none.status).toBe(200);
    expect(none.body.data).toBeNull();

    const dl = await t.admin('GET', '/api/v1/resources/do/download?filePath=/docs/sub/hello.txt');
    expect(dl.status).toBe(200);
    expect(dl.text).toBe('hello resources');
    expect(dl.headers['content-disposition']).toContain('attachment; filename="hello.txt"');
    const preview = await t.admin('GET', '/api/v1/resources/do/download?filePath=docs/sub/hello.txt&preview=true');
    expect(preview.headers['content-type']).toContain('text/plain');
    expect(preview.headers['content-disposition']).toBeUndefined();
    expect(preview.headers['content-security-policy']).toContain('sandbox');
  });

  it('rename names the uploaded file; an upload replaces a file of that name', async () => {
    expect((await upload({ rename: 'renamed.txt' }, { name: 'orig.txt', content: 'one' })).status).toBe(200);
    expect((await upload({ rename: 'renamed.txt' }, { name: 'orig.txt', content: 'two' })).status).toBe(200);
    expect(readFileSync(join(root, 'renamed.txt'), 'utf8')).toBe('two');
    expect(existsSync(join(root, 'orig.txt'))).toBe(false);
  });

  it('a file name with folders in it lands in those subfolders, as DataFlux Func joins them (its SDK sends a whole local path)', async () => {
    const sdk = await upload({ folder: '/sdk' }, { name: '/tmp/client/dataflux_func_sdk.py', content: 'sdk' });
    expect(sdk.status, sdk.text).toBe(200);
    expect(readFileSync(join(root, 'sdk', 'tmp', 'client', 'dataflux_func_sdk.py'), 'utf8')).toBe('sdk');
    expect((await upload({ rename: 'nested/named.txt' }, { name: 'orig.txt', content: 'n' })).status).toBe(200);
    expect(readFileSync(join(root, 'nested', 'named.txt'), 'utf8')).toBe('n');
  });

  it("an upload signed with an access key over its text fields, as DataFlux Func's SDK signs it, is accepted; other fields are not", async () => {
    const key = (await t.admin('POST', '/api/v1/access-keys/do/add', { data: { name: 'uploader' } })).data as { id: string; secret: string };
    const signedUpload = async (fields: Record<string, string>, signedOver: Record<string, string>): Promise<ApiResponse> => {
      const { body, contentType } = multipart(fields, { name: 'signed.txt', content: 'signed' });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = Math.random().toString(36).slice(2);
      const sign = accessKeySign(key.secret, { method: 'POST', path: '/api/v1/resources/do/upload', timestamp, nonce, body: signedOver });
      const res = await t.stack.app.inject({
        method: 'POST',
        url: '/api/v1/resources/do/upload',
        payload: body,
        headers: { 'content-type': contentType, 'x-dff-ak-id': key.id, 'x-dff-ak-timestamp': timestamp, 'x-dff-ak-nonce': nonce, 'x-dff-ak-sign': sign },
      });
      return { status: res.statusCode, body: JSON.parse(res.body) as ApiResponse['body'], data: undefined, text: res.body, headers: res.headers };
    };
    const ok = await signedUpload({ folder: '/signed' }, { folder: '/signed' });
    expect(ok.status, ok.text).toBe(200);
    expect(readFileSync(join(root, 'signed', 'signed.txt'), 'utf8')).toBe('signed');
    expectRefused(await signedUpload({ folder: '/elsewhere' }, { folder: '/signed' }), 401, 'X-Dff-Ak-Sign');
    expect(existsSync(join(root, 'elsewhere'))).toBe(false);
  });

  it('bad input answers 4xx naming the field', async () => {
    expectRefused(await upload({ folder: '/' }), 400, 'body.files');
    expectRefused(await upload({ rename: '../b.txt' }, { name: 'x.txt', content: 'x' }), 400, 'body.rename');
    expectRefused(await upload({ rename: '/' }, { name: 'x.txt', content: 'x' }), 400, 'body.rename');
    expectRefused(await upload({ folder: '/up' }, { name: 'a/../../x.txt', content: 'x' }), 400, 'body.files.0.filename');
    expectRefused(await t.admin('GET', '/api/v1/resources/do/get'), 400, 'query.filePath');
    expectRefused(await t.admin('GET', '/api/v1/resources/do/list?type=folder,nope'), 400, 'query.type.1');
    expectRefused(await t.admin('GET', '/api/v1/resources/do/download?filePath=/docs'), 400, 'query.filePath');
    expectRefused(await t.admin('GET', '/api/v1/resources/do/download?filePath=/nothing.txt'), 404, 'query.filePath');
    expectRefused(await list('/nothing'), 404, 'query.folder');
    expectRefused(await operate('/x', 'explode'), 400, 'body.operation');
    expectRefused(await t.admin('POST', '/api/v1/resources/do/operate', { operation: 'rm' }), 400, 'body.targetPath');
  });
});

describe('resources: operate', () => {
  it('mkdir, cp, mv and rm', async () => {
    expect((await operate('/work', 'mkdir')).status).toBe(200);
    expectRefused(await operate('/work', 'mkdir'), 403, 'body.targetPath');
    writeFileSync(join(root, 'work', 'a.txt'), 'A');
    const cp = await operate('/work/a.txt', 'cp', 'b.txt');
    expect(cp.status, cp.text).toBe(200);
    expect(readFileSync(join(root, 'work', 'b.txt'), 'utf8')).toBe('A');
    expect((await operate('/work', 'cp', '/work-copy')).status).toBe(200);
    expect(readFileSync(join(root, 'work-copy', 'a.txt'), 'utf8')).toBe('A');
    expect((await operate('/work/b.txt', 'mv', '/moved/c.txt')).status).toBe(200);
    expect(existsSync(join(root, 'work', 'b.txt'))).toBe(false);
    expect(readFileSync(join(root, 'moved', 'c.txt'), 'utf8')).toBe('A');
    expectRefused(await operate('/work/a.txt', 'mv', '/moved/c.txt'), 403, 'body.operationArgument');
    expectRefused(await operate('/work/a.txt', 'mv'), 400, 'body.operationArgument');
    expectRefused(await operate('/work', 'mv', '/work/inner'), 400, 'body.operationArgument');
    expect((await operate('/work-copy', 'rm')).status).toBe(200);
    expect(existsSync(join(root, 'work-copy'))).toBe(false);
    expectRefused(await operate('/work-copy', 'rm'), 404, 'body.targetPath');
    expectRefused(await operate('/', 'rm'), 400, 'body.targetPath');
  });

  it('zip makes <name>.zip beside the target; unarchive extracts a zip into a folder of its name', async () => {
    mkdirSync(join(root, 'bundle', 'inner'), { recursive: true });
    writeFileSync(join(root, 'bundle', 'one.txt'), 'first');
    writeFileSync(join(root, 'bundle', 'inner', 'two.bin'), Buffer.from([0, 1, 2, 255]));
    const zip = await operate('/bundle', 'zip');
    expect(zip.status, zip.text).toBe(200);
    expect(existsSync(join(root, 'bundle.zip'))).toBe(true);
    expectRefused(await operate('/bundle', 'zip'), 403, 'body.targetPath');
    // Python's zipfile reads it, every CRC right.
    const py = execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip(), sorted(z.namelist()))', join(root, 'bundle.zip')], {
      encoding: 'utf8',
    });
    expect(py.trim()).toBe("None ['bundle/', 'bundle/inner/', 'bundle/inner/two.bin', 'bundle/one.txt']");
    expect((await operate('/bundle.zip', 'mv', 'copy.zip')).status).toBe(200);
    const un = await operate('/copy.zip', 'unarchive');
    expect(un.status, un.text).toBe(200);
    expect(readFileSync(join(root, 'copy', 'bundle', 'one.txt'), 'utf8')).toBe('first');
    expect([...readFileSync(join(root, 'copy', 'bundle', 'inner', 'two.bin'))]).toEqual([0, 1, 2, 255]);
    expectRefused(await operate('/copy.zip', 'unarchive'), 403, 'body.targetPath');
    expectRefused(await operate('/bundle', 'tar'), 400, 'body.operation');
    expectRefused(await operate('/bundle/one.txt', 'unarchive'), 400, 'body.targetPath');
  });

  it('a zip whose entries lead out of the folder is refused and writes nothing', async () => {
    writeFileSync(join(root, 'evil.zip'), writeZip([{ name: '../../escaped.txt', data: Buffer.from('x') }]));
    expectRefused(await operate('/evil.zip', 'unarchive'), 403, 'body.targetPath');
    expect(existsSync(join(parent, 'escaped.txt'))).toBe(false);
    expect(existsSync(join(root, 'evil'))).toBe(false);
  });
});

describe('resources: deep and long paths, files in the way', () => {
  it('a 300-level mkdir and an upload into it finish quickly, each new folder given to the runner user', async () => {
    const deep = Array.from({ length: 300 }, () => 'd').join('/');
    const started = Date.now();
    const made = await operate(`/deep/${deep}`, 'mkdir');
    expect(made.status, made.text).toBe(200);
    const up = await upload({ folder: `/deep/${deep}/more/${deep}` }, { name: 'x.txt', content: 'deep' });
    expect(up.status, up.text).toBe(200);
    // Quadratic chowns took 3 s at 200 levels, 17 s at 400.
    expect(Date.now() - started).toBeLessThan(5000);
    const abs = join(root, 'deep', ...deep.split('/'), 'more', ...deep.split('/'));
    expect(readFileSync(join(abs, 'x.txt'), 'utf8')).toBe('deep');
    if (process.getuid?.() === 0) {
      const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
      expect(statSync(join(root, 'deep')).uid).toBe(nobody);
      expect(statSync(join(abs, 'x.txt')).uid).toBe(nobody);
    }
  }, 15000);

  it('a path longer than the OS allows is refused (400 naming the field), not tried', async () => {
    expectRefused(await operate(Array.from({ length: 2100 }, () => 'd').join('/'), 'mkdir'), 400, 'body.targetPath');
    // Under 4096 bytes itself, over it with the folder's own path.
    expectRefused(await operate(Array.from({ length: 2040 }, () => 'd').join('/'), 'mkdir'), 400, 'body.targetPath');
    expect(existsSync(join(root, 'd'))).toBe(false);
  });

  it('a name over 255 bytes answers 400 naming the field on every route', async () => {
    const long = 'n'.repeat(300);
    expectRefused(await t.admin('GET', `/api/v1/resources/do/get?filePath=${long}`), 400, 'query.filePath');
    expectRefused(await list(`/${long}`), 400, 'query.folder');
    expectRefused(await t.admin('GET', `/api/v1/resources/do/download?filePath=${long}`), 400, 'query.filePath');
    for (const op of ['mkdir', 'rm', 'zip', 'unarchive']) expectRefused(await operate(`/${long}/x`, op), 400, 'body.targetPath');
    writeFileSync(join(root, 'short.txt'), 's');
    expectRefused(await operate('/short.txt', 'cp', long), 400, 'body.operationArgument');
    expectRefused(await operate('/short.txt', 'mv', `/a/${long}`), 400, 'body.operationArgument');
    expectRefused(await upload({}, { name: `${long}.txt`, content: 'x' }), 400, 'body.files.0.filename');
    expectRefused(await upload({ folder: long }, { name: 'x.txt', content: 'x' }), 400, 'body.folder');
    // <name>.zip over 255 bytes.
    mkdirSync(join(root, 'z'.repeat(253)));
    expectRefused(await operate(`/${'z'.repeat(253)}`, 'zip'), 400, 'body.targetPath');
  });

  it('a file used as a folder answers 400 naming the field', async () => {
    expect((await upload({}, { name: 'plain.txt', content: 'plain' })).status).toBe(200);
    expectRefused(await operate('/plain.txt/sub', 'mkdir'), 400, 'body.targetPath');
    expectRefused(await upload({ folder: 'plain.txt' }, { name: 'x.txt', content: 'x' }), 400, 'body.folder');
    expectRefused(await upload({ folder: 'plain.txt/deeper' }, { name: 'x.txt', content: 'x' }), 400, 'body.folder');
    expectRefused(await operate('/short.txt', 'cp', '/plain.txt/copy.txt'), 400, 'body.operationArgument');
    expect(readFileSync(join(root, 'plain.txt'), 'utf8')).toBe('plain');
  });
});

describe('resources: damaged zips', () => {
  const text = Buffer.from('a'.repeat(1000));
  /** The archive's central directory offset (from its end record). */
  const centralAt = (zip: Buffer): number => zip.readUInt32LE(zip.length - 22 + 16);

  it.each([
    [
      'conflict',
      writeZip([
        { name: 'keep.txt', data: text },
        { name: 'a', data: text },
        { name: 'a/b', data: text },
      ]),
    ],
    [
      'folderfirst',
      writeZip([
        { name: 'a/b', data: text },
        { name: 'a', data: text },
      ]),
    ],
    [
      'longname',
      writeZip([
        { name: 'ok.txt', data: text },
        { name: 'n'.repeat(300), data: text },
      ]),
    ],
    [
      'corrupt',
      (() => {
        const zip = writeZip([{ name: 'a.txt', data: text }]);
        zip[30 + 'a.txt'.length] = 0xff; // an invalid deflate block type
        return zip;
      })(),
    ],
    [
      'undersized',
      (() => {
        const zip = writeZip([{ name: 'a.txt', data: text }]);
        zip.writeUInt32LE(10, centralAt(zip) + 24); // says 10 bytes, holds 1000
        return zip;
      })(),
    ],
  ])('%s: refused like other damaged zips, nothing left behind, a retry answers the same', async (name, zip) => {
    writeFileSync(join(root, `${name}.zip`), zip);
    const first = await operate(`/${name}.zip`, 'unarchive');
    expectRefused(first, 403, 'body.targetPath');
    expect(existsSync(join(root, name))).toBe(false);
    const again = await operate(`/${name}.zip`, 'unarchive');
    expectRefused(again, 403, 'body.targetPath');
    expect(again.body.message).toBe(first.body.message);
  });
});

describe('resources: no path leaves the folder', () => {
  it('.. is refused on every route and field', async () => {
    expectRefused(await list('/docs/../..'), 400, 'query.folder');
    expectRefused(await t.admin('GET', '/api/v1/resources/do/get?filePath=../secret'), 400, 'query.filePath');
    expectRefused(await t.admin('GET', `/api/v1/resources/do/download?filePath=${q('docs/../../x')}`), 400, 'query.filePath');
    expectRefused(await upload({ folder: '../up' }, { name: 'x.txt', content: 'x' }), 400, 'body.folder');
    expectRefused(await upload({ rename: '..' }, { name: 'x.txt', content: 'x' }), 400, 'body.rename');
    expectRefused(await upload({}, { name: '../x.txt', content: 'x' }), 400, 'body.files.0.filename');
    expectRefused(await operate('/../x', 'mkdir'), 400, 'body.targetPath');
    expectRefused(await operate('/renamed.txt', 'cp', '../../copied.txt'), 400, 'body.operationArgument');
    expect(existsSync(join(parent, 'copied.txt'))).toBe(false);
  });

  it('an absolute path is read inside the folder, never from the host', async () => {
    const info = await t.admin('GET', '/api/v1/resources/do/get?filePath=/etc/passwd');
    expect(info.status).toBe(200);
    expect(info.body.data).toBeNull();
    expectRefused(await t.admin('GET', `/api/v1/resources/do/download?filePath=${q(join(outside, 'secret.txt'))}`), 404, 'query.filePath');
    expect((await operate(join(outside, 'made'), 'mkdir')).status).toBe(200);
    expect(existsSync(join(outside, 'made'))).toBe(false);
    expect(existsSync(join(root, outside, 'made'))).toBe(true);
  });

  it('symbolic links leading out are refused; links inside work', async () => {
    symlinkSync(outside, join(root, 'out-link'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link.txt'));
    symlinkSync(join(root, 'docs'), join(root, 'docs-link'));
    expect(names(await list('/'))).not.toContain('out-link'); // links are not listed (as DataFlux Func)
    expectRefused(await list('/out-link'), 403, 'query.folder');
    expectRefused(await t.admin('GET', '/api/v1/resources/do/get?filePath=/out-link/secret.txt'), 403, 'query.filePath');
    expectRefused(await t.admin('GET', '/api/v1/resources/do/download?filePath=/secret-link.txt'), 403, 'query.filePath');
    expectRefused(await upload({ folder: '/out-link' }, { name: 'planted.txt', content: 'x' }), 403, 'body.folder');
    expectRefused(await operate('/out-link/new', 'mkdir'), 403, 'body.targetPath');
    expectRefused(await operate('/renamed.txt', 'cp', '/out-link/copied.txt'), 403, 'body.operationArgument');
    expectRefused(await operate('/out-link/secret.txt', 'rm'), 403, 'body.targetPath');
    expectRefused(await operate('/out-link', 'zip'), 403, 'body.targetPath');
    expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
    expect(existsSync(join(outside, 'new'))).toBe(false);
    expect(existsSync(join(outside, 'copied.txt'))).toBe(false);
    expect(existsSync(join(outside, 'secret.txt'))).toBe(true);
    // Removing the link removes the link only.
    expect((await operate('/out-link', 'rm')).status).toBe(200);
    expect(existsSync(join(outside, 'secret.txt'))).toBe(true);
    // A link that stays inside is followed.
    expect(names(await list('/docs-link/sub'))).toEqual(['hello.txt']);
  });
});

describe('resources: functions use the folder', () => {
  it("a function (as the runners' user) writes and reads the folder; the files are the ones the routes see", async () => {
    const w = await t.admin('POST', '/api/v1/func/rsrc__main.write', { kwargs: { path: join(root, 'docs', 'from-func.txt'), text: 'written by a function' } });
    expect(w.status, w.text).toBe(200);
    const dl = await t.admin('GET', '/api/v1/resources/do/download?filePath=/docs/from-func.txt');
    expect(dl.text).toBe('written by a function');
    await upload({}, { name: 'uploaded.txt', content: 'uploaded by a user' });
    const r = await t.admin('POST', '/api/v1/func/rsrc__main.read', { kwargs: { path: join(root, 'uploaded.txt') } });
    expect((r.body.data as { result: string }).result).toBe('uploaded by a user');
    // …and may change it.
    expect((await t.admin('POST', '/api/v1/func/rsrc__main.write', { kwargs: { path: join(root, 'uploaded.txt'), text: 'changed' } })).status).toBe(200);
    expect(readFileSync(join(root, 'uploaded.txt'), 'utf8')).toBe('changed');
    // The runners' user owns what the server writes (when Func is root), so functions can change it.
    if (process.getuid?.() === 0) expect(statSync(join(root, 'uploaded.txt')).uid).toBe(statSync(root).uid);
  });

  it('DFF.RSRC is a path in the resources folder (a leading / is its top, as DataFlux)', async () => {
    const w = await t.admin('POST', '/api/v1/func/rsrc__main.rsrc_write', { kwargs: { name: '/docs/via-rsrc.txt', text: 'through RSRC' } });
    expect(w.status, w.text).toBe(200);
    expect((w.data as { result: string }).result).toBe(join(root, 'docs', 'via-rsrc.txt'));
    expect((await t.admin('GET', '/api/v1/resources/do/download?filePath=/docs/via-rsrc.txt')).text).toBe('through RSRC');
  });

  it('a module uploaded to the resources folder is importable by functions', async () => {
    expect((await upload({}, { name: 'uploaded_helper.py', content: 'VALUE = 4242\n' })).status).toBe(200);
    const r = await t.admin('POST', '/api/v1/func/rsrc__main.imported', { kwargs: {} });
    expect(r.status, r.text).toBe(200);
    expect((r.body.data as { result: number }).result).toBe(4242);
  });
});
