/**
 * `POST /api/v1/resources/do/operate`: DataFlux Func's operations on the resources folder, done
 * in Node (no external tools): mkdir, cp, mv, rm, zip (`<target>.zip` beside it) and unarchive
 * (a `.zip` into a folder of its name beside it). `tar` and `7z` are refused (400 naming
 * `operation`): they need tools Func does not ship.
 */
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ApiError, badField } from '../../../../contract/errors.js';
import type { RESOURCE_OPERATIONS } from '../../../../contract/operations/resources.js';
import type { ResourceFolder } from './resource-folder.js';
import { BadZipError, readZip, writeZip, ZipTooLargeError, type ZipEntry } from './zip.js';

export type ResourceOperation = (typeof RESOURCE_OPERATIONS)[number];

export interface OperateInput {
  targetPath: string;
  operation: ResourceOperation;
  operationArgument?: string | null | undefined;
}

/** Largest archive unarchive reads, and largest content it writes (bytes). */
export const UNARCHIVE_LIMIT_BYTES = 1024 * 1024 * 1024;

const FIELDS = { target: 'body.targetPath', destination: 'body.operationArgument' } as const;

async function zipEntries(abs: string): Promise<ZipEntry[]> {
  const base = basename(abs);
  const out: ZipEntry[] = [];
  const walk = async (p: string, name: string): Promise<void> => {
    const s = await lstat(p);
    if (s.isSymbolicLink()) return; // links are not archived
    if (s.isDirectory()) {
      out.push({ name: `${name}/`, mtime: s.mtime });
      for (const child of (await readdir(p)).sort()) await walk(join(p, child), `${name}/${child}`);
    } else if (s.isFile()) {
      out.push({ name, data: await readFile(p), mtime: s.mtime });
    }
  };
  await walk(abs, base);
  return out;
}

/** What the OS answers when entries of one archive do not fit together (a file and a folder of one name, a path too long). */
const CONFLICTS: Record<string, string> = {
  EEXIST: 'a file and a folder of the same name',
  EISDIR: 'a file and a folder of the same name',
  ENOTDIR: 'a file and a folder of the same name',
  ENAMETOOLONG: 'a path longer than the OS allows',
};

/**
 * Writes the entries into the new folder `out`; on any failure removes what it wrote (a retry
 * finds nothing in the way), entries that do not fit together answered as a damaged archive.
 */
async function extract(out: string, entries: readonly ZipEntry[]): Promise<void> {
  await mkdir(out);
  try {
    for (const e of entries) {
      // Names were checked by readZip: no `..`, not absolute, no name over 255 bytes.
      const p = join(out, e.name);
      if (e.data === undefined) await mkdir(p, { recursive: true });
      else {
        await mkdir(dirname(p), { recursive: true });
        await writeFile(p, e.data);
      }
    }
  } catch (err) {
    await rm(out, { recursive: true, force: true });
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
    const conflict = CONFLICTS[code];
    if (conflict) throw new ApiError('EBizCondition', `${FIELDS.target}: the archive's entries do not fit together (${conflict})`, { field: FIELDS.target });
    throw err;
  }
}

export async function operateResource(folder: ResourceFolder, input: OperateInput): Promise<void> {
  const { targetPath, operation } = input;
  const argument = input.operationArgument ?? null;
  switch (operation) {
    case 'mkdir':
      return folder.mkdir(targetPath, FIELDS.target);
    case 'rm':
      return folder.remove(targetPath, FIELDS.target);
    case 'cp':
    case 'mv': {
      if (argument === null || argument.trim() === '') throw badField(FIELDS.destination, `is required for ${operation} (the new path)`);
      return operation === 'cp' ? folder.copy(targetPath, argument, FIELDS) : folder.move(targetPath, argument, FIELDS);
    }
    case 'zip': {
      const abs = await folder.resolve(targetPath, FIELDS.target);
      const exists = await lstat(abs).catch(() => null);
      if (!exists) throw new ApiError('EClientNotFound', `${FIELDS.target}: no such file or folder: ${targetPath}`, { field: FIELDS.target });
      if (abs === (await folder.resolve('/', FIELDS.target))) throw badField(FIELDS.target, 'must name something inside the resources folder, not the folder itself');
      const to = await folder.newSibling(abs, `${basename(abs)}.zip`, FIELDS.target);
      let zip: Buffer;
      try {
        zip = writeZip(await zipEntries(abs));
      } catch (err) {
        if (err instanceof ZipTooLargeError) throw new ApiError('EBizCondition', `${FIELDS.target}: ${err.message}`, { field: FIELDS.target });
        throw err;
      }
      await writeFile(to, zip, { flag: 'wx' });
      await folder.owned(to);
      return;
    }
    case 'unarchive': {
      const abs = await folder.resolve(targetPath, FIELDS.target);
      const s = await lstat(abs).catch(() => null);
      if (!s) throw new ApiError('EClientNotFound', `${FIELDS.target}: no such file: ${targetPath}`, { field: FIELDS.target });
      if (!abs.toLowerCase().endsWith('.zip') || !s.isFile())
        throw badField(FIELDS.target, 'must be a .zip file (Func unarchives zip only: tar and 7z need tools it does not ship)');
      if (s.size > UNARCHIVE_LIMIT_BYTES) throw new ApiError('EBizCondition', `${FIELDS.target}: larger than ${UNARCHIVE_LIMIT_BYTES} bytes`, { field: FIELDS.target });
      const out = await folder.newSibling(abs, basename(abs).slice(0, -'.zip'.length), FIELDS.target);
      let entries: ZipEntry[];
      try {
        entries = readZip(await readFile(abs), { maxTotalBytes: UNARCHIVE_LIMIT_BYTES });
      } catch (err) {
        if (err instanceof BadZipError) throw new ApiError('EBizCondition', `${FIELDS.target}: ${err.message}`, { field: FIELDS.target });
        throw err;
      }
      await extract(out, entries);
      await folder.owned(out);
      return;
    }
    case 'tar':
    case '7z':
      throw badField('body.operation', `${operation} is not supported by Func (it needs tools Func does not ship); zip and unarchive of .zip are`);
  }
}
