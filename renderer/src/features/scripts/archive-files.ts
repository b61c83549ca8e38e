/**
 * DataFlux Func's script-set archive (.zip) in the console: telling it from Func's JSON bundle,
 * reading the server's check-only answer for the preview, naming the download.
 */
import type { z } from 'zod';
import type { archiveImportResult } from '@contract/operations/script-set-archive';

export type ArchiveCheck = z.output<typeof archiveImportResult>;

/** A chosen .zip: sent as the `files` part of the import. */
export interface ArchiveFile {
  name: string;
  data: Uint8Array<ArrayBuffer>;
}

/** A zip starts with a local file header (`PK\3\4`), or is an empty archive (`PK\5\6`). */
export function isZipBytes(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && ((data[2] === 3 && data[3] === 4) || (data[2] === 5 && data[3] === 6));
}

/** The import's answer is the archive's (a check or an import), not the JSON bundle's. */
export function asArchiveCheck(answer: unknown): ArchiveCheck {
  if (typeof answer === 'object' && answer !== null && 'diff' in answer && 'requirements' in answer) return answer as ArchiveCheck;
  throw new Error('The server did not answer an archive check: is it a Func with DataFlux Func archive import?');
}

/** The kinds of an archive as the server names them in `diff`, in the order DataFlux Func's preview lists them. */
export const ARCHIVE_KINDS: readonly ArchiveKind[] = [
  { key: 'scriptSets', label: 'Script sets', one: 'script set', many: 'script sets' },
  { key: 'connectors', label: 'Connectors', one: 'connector', many: 'connectors' },
  { key: 'envVariables', label: 'Env variables', one: 'env variable', many: 'env variables' },
  { key: 'syncAPIs', label: 'Sync APIs', one: 'sync API', many: 'sync APIs' },
  { key: 'asyncAPIs', label: 'Async APIs', one: 'async API', many: 'async APIs' },
  { key: 'cronJobs', label: 'Cron jobs', one: 'cron job', many: 'cron jobs' },
];

export interface ArchiveKind {
  key: string;
  /** The heading of its list in the preview. */
  label: string;
  /** In a sentence: one of them, several. */
  one: string;
  many: string;
}

export interface PreviewRow {
  id: string;
  /** The title of a set, connector or variable; the function of an API or cron job. */
  detail: string | null;
  diffType: 'add' | 'replace';
}

export interface PreviewGroup extends ArchiveKind {
  add: number;
  replace: number;
  rows: PreviewRow[];
}

/** The diff per kind (known kinds in order, then any other the server names), empty kinds left out. */
export function previewGroups(diff: ArchiveCheck['diff']): PreviewGroup[] {
  const known = new Set(ARCHIVE_KINDS.map((k) => k.key));
  const kinds = [
    ...ARCHIVE_KINDS,
    ...Object.keys(diff)
      .filter((k) => !known.has(k))
      .map((key): ArchiveKind => ({ key, label: key, one: key, many: key })),
  ];
  const groups: PreviewGroup[] = [];
  for (const kind of kinds) {
    const entries = diff[kind.key] ?? [];
    if (entries.length === 0) continue;
    const rows = entries.map((e): PreviewRow => {
      const extra = e as { title?: unknown; funcId?: unknown };
      const detail = typeof extra.funcId === 'string' ? extra.funcId : typeof extra.title === 'string' && extra.title !== '' ? extra.title : null;
      return { id: e.id, detail, diffType: e.diffType };
    });
    groups.push({ ...kind, add: rows.filter((r) => r.diffType === 'add').length, replace: rows.filter((r) => r.diffType === 'replace').length, rows });
  }
  return groups;
}

/** `name==1.2` or `name` per package of the requirements, sorted. */
export function requirementLines(requirements: Record<string, string | null>): string[] {
  return Object.entries(requirements)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, version]) => (version ? `${name}==${version}` : name));
}

/** The server's name for the download (`dataflux-func-YYYYMMDD_HHmmss.zip`), else one of the same shape from the local clock. */
export function archiveFileName(serverName: string | null, now: Date = new Date()): string {
  if (serverName && /^[^/\\]+\.zip$/i.test(serverName)) return serverName;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `dataflux-func-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}_${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.zip`;
}

/** "2 script sets, 1 sync API": what an import brought, from its preview's groups. */
export function importedSummary(groups: PreviewGroup[]): string {
  const parts = groups.map((g) => `${g.rows.length} ${g.rows.length === 1 ? g.one : g.many}`);
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}
