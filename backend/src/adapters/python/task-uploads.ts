/**
 * Files uploaded with a sync/async API call, as DataFlux Func hands them to the function: each
 * `kwargs.files[i]` gets a `filePath` the runner process can `open(…, 'rb')`. The bytes travel in
 * the task (`TaskMessage.uploads`, base64: server and worker share no folder); the worker writes
 * them to a folder of the task's own just before it runs and removes the folder when it ends
 * (success, failure, timeout kill, a pool closed before it ran). A worker killed outright leaves
 * its folder behind: the next runner pool started on the host removes the folders of processes
 * that are gone (`sweepStaleUploadRoots`).
 *
 * Layout: `<tmpdir>/func-uploads-<pid>-XXXXXX/` per pool (0700, or 0711 when the runners run as
 * another user: they pass through it, cannot list it), in it `<task id>-XXXXXX/` per task (0700)
 * holding `<n>_<name>` (0600), the task folder and files owned by the runners' user (or, where
 * Func may not chown, as node in the Docker image: folder 0711 and files 0644).
 */
import { chmod, chown, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskMessage, UploadedFileInfo } from '../../domain/tasks/task.js';
import type { RunnerUser } from './runner-env.js';

const PREFIX = 'func-uploads-';
const MAX_NAME_BYTES = 200;

/** A file name for `originalname` that stays inside its folder: no separators, NUL or control characters, at most 200 bytes. */
export function safeFileName(index: number, originalname: string): string {
  // One pass, stopping at the limit (a multipart part's filename may be megabytes long).
  let name = '';
  let bytes = 0;
  for (const c of originalname) {
    const size = Buffer.byteLength(c);
    if (bytes + size > MAX_NAME_BYTES) break;
    name += c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 || c === '\x7f' ? '_' : c;
    bytes += size;
  }
  return name === '' ? String(index) : `${index}_${name}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the upload folders of worker processes that are gone: `func-uploads-<pid>-…` in `base`
 * owned by this user whose process no longer runs, or made before this process started under
 * its own pid (a previous process of the same pid, as pid 1 of a restarted container).
 */
export async function sweepStaleUploadRoots(base = tmpdir()): Promise<string[]> {
  const started = Date.now() - process.uptime() * 1000 - 1000;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^func-uploads-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    const path = join(base, name);
    try {
      const st = await stat(path);
      if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) continue;
      const stale = pid === process.pid ? st.mtimeMs < started && st.birthtimeMs < started : !alive(pid);
      if (!stale) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

export interface PlacedUploads {
  /** The task as the runner gets it: `kwargs.files[i].filePath` set, no bytes. */
  task: TaskMessage;
  /** Removes the task's folder (never throws). */
  release(): Promise<void>;
}

/** The upload folders of one runner pool. */
export class UploadFolders {
  private root: Promise<string> | undefined;
  /** False once a chown was refused (no CAP_CHOWN, as node in the Docker image): files are then made readable instead. */
  private canChown = true;

  constructor(private readonly opts: { user?: RunnerUser | undefined; base?: string | undefined; chown?: typeof chown } = {}) {}

  /**
   * Gives a task's folder or file to the runners' user; where that is refused, opens it to them
   * (folder 0711, file 0644) instead: the folder's random name, in a root nobody can list, keeps it
   * from other users.
   */
  private async giveToRunners(path: string, isDir: boolean): Promise<void> {
    const user = this.opts.user;
    if (!user) return;
    if (this.canChown) {
      try {
        await (this.opts.chown ?? chown)(path, user.uid, user.gid);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
        this.canChown = false;
      }
    }
    await chmod(path, isDir ? 0o711 : 0o644);
  }

  private rootDir(): Promise<string> {
    this.root ??= (async () => {
      const dir = await mkdtemp(join(this.opts.base ?? tmpdir(), `${PREFIX}${process.pid}-`));
      if (this.opts.user) await chmod(dir, 0o711);
      return dir;
    })();
    return this.root;
  }

  /** Writes the task's uploads to a folder of its own; without uploads the task is handed back as it is. */
  async place(task: TaskMessage): Promise<PlacedUploads> {
    const uploads = task.uploads ?? [];
    const rest: TaskMessage = { ...task };
    delete rest.uploads;
    if (uploads.length === 0) return { task: rest, release: () => Promise.resolve() };
    const root = await this.rootDir();
    const dir = await mkdtemp(join(root, `${task.id.replace(/[^\w.-]/g, '_').slice(0, 64)}-`));
    const release = (): Promise<void> => rm(dir, { recursive: true, force: true }).catch(() => undefined);
    try {
      await this.giveToRunners(dir, true);
      const given = Array.isArray(task.kwargs.files) ? (task.kwargs.files as unknown[]) : [];
      const files: UploadedFileInfo[] = [];
      for (const [i, upload] of uploads.entries()) {
        const info = (given[i] ?? {}) as Partial<UploadedFileInfo>;
        const originalname = typeof info.originalname === 'string' ? info.originalname : `file${i}`;
        const filePath = join(dir, safeFileName(i, originalname));
        const bytes = Buffer.from(upload.base64, 'base64');
        await writeFile(filePath, bytes, { mode: 0o600, flag: 'wx' });
        await this.giveToRunners(filePath, false);
        files.push({ filePath, originalname, encoding: info.encoding ?? '7bit', mimetype: info.mimetype ?? 'application/octet-stream', size: bytes.length });
      }
      return { task: { ...rest, kwargs: { ...task.kwargs, files } }, release };
    } catch (err) {
      await release();
      throw err;
    }
  }

  /** Removes the pool's folder (tasks still running lose their files). */
  async close(): Promise<void> {
    if (!this.root) return;
    const root = await this.root.catch(() => undefined);
    if (root !== undefined) await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}
