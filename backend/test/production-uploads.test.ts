/**
 * Files uploaded to a sync or async API in production mode (a server and a worker process on
 * Redis and MariaDB, sharing no folder): the bytes travel in the task, the worker writes them
 * where the function opens `files[0]['filePath']`, and removes them after the task; the task
 * record keeps their metadata, not their bytes.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMultipart, type FilePart } from '../../contract/client/multipart.js';
import { eventually } from '../src/testing/test-stack.js';
import { productionRoles } from '../src/testing/processes.js';
import { publishScript, taskSucceeded } from '../src/testing/test-client.js';
import { READ_UPLOADS_CODE } from '../src/testing/upload-script.js';

const CODE = READ_UPLOADS_CODE;

const prod = productionRoles();
const { client } = prod;

beforeAll(async () => {
  await prod.up();
  prod.role(['worker', '--queues', '0-9', '--name', 'uploads-worker']);
  await publishScript(client, 'produp__main', CODE);
}, 90_000);

afterAll(() => prod.down());

interface ReadResult {
  files: { keys: string[]; meta: Record<string, unknown>; filePath: string; b64: string }[];
  kwargs: Record<string, unknown>;
}

async function upload(url: string, fields: Record<string, string>, files: FilePart[]): Promise<{ status: number; text: string }> {
  const boundary = `----func-upload-${Math.random().toString(16).slice(2)}`;
  const res = await fetch(`${prod.base}${url}`, {
    method: 'POST',
    body: Buffer.from(encodeMultipart(fields, files, boundary)),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  return { status: res.status, text: await res.text() };
}

const BYTES = Buffer.concat([Buffer.from('PROD-UPLOAD-MARKER '.repeat(10)), Buffer.from([0, 255, 1, 254])]);

describe('files uploaded in production mode', () => {
  it('reach a sync API function with a filePath it opens and DataFlux Func metadata, gone after the task, not in the record', async () => {
    const { id } = await client.addSyncApi({ body: { data: { funcId: 'produp__main.read', funcCallKwargsJSON: { a: 'INPUT_BY_CALLER' } } } });
    const res = await upload(`/api/v1/sync/${id}/simplified`, { a: 'x' }, [{ filename: 'report.csv', contentType: 'text/csv', data: BYTES }]);
    expect(res.status, res.text).toBe(200);
    const out = JSON.parse(res.text) as ReadResult;
    const f = out.files[0]!;
    expect(f.keys).toEqual(['encoding', 'filePath', 'mimetype', 'originalname', 'size']);
    expect(f.meta).toEqual({ originalname: 'report.csv', encoding: '7bit', mimetype: 'text/csv', size: BYTES.length });
    expect(Buffer.from(f.b64, 'base64')).toEqual(BYTES);
    expect(out.kwargs).toEqual({ a: 'x' });
    // Removed by the worker once the task ended; the answer came straight from the Python process, perhaps first.
    await eventually(() => (existsSync(f.filePath) ? undefined : true), 5000, 'the uploaded file removed');

    const rec = await eventually(async () => (await client.listTaskRecords({ query: { origin: 'syncAPI', originId: id, status: 'success' } }))[0], 15_000, 'the record');
    const full = await client.getTask({ params: { id: rec.id } });
    expect(full.funcCallKwargsJSON).toEqual({ a: 'x', files: [{ originalname: 'report.csv', encoding: '7bit', mimetype: 'text/csv', size: BYTES.length }] });
    // The function returned the bytes itself (base64): the rest of the record holds none of them.
    const text = JSON.stringify({ ...full, returnValueJSON: null });
    expect(text).not.toContain('PROD-UPLOAD-MARKER');
    expect(text).not.toContain(BYTES.toString('base64').slice(0, 40));
  });

  it('reach an async API function in the normal format, gone after the task', async () => {
    const { id } = await client.addAsyncApi({ body: { data: { funcId: 'produp__main.read', funcCallKwargsJSON: { a: 'INPUT_BY_CALLER' } } } });
    const res = await upload(`/api/v1/async/${id}/normal`, { kwargs: JSON.stringify({ a: 1 }) }, [{ filename: 'a.bin', data: BYTES }]);
    expect(res.status, res.text).toBe(200);
    const taskId = (JSON.parse(res.text) as { data: { id: string } }).data.id;
    const done = await taskSucceeded(client, taskId, 20_000, 'the async task');
    const out = done.returnValueJSON as ReadResult;
    expect(out.kwargs).toEqual({ a: 1 });
    expect(Buffer.from(out.files[0]!.b64, 'base64')).toEqual(BYTES);
    expect(out.files[0]!.meta).toEqual({ originalname: 'a.bin', encoding: '7bit', mimetype: 'application/octet-stream', size: BYTES.length });
    expect(existsSync(out.files[0]!.filePath)).toBe(false);
    expect(JSON.stringify({ ...done, returnValueJSON: null })).not.toContain(BYTES.toString('base64').slice(0, 40));
  });
});
