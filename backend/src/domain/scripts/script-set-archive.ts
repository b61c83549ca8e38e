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
import { ApiError, issueProblem, safeParseReporting } from '../../../../contract/errors.js';
import { SCRIPT_ARCHIVE } from '../../../../contract/operations/script-set-archive.js';
import { blankConnectorSecrets, isJsonObject } from '../connectors/connector-config.js';
import { BadZipError, listZip, writeZip, type ZipDirEntry, type ZipEntry } from '../resources/zip.js';

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

function yamlOf(file: string, content: string): unknown {
  try {
    // Through JSON: what is staged and kept is JSON, and an alias that refers to itself (a cycle) is refused here.
    return JSON.parse(JSON.stringify(parseYaml(content, { maxAliasCount: 100 }) ?? null)) as unknown;
  } catch (err) {
    const cyclic = err instanceof TypeError && /circular/i.test(err.message);
    const why = cyclic ? 'an alias refers to the node that holds it (a cycle)' : err instanceof Error ? err.message.split('\n')[0] : 'unreadable';
    throw refuse(file, `is not YAML this import can read (${why})`, { file });
  }
}

/** A zod failure inside `file`, as a 400 naming the file and the path in it. */
function schemaError(file: string, where: string, error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const path = [where, ...(issue?.path ?? []).map(String)].filter((p) => p !== '').join('.');
  return new ApiError('EClientBadRequest', `${file}: ${path}: ${issueProblem(issue)}`, { field: path, file });
}

const badZip = (err: unknown): unknown =>
  err instanceof BadZipError ? new ApiError('EBizCondition', `files.0: invalid import file: ${err.message}`, { field: 'files.0' }, 'InvalidImportFile') : err;

/**
 * The archive's files by path (folders left out), the top folder holding META.yaml (or
 * scriptSets.yaml) taken away; nothing is inflated until `text` reads a file, each bounded by its
 * own limit and all of them together by `maxTotalBytes` (the bytes actually inflated).
 */
class ArchiveFiles {
  private readonly files: Map<string, ZipDirEntry>;
  private inflated = 0;

  constructor(
    zip: Buffer,
    private readonly maxTotalBytes: number,
  ) {
    let entries: ZipDirEntry[];
    try {
      entries = listZip(zip);
    } catch (err) {
      throw badZip(err);
    }
    const files = new Map(entries.filter((e) => !e.name.endsWith('/')).map((e) => [e.name, e]));
    if (files.size === 0) throw new ApiError('EBizCondition', 'files.0: empty import file: the archive holds no file', { field: 'files.0' }, 'EmptyImportFile');
    const nested = [...files.keys()].find((p) => p.endsWith(`/${SCRIPT_ARCHIVE.metaFile}`)) ?? [...files.keys()].find((p) => p.endsWith('/scriptSets.yaml'));
    if (nested === undefined || files.has(SCRIPT_ARCHIVE.metaFile) || files.has('scriptSets.yaml')) {
      this.files = files;
      return;
    }
    const root = nested.slice(0, nested.lastIndexOf('/') + 1);
    this.files = new Map([...files].filter(([p]) => p.startsWith(root)).map(([p, e]) => [p.slice(root.length), e]));
  }

  /** The file's text (undefined when the archive has none), refused unread when it records more than `maxBytes` or would take the archive past its total. */
  text(path: string, maxBytes: number): string | undefined {
    const entry = this.files.get(path);
    if (entry === undefined) return undefined;
    if (entry.size > maxBytes) throw refuse(path, `is larger than ${maxBytes} bytes`, { file: path });
    if (this.inflated + entry.size > this.maxTotalBytes) {
      throw refuse('files.0', `the archive's files hold more than ${this.maxTotalBytes} bytes in all (${path} and those read before it): the import's limit`, {
        file: path,
        maxTotalBytes: this.maxTotalBytes,
      });
    }
    let data: Buffer;
    try {
      data = entry.read();
    } catch (err) {
      throw badZip(err);
    }
    this.inflated += data.length;
    return data.toString('utf8');
  }
}

/** DataFlux Func's exportData (META.yaml) or the old layout's files, as one mapping. */
function metaOf(files: ArchiveFiles): { meta: Record<string, unknown>; file: string } {
  const metaText = files.text(SCRIPT_ARCHIVE.metaFile, ARCHIVE_MAX_YAML_BYTES);
  if (metaText !== undefined) {
    const meta = yamlOf(SCRIPT_ARCHIVE.metaFile, metaText);
    if (!isJsonObject(meta)) throw refuse(SCRIPT_ARCHIVE.metaFile, 'must be a YAML mapping (scriptSets, extra, …)', { file: SCRIPT_ARCHIVE.metaFile });
    // Schema version 1 kept the note and export user at the top.
    if (!isJsonObject(meta.extra) && (meta.note !== undefined || meta.exportUser !== undefined)) {
      meta.extra = { note: meta.note ?? null, exportUser: meta.exportUser ?? null, exportTime: meta.exportTime ?? null };
    }
    return { meta, file: SCRIPT_ARCHIVE.metaFile };
  }
  const setsText = files.text('scriptSets.yaml', ARCHIVE_MAX_YAML_BYTES);
  if (setsText === undefined) {
    throw refuse('files.0', `the archive holds neither ${SCRIPT_ARCHIVE.metaFile} nor scriptSets.yaml (is it a DataFlux Func script-set export?)`);
  }
  const meta: Record<string, unknown> = { scriptSets: yamlOf('scriptSets.yaml', setsText) };
  for (const key of [...ARCHIVE_ENTITY_KINDS, ...Object.keys(OLD_ENTITY_KEYS)]) {
    const content = files.text(`${key}.yaml`, ARCHIVE_MAX_YAML_BYTES);
    if (content !== undefined) meta[key] = yamlOf(`${key}.yaml`, content);
  }
  meta.extra = { note: files.text(SCRIPT_ARCHIVE.noteFile, ARCHIVE_MAX_YAML_BYTES) ?? null };
  return { meta, file: 'scriptSets.yaml' };
}

export interface ReadArchiveOptions {
  /** What the files read (META.yaml or the old layout's YAML, NOTE.txt, the scripts' files) may hold in all once inflated: archiveMaxBytes(). */
  maxTotalBytes: number;
}

/** The import's limit on what an archive's files hold once inflated: the server's upload limit (FUNC_UPLOAD_LIMIT_MB), never over DataFlux Func's 200 MB. */
export const archiveMaxBytes = (uploadLimitBytes: number): number => Math.min(uploadLimitBytes, ARCHIVE_MAX_TOTAL_BYTES);

/**
 * Reads and checks an archive: every id, every script's file and the YAML's shape; nothing is
 * written. Only META.yaml (or the old layout's files) and the files of the scripts it lists are
 * inflated; any other entry is left unread.
 */
export function readArchive(zip: Buffer, options: ReadArchiveOptions): ArchiveData {
  const files = new ArchiveFiles(zip, options.maxTotalBytes);
  const { meta, file } = metaOf(files);
  const sets = safeParseReporting(scriptSetsSchema, meta.scriptSets ?? []);
  if (!sets.success) throw schemaError(file, 'scriptSets', sets.error);
  const entities: ArchiveData['entities'] = {};
  for (const kind of ARCHIVE_ENTITY_KINDS) {
    const oldKey = Object.keys(OLD_ENTITY_KEYS).find((k) => OLD_ENTITY_KEYS[k] === kind);
    const key = meta[kind] !== undefined && meta[kind] !== null ? kind : oldKey !== undefined && meta[oldKey] !== undefined && meta[oldKey] !== null ? oldKey : undefined;
    if (key === undefined) continue;
    const where = file === SCRIPT_ARCHIVE.metaFile ? SCRIPT_ARCHIVE.metaFile : `${key}.yaml`;
    const rows = safeParseReporting(entityRows, meta[key]);
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
      // A script without its file is imported with no code, as DataFlux Func does.
      const code = files.text(path, ARCHIVE_MAX_CODE_CHARS) ?? '';
      return { id: s.id, title: s.title ?? null, description: s.description ?? null, type: s.type ?? null, code };
    }),
  }));
  const extra = isJsonObject(meta.extra) ? meta.extra : {};
  const note = typeof extra.note === 'string' ? extra.note : null;
  return { scriptSets, entities, note, summary: summaryOf(meta) };
}

/** Each `…Cipher` field (DataFlux Func keeps its secrets there) blanked. */
const withoutCiphers = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k.endsWith('Cipher') && v !== null ? '' : v]));

/** A connector or env variable row as the history keeps it: its secrets blanked (a connector's secret fields, header values and `…Cipher` fields; a password variable's value). */
function rowWithoutSecrets(kind: 'connectors' | 'envVariables', row: unknown): unknown {
  if (!isJsonObject(row)) return row;
  const out = withoutCiphers(row);
  if (kind === 'connectors' && isJsonObject(out.configJSON)) out.configJSON = blankConnectorSecrets(out.configJSON);
  if (kind === 'envVariables' && out.autoTypeCasting === 'password' && out.valueTEXT !== null && out.valueTEXT !== undefined) out.valueTEXT = '';
  return out;
}

/**
 * DataFlux Func's flattened import-export data (`flattenImportExportData`) without code, for the
 * history: the sets without their scripts, the scripts (with scriptSetId, no code) and their
 * functions (with scriptId and scriptSetId) each in a list of its own, the rest as it is but the
 * secrets an archive may give (blanked: the history is readable by every general_r user).
 */
export function summaryOf(data: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  for (const kind of ['connectors', 'envVariables'] as const) {
    const rows = copy[kind];
    if (Array.isArray(rows)) copy[kind] = rows.map((r) => rowWithoutSecrets(kind, r));
  }
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
