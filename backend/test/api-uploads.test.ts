/**
 * Files uploaded (multipart/form-data) to a sync or async API reach the function as DataFlux Func
 * gives them: `files` = [{filePath, originalname, encoding, mimetype, size}], the file on disk
 * where the function (a runner, as `nobody` when the tests run as root) opens it; gone after the
 * task, however it ended; the task record keeps the metadata, never the bytes. Embedded mode.
 */
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeMultipart, type FilePart } from '../../contract/client/multipart.js';
import { eventually, useTestStack } from '../src/testing/test-stack.js';
import { READ_UPLOADS_CODE } from '../src/testing/upload-script.js';

const CODE = `${READ_UPLOADS_CODE}
@DFF.API('Fails after reading')
def fails(files=None):
    print('PATH', files[0]['filePath'])
    open(files[0]['filePath'], 'rb').read()
    raise ValueError('boom')

@DFF.API('Too slow', timeout=1)
def slow(files=None):
    print('PATH', files[0]['filePath'])
    time.sleep(30)

@DFF.API('No files taken')
def plain(a=None):
    return a
`;

const t = useTestStack({ up__main: CODE });

function form(fields: Record<string, string>, files: FilePart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----func-upload-${Math.random().toString(16).slice(2)}`;
  return { payload: Buffer.from(encodeMultipart(fields, files, boundary)), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

interface ReadResult {
  files: { keys: string[]; meta: Record<string, unknown>; filePath: string; b64: string }[];
  kwargs: Record<string, unknown>;
  uid: number;
}

/** The per-task folders of this process's runner pools (task-uploads.ts): none once tasks end. */
function uploadTaskFolders(): string[] {
  return readdirSync(tmpdir())
    .filter((n) => n.startsWith(`func-uploads-${process.pid}-`))
    .flatMap((root) => readdirSync(join(tmpdir(), root)).map((d) => join(root, d)));
}

const BYTES = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0x68, 0x69]);

async function syncApi(funcId: string): Promise<string> {
  return (await t.client.addSyncApi({ body: { data: { funcId, funcCallKwargsJSON: { a: 'INPUT_BY_CALLER' } } } })).id;
}

describe('files uploaded to a sync API', () => {
  it('reach the function as DataFlux Func gives them (simplified format): a filePath it opens, originalname, encoding, mimetype, size', async () => {
    const id = await syncApi('up__main.read');
    const { payload, headers } = form({ a: '1' }, [{ filename: 'data é.bin', contentType: 'application/x-thing', data: BYTES }]);
    const res = await t.stack.app.inject({ method: 'POST', url: `/api/v1/sync/${id}/simplified`, payload, headers });
    expect(res.statusCode, res.body).toBe(200);
    const out = JSON.parse(res.body) as ReadResult;
    expect(out.files).toHaveLength(1);
    const f = out.files[0]!;
    expect(f.keys).toEqual(['encoding', 'filePath', 'mimetype', 'originalname', 'size']);
    expect(f.meta).toEqual({ originalname: 'data é.bin', encoding: '7bit', mimetype: 'application/x-thing', size: BYTES.length });
    expect(Buffer.from(f.b64, 'base64')).toEqual(BYTES);
    expect(out.kwargs).toEqual({ a: '1' });
    if (process.getuid?.() === 0) expect(out.uid).not.toBe(0); // read by a runner running as another user
    // Gone after the task.
    expect(existsSync(f.filePath)).toBe(false);
    expect(uploadTaskFolders()).toEqual([]);
  });

  it('reach the function in the normal format too, beside the kwargs field', async () => {
    const id = await syncApi('up__main.read');
    const { payload, headers } = form({ kwargs: JSON.stringify({ a: 2 }) }, [
      { filename: 'one.txt', contentType: 'text/plain', data: Buffer.from('first') },
      { fieldName: 'other', filename: 'two.txt', contentType: 'text/plain', data: Buffer.from('second') },
    ]);
    const res = await t.stack.app.inject({ method: 'POST', url: `/api/v1/sync/${id}/normal`, payload, headers });
    expect(res.statusCode, res.body).toBe(200);
    const out = JSON.parse(res.body) as ReadResult;
    expect(out.kwargs).toEqual({ a: 2 });
    expect(out.files.map((f) => [f.meta.originalname, Buffer.from(f.b64, 'base64').toString()])).toEqual([
      ['one.txt', 'first'],
      ['two.txt', 'second'],
    ]);
  });

  it('leave the bytes out of the task record, which keeps their metadata', async () => {
    const id = await syncApi('up__main.read');
    const marker = 'UPLOADED-BYTES-MARKER-'.repeat(20);
    const { payload, headers } = form({}, [{ filename: 'm.txt', contentType: 'text/plain', data: Buffer.from(marker) }]);
    const res = await t.stack.app.inject({ method: 'POST', url: `/api/v1/sync/${id}/simplified`, payload, headers });
    expect(res.statusCode, res.body).toBe(200);
    const rec = await eventually(async () => (await t.client.listTaskRecords({ query: { origin: 'syncAPI', originId: id, status: 'success' } }))[0], 10_000, 'the record');
    const full = await t.client.getTask({ params: { id: rec.id } });
    expect(full.funcCallKwargsJSON).toEqual({ files: [{ originalname: 'm.txt', encoding: '7bit', mimetype: 'text/plain', size: marker.length }] });
    // The function returned the bytes itself (base64): the rest of the record holds none of them.
    expect(Buffer.from((full.returnValueJSON as ReadResult).files[0]!.b64, 'base64').toString()).toBe(marker);
    const text = JSON.stringify({ ...full, returnValueJSON: null });
    expect(text).not.toContain('UPLOADED-BYTES-MARKER');
    expect(text).not.toContain(Buffer.from(marker).toString('base64').slice(0, 40));
    expect((full.httpRequest as { body: unknown } | null)?.body).toEqual({});
    // Its files are gone: a replay is refused, not run with files it cannot open.
    const replay = await t.admin('POST', `/api/v1/tasks/${rec.id}/do/replay`, {});
    expect(replay.status, replay.text).toBe(403);
    expect(replay.body.reason).toBe('EBizCondition');
    expect(replay.body.message).toMatch(/uploaded/);
  });

  it('are removed when the function fails, and when it is killed past its timeout', async () => {
    for (const [func, reason] of [
      ['up__main.fails', 'EFuncFailed'],
      ['up__main.slow', 'EFuncTimeout'],
    ] as const) {
      const id = await syncApi(func);
      const { payload, headers } = form({}, [{ filename: 'x.bin', data: BYTES }]);
      const res = await t.stack.app.inject({ method: 'POST', url: `/api/v1/sync/${id}/simplified`, payload, headers });
      expect(res.statusCode, res.body).toBe(599);
      expect((JSON.parse(res.body) as { reason: string }).reason).toBe(reason);
      expect(uploadTaskFolders()).toEqual([]);
    }
  });

  it('take an empty file, many files, and a part without a filename as a field', async () => {
    const id = await syncApi('up__main.read');
    const many: FilePart[] = Array.from({ length: 60 }, (_, i) => ({ filename: `f${i}.txt`, data: Buffer.from(String(i)) }));
    const { payload, headers } = form({ a: 'text field' }, [{ filename: 'empty.txt', data: new Uint8Array(0) }, ...many]);
    const res = await t.stack.app.inject({ method: 'POST', url: `/api/v1/sync/${id}/simplified`, payload, headers });
    expect(res.statusCode, res.body).toBe(200);
    const out = JSON.parse(res.body) as ReadResult;
    expect(out.files).toHaveLength(61);
    expect(out.files[0]!.meta.size).toBe(0);
    expect(out.files[0]!.b64).toBe('');
    expect(Buffer.from(out.files[60]!.b64, 'base64').toString()).toBe('59');
    expect(out.kwargs).toEqual({ a: 'text field' });
    expect(uploadTaskFolders()).toEqual([]);
  });

  it('to a function that takes no files answer 400 naming kwargs.files', async () => {
    const id = await syncApi('up__main.plain');
    const { payload, headers } = form({}, [{ filename: 'x.bin', data: BYTES }]);
    const res = await t.stack.app.inject({ method: 'POST', url: `/api/v1/sync/${id}/simplified`, payload, headers });
    expect(res.statusCode, res.body).toBe(400);
    expect((JSON.parse(res.body) as { detail: { field: string } }).detail.field).toBe('kwargs.files');
  });
});

describe('files uploaded to an async API', () => {
  it('reach the function, and are gone after the task', async () => {
    const { id } = await t.client.addAsyncApi({ body: { data: { funcId: 'up__main.read', funcCallKwargsJSON: {} } } });
    const { payload, headers } = form({}, [{ filename: 'async.bin', contentType: 'application/octet-stream', data: BYTES }]);
    const res = await t.stack.app.inject({ method: 'POST', url: `/api/v1/async/${id}/simplified`, payload, headers });
    expect(res.statusCode, res.body).toBe(200);
    const taskId = (JSON.parse(res.body) as { data: { id: string } }).data.id;
    const done = await eventually(
      async () => {
        const task = await t.client.getTask({ params: { id: taskId } });
        return task.status === 'success' ? task : undefined;
      },
      15_000,
      'the async task',
    );
    const out = done.returnValueJSON as ReadResult;
    expect(Buffer.from(out.files[0]!.b64, 'base64')).toEqual(BYTES);
    expect(out.files[0]!.meta).toEqual({ originalname: 'async.bin', encoding: '7bit', mimetype: 'application/octet-stream', size: BYTES.length });
    expect(existsSync(out.files[0]!.filePath)).toBe(false);
    expect(JSON.stringify({ ...done, returnValueJSON: null })).not.toContain(BYTES.toString('base64'));
  });
});
