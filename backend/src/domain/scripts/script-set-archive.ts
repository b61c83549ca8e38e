/**
 * DataFlux Func's script-set archive (a .zip): META.yaml with the sets, their scripts without
 * code and the other entities exported with them; NOTE.txt with the note; each script's published
 * code at `script-sets/<set id>/<script name>.py`. Older archives hold `scriptSets.yaml` and one
 * YAML file per entity kind instead of META.yaml; either may sit inside one top folder.
 * This module reads and writes the format; script-set-archive-import.ts applies an import.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { ENTITY_ID, scriptIdField, scriptSetIdField } from '../../../../contract/common.js';
import { ApiError } from '../../../../contract/errors.js';
import { SCRIPT_ARCHIVE } from '../../../../contract/operations/script-set-archive.js';
import { BadZipError, readZip, writeZip, type ZipEntry } from '../resources/zip.js';

/** DataFlux Func's import-export data schema version (its `IMPORT_EXPORT_DATA_SCHEMA_VERSION`). */
export const ARCHIVE_SCHEMA_VERSION = 2;
/** What an archive's files may hold in all: DataFlux Func's upload limit for an import (200 MB). */
export const ARCHIVE_MAX_TOTAL_BYTES = 200 * 1024 * 1024;
/** A script's code, as a script's draft is bounded elsewhere. */
export const ARCHIVE_MAX_CODE_CHARS = 5_000_000;
/** META.yaml (or an old layout's YAML file): the sets' and entities' fields, no code. */
export const ARCHIVE_MAX_YAML_BYTES = 20 * 1024 * 1024;

/** The entity kinds an archive may carry beside the script sets, by DataFlux Func's names, with their old names. */
export const ARCHIVE_ENTITY_KINDS = ['connectors', 'envVariables', 'syncAPIs', 'asyncAPIs', 'cronJobs'] as const;
export type ArchiveEntityKind = (typeof ARCHIVE_ENTITY_KINDS)[number];
export const OLD_ENTITY_KEYS: Readonly<Record<string, ArchiveEntityKind>> = { authLinks: 'syncAPIs', batches: 'asyncAPIs', crontabConfigs: 'cronJobs' };

export interface ArchiveScript {
  id: string;
  title: string | null;
  description: string | null;
  /** DataFlux Func's script type: python (`.py`), markdown (`.md`), or none in old archives (no extension). */
  type: string | null;
  code: string;
}

export interface ArchiveScriptSet {
  id: string;
  title: string | null;
  description: string | null;
  requirements: string | null;
  scripts: ArchiveScript[];
}

/** An archive read and checked: what an import writes (and what a check-only import stages, as JSON). */
export interface ArchiveData {
  scriptSets: ArchiveScriptSet[];
  /** The rows of each kind as the archive holds them (each has a string id); the import checks them against the entity's add schema. */
  entities: Partial<Record<ArchiveEntityKind, Record<string, unknown>[]>>;
  note: string | null;
  /** What the history keeps: the archive's data flattened, without code. */
  summary: Record<string, unknown>;
}

/** `<set>__<name>` → `<name>.py` (DataFlux Func's getScriptFilename: the extension by type, none when it has no type). */
export function scriptFilename(script: { id: string; type?: string | null | undefined }): string {
  const name = script.id.split('__').slice(1).join('__');
  const ext = script.type === 'python' ? '.py' : script.type === 'markdown' ? '.md' : '';
  return name + ext;
}

const refuse = (field: string, problem: string, extra: Record<string, unknown> = {}): ApiError => new ApiError('EClientBadRequest', `${field}: ${problem}`, { field, ...extra });

const text = (max: number) => z.string().max(max).nullable().optional();

const scriptSchema = z
  .object({
    id: scriptIdField,
    title: text(256),
    description: text(5000),
    type: z.string().max(32).nullable().optional(),
  })
  .loose();

const scriptSetSchema = z
  .object({
    id: scriptSetIdField,
    title: text(256),
    description: text(5000),
    requirements: text(5000),
    scripts: z.array(scriptSchema).max(1000).nullable().optional(),
  })
  .loose()
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    (set.scripts ?? []).forEach((s, i) => {
      if (!s.id.startsWith(`${set.id}__`)) ctx.addIssue({ code: 'custom', path: ['scripts', i, 'id'], message: `must start with "${set.id}__" (its script set's id)` });
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['scripts', i, 'id'], message: `${s.id} appears twice` });
      seen.add(s.id);
    });
  });

const entityRows = z
  .array(z.object({ id: z.string().regex(ENTITY_ID, 'must be 1 to 64 letters, digits, _ - or .') }).loose())
  .max(10_000)
  .superRefine((rows, ctx) => {
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `${r.id} appears twice` });
      seen.add(r.id);
    });
  });

const scriptSetsSchema = z
  .array(scriptSetSchema)
  .max(1000)
  .superRefine((sets, ctx) => {
    const seen = new Set<string>();
    sets.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `${s.id} appears twice` });
      seen.add(s.id);
    });
  });

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function yamlOf(file: string, content: string): unknown {
  if (Buffer.byteLength(content) > ARCHIVE_MAX_YAML_BYTES) throw refuse(file, `is larger than ${ARCHIVE_MAX_YAML_BYTES} bytes`, { file });
  try {
    return parseYaml(content, { maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw refuse(file, `is not YAML (${err instanceof Error ? err.message.split('\n')[0] : 'unreadable'})`, { file });
  }
}

/** A zod failure inside `file`, as a 400 naming the file and the path in it. */
function schemaError(file: string, where: string, error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const path = [where, ...(issue?.path ?? []).map(String)].filter((p) => p !== '').join('.');
  return new ApiError('EClientBadRequest', `${file}: ${path}: ${issue?.message ?? 'invalid'}`, { field: path, file });
}

/** The archive's files by path (folders left out), the top folder holding META.yaml (or scriptSets.yaml) taken away. */
function filesOf(zip: Buffer): Map<string, Buffer> {
  let entries: ZipEntry[];
  try {
    entries = readZip(zip, { maxTotalBytes: ARCHIVE_MAX_TOTAL_BYTES });
  } catch (err) {
    if (err instanceof BadZipError) throw new ApiError('EBizCondition', `files.0: invalid import file: ${err.message}`, { field: 'files.0' }, 'InvalidImportFile');
    throw err;
  }
  const files = new Map<string, Buffer>();
  for (const e of entries) if (e.data) files.set(e.name, Buffer.from(e.data));
  if (files.size === 0) throw new ApiError('EBizCondition', 'files.0: empty import file: the archive holds no file', { field: 'files.0' }, 'EmptyImportFile');
  const nested = [...files.keys()].find((p) => p.endsWith(`/${SCRIPT_ARCHIVE.metaFile}`)) ?? [...files.keys()].find((p) => p.endsWith('/scriptSets.yaml'));
  if (nested === undefined || files.has(SCRIPT_ARCHIVE.metaFile) || files.has('scriptSets.yaml')) return files;
  const root = nested.slice(0, nested.lastIndexOf('/') + 1);
  return new Map([...files].filter(([p]) => p.startsWith(root)).map(([p, d]) => [p.slice(root.length), d]));
}

/** DataFlux Func's exportData (META.yaml) or the old layout's files, as one mapping. */
function metaOf(files: Map<string, Buffer>): { meta: Record<string, unknown>; file: string } {
  const metaText = files.get(SCRIPT_ARCHIVE.metaFile)?.toString('utf8');
  if (metaText !== undefined) {
    const meta = yamlOf(SCRIPT_ARCHIVE.metaFile, metaText);
    if (!isMapping(meta)) throw refuse(SCRIPT_ARCHIVE.metaFile, 'must be a YAML mapping (scriptSets, extra, …)', { file: SCRIPT_ARCHIVE.metaFile });
    // Schema version 1 kept the note and export user at the top.
    if (!isMapping(meta.extra) && (meta.note !== undefined || meta.exportUser !== undefined)) {
      meta.extra = { note: meta.note ?? null, exportUser: meta.exportUser ?? null, exportTime: meta.exportTime ?? null };
    }
    return { meta, file: SCRIPT_ARCHIVE.metaFile };
  }
  const setsText = files.get('scriptSets.yaml')?.toString('utf8');
  if (setsText === undefined) {
    throw refuse('files.0', `the archive holds neither ${SCRIPT_ARCHIVE.metaFile} nor scriptSets.yaml (is it a DataFlux Func script-set export?)`);
  }
  const meta: Record<string, unknown> = { scriptSets: yamlOf('scriptSets.yaml', setsText) };
  for (const key of [...ARCHIVE_ENTITY_KINDS, ...Object.keys(OLD_ENTITY_KEYS)]) {
    const content = files.get(`${key}.yaml`)?.toString('utf8');
    if (content !== undefined) meta[key] = yamlOf(`${key}.yaml`, content);
  }
  meta.extra = { note: files.get(SCRIPT_ARCHIVE.noteFile)?.toString('utf8') ?? null };
  return { meta, file: 'scriptSets.yaml' };
}

/** Reads and checks an archive: every id, every script's file and the YAML's shape; nothing is written. */
export function readArchive(zip: Buffer): ArchiveData {
  const files = filesOf(zip);
  const { meta, file } = metaOf(files);
  const sets = scriptSetsSchema.safeParse(meta.scriptSets ?? []);
  if (!sets.success) throw schemaError(file, 'scriptSets', sets.error);
  const entities: ArchiveData['entities'] = {};
  for (const kind of ARCHIVE_ENTITY_KINDS) {
    const oldKey = Object.keys(OLD_ENTITY_KEYS).find((k) => OLD_ENTITY_KEYS[k] === kind);
    const key = meta[kind] !== undefined && meta[kind] !== null ? kind : oldKey !== undefined && meta[oldKey] !== undefined && meta[oldKey] !== null ? oldKey : undefined;
    if (key === undefined) continue;
    const where = file === SCRIPT_ARCHIVE.metaFile ? SCRIPT_ARCHIVE.metaFile : `${key}.yaml`;
    const rows = entityRows.safeParse(meta[key]);
    if (!rows.success) throw schemaError(where, file === SCRIPT_ARCHIVE.metaFile ? key : '', rows.error);
    entities[kind] = rows.data;
  }
  const scriptSets: ArchiveScriptSet[] = sets.data.map((set) => ({
    id: set.id,
    title: set.title ?? null,
    description: set.description ?? null,
    requirements: set.requirements ?? null,
    scripts: (set.scripts ?? []).map((s) => {
      const path = `${SCRIPT_ARCHIVE.scriptSetDir}/${set.id}/${scriptFilename(s)}`;
      const data = files.get(path);
      if (data && data.length > ARCHIVE_MAX_CODE_CHARS) throw refuse(path, `is larger than ${ARCHIVE_MAX_CODE_CHARS} bytes`, { file: path });
      // A script without its file is imported with no code, as DataFlux Func does.
      return { id: s.id, title: s.title ?? null, description: s.description ?? null, type: s.type ?? null, code: data?.toString('utf8') ?? '' };
    }),
  }));
  const extra = isMapping(meta.extra) ? meta.extra : {};
  const note = typeof extra.note === 'string' ? extra.note : null;
  return { scriptSets, entities, note, summary: summaryOf(meta) };
}

/**
 * DataFlux Func's flattened import-export data (`flattenImportExportData`) without code, for the
 * history: the sets without their scripts, the scripts (with scriptSetId, no code) and their
 * functions (with scriptId and scriptSetId) each in a list of its own, the rest as it is.
 */
export function summaryOf(data: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  const sets = Array.isArray(copy.scriptSets) ? (copy.scriptSets as Record<string, unknown>[]) : [];
  const scripts: Record<string, unknown>[] = [];
  const funcs: Record<string, unknown>[] = [];
  for (const set of sets) {
    const own = Array.isArray(set.scripts) ? (set.scripts as Record<string, unknown>[]) : [];
    delete set.scripts;
    for (const script of own) {
      const { code: _c, codeDraft: _d, funcs: ownFuncs, ...rest } = script;
      scripts.push({ ...rest, scriptSetId: set.id });
      if (Array.isArray(ownFuncs)) for (const f of ownFuncs as Record<string, unknown>[]) funcs.push({ ...f, scriptId: script.id, scriptSetId: set.id });
    }
  }
  return { ...copy, scriptSets: sets, scripts, funcs };
}

/** Package name → version (null when none) of the sets' requirements, one a line (DataFlux Func's reading: `pkg[extra]>=1.0` → pkg: 1.0). */
export function requirementsOf(sets: readonly { requirements: string | null }[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const set of sets) {
    for (const line of (set.requirements ?? '').split('\n')) {
      const r = line.trim();
      if (r === '') continue;
      const [pkgPart, version] = r.split(/[>=<!]=*/);
      const pkg = (pkgPart ?? '').split('[')[0]!;
      out[pkg] = version || null;
    }
  }
  return out;
}

/** The export's file name: DataFlux Func's prefix and the time in UTC+8 (it formats the time in China's zone). */
export function archiveFileName(now: number): string {
  const d = new Date(now + 8 * 3600_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  const tag = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  return `${SCRIPT_ARCHIVE.filePrefix}${tag}.zip`;
}

/** `YYYY-MM-DD HH:mm:ss` in UTC+8, as DataFlux Func writes the time in an export's default note. */
export function timeStringCN(now: number): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** An archive of `meta` (its scripts without code) and each script's code at its path. */
export function writeArchive(
  meta: Record<string, unknown>,
  codes: readonly { setId: string; script: { id: string; type: string }; code: string }[],
  note: string | null,
  now: number,
): Buffer {
  const mtime = new Date(now);
  const entries: ZipEntry[] = codes.map((c) => ({
    name: `${SCRIPT_ARCHIVE.scriptSetDir}/${c.setId}/${scriptFilename(c.script)}`,
    data: Buffer.from(c.code, 'utf8'),
    mtime,
  }));
  entries.push({ name: SCRIPT_ARCHIVE.metaFile, data: Buffer.from(stringifyYaml(meta), 'utf8'), mtime });
  if (note) entries.push({ name: SCRIPT_ARCHIVE.noteFile, data: Buffer.from(note, 'utf8'), mtime });
  return writeZip(entries);
}
