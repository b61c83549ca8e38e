import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TaskMessage } from '../../domain/tasks/task.js';
import { safeFileName, sweepStaleUploadRoots, UploadFolders } from './task-uploads.js';

const base = mkdtempSync(join(tmpdir(), 'func-uploads-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function task(extra: Partial<TaskMessage>): TaskMessage {
  return {
    id: 'task-1',
    funcId: 's.f',
    scriptId: 's',
    funcName: 'f',
    kwargs: {},
    origin: 'syncAPI',
    originId: 'x',
    queue: 1,
    timeoutMs: 1000,
    expiresAt: 0,
    triggerTime: 0,
    ...extra,
  };
}

describe('upload folders', () => {
  it('write a task s files where kwargs.files[].filePath says, hand no bytes on, and remove them on release', async () => {
    const folders = new UploadFolders({ base });
    const placed = await folders.place(
      task({
        kwargs: { a: 1, files: [{ originalname: '../evil/name.txt', encoding: '7bit', mimetype: 'text/plain', size: 2 }] },
        uploads: [{ base64: Buffer.from('hi').toString('base64') }],
      }),
    );
    expect(placed.task.uploads).toBeUndefined();
    const files = placed.task.kwargs.files as { filePath: string }[];
    expect(placed.task.kwargs).toEqual({ a: 1, files: [{ filePath: files[0]!.filePath, originalname: '../evil/name.txt', encoding: '7bit', mimetype: 'text/plain', size: 2 }] });
    expect(readFileSync(files[0]!.filePath, 'utf8')).toBe('hi');
    expect(files[0]!.filePath.startsWith(`${base}/func-uploads-${process.pid}-`)).toBe(true);
    expect(statSync(files[0]!.filePath).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(files[0]!.filePath)).mode & 0o777).toBe(0o700);
    await placed.release();
    expect(existsSync(dirname(files[0]!.filePath))).toBe(false);
    await folders.close();
  });

  it('give the folder and files to the runners user when they run as another one', async () => {
    if (process.getuid?.() !== 0) return; // chown needs root
    const folders = new UploadFolders({ base, user: { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' } });
    const placed = await folders.place(task({ kwargs: { files: [{ originalname: 'a', encoding: '7bit', mimetype: 'x/y', size: 1 }] }, uploads: [{ base64: 'QQ==' }] }));
    const path = (placed.task.kwargs.files as { filePath: string }[])[0]!.filePath;
    expect(statSync(path).uid).toBe(65534);
    expect(statSync(dirname(path)).uid).toBe(65534);
    expect(statSync(dirname(dirname(path))).mode & 0o777).toBe(0o711);
    await folders.close();
    expect(existsSync(dirname(dirname(path)))).toBe(false);
  });

  it('open the folder and files to the runners user where chown is refused (no CAP_CHOWN)', async () => {
    const refuse = (): Promise<void> => Promise.reject(Object.assign(new Error('EPERM'), { code: 'EPERM' }));
    const folders = new UploadFolders({ base, user: { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' }, chown: refuse });
    const placed = await folders.place(task({ kwargs: { files: [{ originalname: 'a', encoding: '7bit', mimetype: 'x/y', size: 1 }] }, uploads: [{ base64: 'QQ==' }] }));
    const path = (placed.task.kwargs.files as { filePath: string }[])[0]!.filePath;
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o711);
    expect(statSync(dirname(dirname(path))).mode & 0o777).toBe(0o711);
    await folders.close();
  });

  it('name files inside their folder', () => {
    expect(safeFileName(0, '../a/b\\c\0d')).toBe('0_.._a_b_c_d');
    expect(safeFileName(3, '')).toBe('3');
    expect(Buffer.byteLength(safeFileName(1, 'é'.repeat(300)))).toBeLessThanOrEqual(202);
    // A name of megabytes (a multipart part's filename has no limit of its own) is cut in one pass.
    const t0 = performance.now();
    expect(safeFileName(2, 'x'.repeat(2_000_000))).toBe(`2_${'x'.repeat(200)}`);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('of processes that are gone are swept, those of running ones kept', async () => {
    const dead = join(base, 'func-uploads-99999999-abc');
    const live = join(base, `func-uploads-${process.pid}-def`);
    const other = join(base, 'func-uploads-1-ghi');
    for (const d of [dead, live, other]) mkdirSync(join(d, 'task-x'), { recursive: true });
    expect(await sweepStaleUploadRoots(base)).toEqual([dead]);
    expect([existsSync(dead), existsSync(live), existsSync(other)]).toEqual([false, true, true]);
  });
});
