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
export const ARCHIVE_KINDS: readonly { key: string; label: string }[] = [
  { key: 'scriptSets', label: 'Script sets' },
  { key: 'connectors', label: 'Connectors' },
  { key: 'envVariables', label: 'Env variables' },
  { key: 'syncAPIs', label: 'Sync APIs' },
  { key: 'asyncAPIs', label: 'Async APIs' },
  { key: 'cronJobs', label: 'Cron jobs' },
];

export interface PreviewRow {
  id: string;
  /** The title of a set, connector or variable; the function of an API or cron job. */
  detail: string | null;
  diffType: 'add' | 'replace';
}

export interface PreviewGroup {
  key: string;
  label: string;
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
      .map((key) => ({ key, label: key })),
  ];
  const groups: PreviewGroup[] = [];
  for (const { key, label } of kinds) {
    const entries = diff[key] ?? [];
    if (entries.length === 0) continue;
    const rows = entries.map((e): PreviewRow => {
      const extra = e as { title?: unknown; funcId?: unknown };
      const detail = typeof extra.funcId === 'string' ? extra.funcId : typeof extra.title === 'string' && extra.title !== '' ? extra.title : null;
      return { id: e.id, detail, diffType: e.diffType };
    });
    groups.push({ key, label, add: rows.filter((r) => r.diffType === 'add').length, replace: rows.filter((r) => r.diffType === 'replace').length, rows });
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
