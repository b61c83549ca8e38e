/**
 * The resources folder (DataFlux Func's `RESOURCE_ROOT_PATH`): files that the resource routes,
 * file services and scripts share. Every path given from outside is relative to the folder: a
 * leading `/` means the folder itself, as DataFlux Func's clients send them (`/sub/a.txt`). No path
 * leaves it: a `..` segment or a NUL is refused (400 naming the field), and a path whose existing
 * part resolves, through symbolic links, outside the folder is refused (403). What the OS would
 * refuse is refused first (400 naming the field): a name over 255 bytes, a path over PATH_MAX, a
 * file where a folder is needed.
 */
import { constants, createReadStream, type ReadStream, type Stats } from 'node:fs';
import { chown, copyFile, cp, lstat, mkdir, readdir, readlink, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { ApiError, badField } from '../../../../contract/errors.js';

export interface ResourceEntry {
  name: string;
  type: 'folder' | 'file';
  /** Bytes; null for a folder. */
  size: number | null;
  createTime: number | null;
  updateTime: number;
}

/** What DataFlux Func answers for a file's info (Node's fs.Stats as JSON). */
export interface ResourceStat {
  dev: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  blksize: number;
  ino: number;
  size: number;
  blocks: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
  atime: string;
  mtime: string;
  ctime: string;
  birthtime: string;
}

/** The owner new entries get (the runners' user, when Func runs them as another user), best effort. */
export interface ResourceOwner {
  uid: number;
  gid: number;
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function errno(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** Longest file or folder name the OS takes (NAME_MAX, bytes). */
export const NAME_MAX_BYTES = 255;
/** Longest absolute path the OS takes, its final NUL included (PATH_MAX, bytes). */
export const PATH_MAX_BYTES = 4096;

/** 400 naming the field when a name is longer than the OS allows (ENAMETOOLONG otherwise). */
export function checkNameLength(name: string, field: string): void {
  if (Buffer.byteLength(name) > NAME_MAX_BYTES) throw badField(field, `a name is longer than ${NAME_MAX_BYTES} bytes: ${name.slice(0, 40)}…`);
}

function tooLong(field: string): ApiError {
  return badField(field, `leads to a path longer than the OS allows (${PATH_MAX_BYTES - 1} bytes with the resources folder's own)`);
}

/** `abs` when the OS takes a path that long (ENAMETOOLONG otherwise), else 400 naming the field. */
function checkedLength(abs: string, field: string): string {
  if (Buffer.byteLength(abs) >= PATH_MAX_BYTES) throw tooLong(field);
  return abs;
}

/** The segments of a folder-relative path, refusing what could leave the folder or the OS would not take. */
export function pathSegments(path: string, field: string): string[] {
  if (path.includes('\0')) throw badField(field, 'must not contain a NUL character');
  if (path.includes('\\')) throw badField(field, 'must use / between folders, not \\');
  if (Buffer.byteLength(path) >= PATH_MAX_BYTES) throw badField(field, `is longer than ${PATH_MAX_BYTES - 1} bytes`);
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw badField(field, 'must not contain a .. segment (paths stay inside the resources folder)');
  for (const s of segments) checkNameLength(s, field);
  return segments;
}

export class ResourceFolder {
  constructor(
    readonly root: string,
    private readonly owner?: ResourceOwner,
  ) {}

  /** Creates the folder when missing. */
  async ensure(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o755 });
  }

  /** The folder's own real path (symbolic links in the configured path resolved). */
  private async realRoot(): Promise<string> {
    await this.ensure();
    return realpath(this.root);
  }

  /**
   * The absolute path of `path` inside the folder. The longest existing prefix is resolved through
   * symbolic links and must stay inside; with `followLast: false` the last segment itself may be
   * a link (it is then the link that is meant: removed, renamed), only its parent is resolved.
   */
  async resolve(path: string, field: string, options: { followLast?: boolean } = {}): Promise<string> {
    const segments = pathSegments(path, field);
    const root = await this.realRoot();
    const followLast = options.followLast ?? true;
    let current = root;
    for (let i = 0; i < segments.length; i++) {
      const next = join(current, segments[i]!);
      const last = i === segments.length - 1;
      let st;
      try {
        st = await lstat(next);
      } catch (err) {
        if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return checkedLength(join(next, ...segments.slice(i + 1)), field);
        if (errno(err) === 'ENAMETOOLONG') throw tooLong(field);
        throw err;
      }
      if (st.isSymbolicLink() && !(last && !followLast)) {
        let target: string;
        try {
          target = await realpath(next);
        } catch {
          // A dangling link: where it points decides.
          const link = await readlink(next);
          target = link.startsWith('/') ? link : join(current, link);
        }
        if (!isInside(root, target))
          throw new ApiError('EBizCondition', `${field}: leads out of the resources folder (symbolic link ${segments.slice(0, i + 1).join('/')})`, { field });
        current = target;
      } else {
        current = next;
      }
    }
    return checkedLength(current, field);
  }

  /** The path relative to the folder, as answers show it. */
  async relativePath(abs: string): Promise<string> {
    return (
      '/' +
      relative(await this.realRoot(), abs)
        .split(sep)
        .join('/')
    );
  }

  private async statOrNull(abs: string): Promise<Stats | null> {
    try {
      return await stat(abs);
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return null;
      throw err;
    }
  }

  /** Folders and files of a folder (symbolic links and other entries left out, as DataFlux Func does); `types` filters. */
  async list(folder: string, field: string, types?: readonly ('folder' | 'file')[]): Promise<ResourceEntry[]> {
    const abs = await this.resolve(folder, field);
    const st = await this.statOrNull(abs);
    if (!st) throw new ApiError('EClientNotFound', `${field}: no such folder: ${folder}`, { field });
    if (!st.isDirectory()) throw badField(field, `is not a folder: ${folder}`);
    const entries = await readdir(abs, { withFileTypes: true });
    const out: ResourceEntry[] = [];
    for (const e of entries) {
      const type = e.isDirectory() ? 'folder' : e.isFile() ? 'file' : null;
      if (type === null || (types && types.length > 0 && !types.includes(type))) continue;
      const s = await this.statOrNull(join(abs, e.name));
      if (!s) continue;
      out.push({ name: e.name, type, size: type === 'file' ? s.size : null, createTime: s.birthtimeMs || null, updateTime: s.ctimeMs });
    }
    return out.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'folder' ? -1 : 1));
  }

  /** A file or folder's stat, null when it does not exist. */
  async info(path: string, field: string): Promise<ResourceStat | null> {
    const s = await this.statOrNull(await this.resolve(path, field));
    if (!s) return null;
    const { dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks, atimeMs, mtimeMs, ctimeMs, birthtimeMs } = s;
    return {
      dev,
      mode,
      nlink,
      uid,
      gid,
      rdev,
      blksize,
      ino,
      size,
      blocks,
      atimeMs,
      mtimeMs,
      ctimeMs,
      birthtimeMs,
      atime: s.atime.toISOString(),
      mtime: s.mtime.toISOString(),
      ctime: s.ctime.toISOString(),
      birthtime: s.birthtime.toISOString(),
    };
  }

  /** A file to send: its path, size and a stream (refused: missing, a folder). */
  async openFile(path: string, field: string): Promise<{ abs: string; name: string; size: number; stream: ReadStream }> {
    const abs = await this.resolve(path, field);
    const s = await this.statOrNull(abs);
    if (!s) throw new ApiError('EClientNotFound', `${field}: no such file: ${path}`, { field });
    if (!s.isFile()) throw badField(field, `is not a file: ${path}`);
    return { abs, name: basename(abs), size: s.size, stream: createReadStream(abs) };
  }

  /** Gives one new entry (not what it holds) to the owner; false when not permitted (Func is not root). */
  private async ownOne(abs: string): Promise<boolean> {
    if (!this.owner) return false;
    try {
      await chown(abs, this.owner.uid, this.owner.gid);
      return true;
    } catch {
      return false; // the entry stays Func's
    }
  }

  /** Gives a new tree (a copy, an extracted archive) to the owner, each entry once. */
  private async ownTree(abs: string): Promise<void> {
    if (!(await this.ownOne(abs))) return;
    const s = await lstat(abs);
    if (s.isDirectory()) for (const name of await readdir(abs)) await this.ownTree(join(abs, name));
  }

  /**
   * Parent folders of `abs` created as needed, each given to the owner once (never a walk of what
   * is under them: a deep path costs one chown per new folder). Refused (400 naming the field)
   * when a file stands where a folder is needed.
   */
  private async ensureParent(abs: string, field: string): Promise<void> {
    const root = await this.realRoot();
    const missing: string[] = [];
    for (let d = dirname(abs); isInside(root, d) && d !== root; d = dirname(d)) {
      const s = await this.statOrNull(d);
      if (s && !s.isDirectory()) throw badField(field, `${relative(root, d).split(sep).join('/')} is a file, not a folder`);
      if (s) break;
      missing.unshift(d);
    }
    await mkdir(dirname(abs), { recursive: true });
    for (const d of missing) await this.ownOne(d);
  }

  /**
   * Writes an uploaded file (replacing one of that name), as `name` in `folder`. A name with
   * folders in it (`a/b.txt`, or a client's whole local path such as DataFlux Func's SDK sends)
   * lands in those subfolders of `folder`, created as needed, as DataFlux Func joins them; a
   * leading / is part of the name, not the top of the resources folder.
   */
  async upload(folder: string, name: string, data: Uint8Array, fields: { folder: string; name: string }): Promise<string> {
    const segments = pathSegments(name, fields.name);
    if (segments.length === 0) throw badField(fields.name, 'must name a file');
    const dir = await this.resolve(folder, fields.folder);
    const abs = await this.resolve([...pathSegments(folder, fields.folder), ...segments].join('/'), fields.name);
    if (abs === dir || !isInside(dir, abs)) throw new ApiError('EBizCondition', `${fields.name}: leads out of the folder ${folder}`, { field: fields.name });
    const existing = await this.statOrNull(abs);
    if (existing?.isDirectory()) throw new ApiError('EBizCondition', `${fields.name}: a folder of that name exists: ${name}`, { field: fields.name });
    await this.ensureParent(abs, fields.folder);
    await writeFile(abs, data);
    await this.ownOne(abs);
    return this.relativePath(abs);
  }

  async mkdir(path: string, field: string): Promise<void> {
    const abs = await this.resolve(path, field);
    if (await this.exists(abs)) throw new ApiError('EBizCondition', `${field}: exists already: ${path}`, { field });
    await this.ensureParent(abs, field);
    await mkdir(abs);
    await this.ownOne(abs);
  }

  private async exists(abs: string): Promise<boolean> {
    try {
      await lstat(abs);
      return true;
    } catch {
      return false;
    }
  }

  /** Removes a file or folder (a symbolic link: the link only). */
  async remove(path: string, field: string): Promise<void> {
    if (pathSegments(path, field).length === 0) throw badField(field, 'must name something inside the resources folder, not the folder itself');
    const abs = await this.resolve(path, field, { followLast: false });
    if (!(await this.exists(abs))) throw new ApiError('EClientNotFound', `${field}: no such file or folder: ${path}`, { field });
    await rm(abs, { recursive: true, force: true });
  }

  /**
   * Where cp/mv put `target`: `destination` starting with `/` is from the folder's top, otherwise
   * beside the target (DataFlux Func's rule). Refused when something is there already.
   */
  private async destination(targetPath: string, destination: string, fields: { target: string; destination: string }): Promise<{ from: string; to: string }> {
    if (pathSegments(targetPath, fields.target).length === 0) throw badField(fields.target, 'must name something inside the resources folder, not the folder itself');
    const from = await this.resolve(targetPath, fields.target, { followLast: false });
    if (!(await this.exists(from))) throw new ApiError('EClientNotFound', `${fields.target}: no such file or folder: ${targetPath}`, { field: fields.target });
    const parent = pathSegments(targetPath, fields.target).slice(0, -1);
    const rel = destination.startsWith('/') ? destination : [...parent, destination].join('/');
    if (pathSegments(rel, fields.destination).length === 0) throw badField(fields.destination, 'must name a path inside the resources folder');
    const to = await this.resolve(rel, fields.destination, { followLast: false });
    if (await this.exists(to)) throw new ApiError('EBizCondition', `${fields.destination}: exists already: ${destination}`, { field: fields.destination });
    if (isInside(from, to)) throw badField(fields.destination, 'must not be inside the target itself');
    return { from, to };
  }

  async move(targetPath: string, destination: string, fields: { target: string; destination: string }): Promise<void> {
    const { from, to } = await this.destination(targetPath, destination, fields);
    await this.ensureParent(to, fields.destination);
    await rename(from, to);
  }

  /** Copies a file or folder; symbolic links are copied as links only when they stay inside (others are refused by resolve). */
  async copy(targetPath: string, destination: string, fields: { target: string; destination: string }): Promise<void> {
    const { from, to } = await this.destination(targetPath, destination, fields);
    const root = await this.realRoot();
    await this.ensureParent(to, fields.destination);
    const s = await lstat(from);
    if (s.isFile()) await copyFile(from, to, constants.COPYFILE_EXCL);
    else
      await cp(from, to, {
        recursive: true,
        errorOnExist: true,
        force: false,
        verbatimSymlinks: true,
        // A link inside the copied tree that points out of the folder is not copied.
        filter: async (src) => {
          const l = await lstat(src);
          if (!l.isSymbolicLink()) return true;
          try {
            return isInside(root, await realpath(src));
          } catch {
            return false;
          }
        },
      });
    await this.ownTree(to);
  }

  /** For archive operations: the absolute path of a new entry beside `abs`, refused when it exists. */
  async newSibling(abs: string, name: string, field: string): Promise<string> {
    checkNameLength(name, field);
    const to = checkedLength(join(dirname(abs), name), field);
    if (await this.exists(to)) throw new ApiError('EBizCondition', `${field}: ${name} exists already`, { field });
    return to;
  }

  /** Gives entries written by an archive operation to the owner. */
  async owned(abs: string): Promise<void> {
    await this.ownTree(abs);
  }
}
