/**
 * DataFlux Func's script-set archive: several sets (and, when asked, their APIs, cron jobs,
 * connectors and env variables) as a .zip holding META.yaml and each script's published code;
 * its import with a check-only step and a confirm, and the export and import history.
 * The import of an archive shares `POST /api/v1/script-sets/do/import` with Func's own bundle
 * (script-set-bundle.ts): a multipart/form-data body is an archive.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { ENTITY_ID } from '../common.js';
import { commaArray } from './admin.js';
import { pagingQuery } from './crud.js';
import { uploadedFile } from './resources.js';

/** DataFlux Func's config: `_SCRIPT_EXPORT_*`, `_SCRIPT_IMPORT_CONFIRM_TIMEOUT`. */
export const SCRIPT_ARCHIVE = {
  metaFile: 'META.yaml',
  noteFile: 'NOTE.txt',
  filePrefix: 'dataflux-func-',
  scriptSetDir: 'script-sets',
  confirmTimeoutS: 900,
} as const;

const ids = z.array(z.string().regex(ENTITY_ID, 'invalid id')).max(1000);
const flag = z.boolean().nullable().optional();

export const exportScriptSets = operation('exportScriptSets', 'POST /api/v1/script-sets/do/export', 'general_w', {
  summary:
    "Script sets (their scripts, published code, and when asked their sync APIs, async APIs and cron jobs, and the connectors and env variables named) as DataFlux Func's .zip archive (`dataflux-func-YYYYMMDD_HHmmss.zip`: META.yaml, NOTE.txt, script-sets/<set>/<script>.py); secrets are left out; an export history row is kept",
  raw: true,
  body: z
    .object({
      scriptSetIds: ids.min(1, 'name at least one script set'),
      connectorIds: ids.nullable().optional(),
      envVariableIds: ids.nullable().optional(),
      includeSyncAPIs: flag,
      includeAsyncAPIs: flag,
      includeCronJobs: flag,
      /** DataFlux Func's old names of the three above. */
      includeAuthLinks: flag,
      includeBatches: flag,
      includeCrontabConfigs: flag,
      note: z.string().min(1).max(5000).nullable().optional(),
    })
    .loose(),
  output: z.unknown(),
});

/** A multipart/form-data import: the archive in `files` (DataFlux Func's client sends one), `checkOnly` and `setBuiltin` as form text. */
export const archiveImportFields = {
  files: z.array(uploadedFile).min(1, 'the archive (.zip) is required as a file part').max(1, 'one archive per import').optional(),
  checkOnly: z.string().max(10).optional(),
  setBuiltin: z.string().max(10).optional(),
};

const diffEntry = z.object({ id: z.string(), diffType: z.enum(['add', 'replace']) }).loose();

/** What an archive import answers (DataFlux Func's shape). */
export const archiveImportResult = z.object({
  /** Package name → version (null when none) of the imported sets' requirements; empty for a check. */
  requirements: z.record(z.string(), z.string().nullable()),
  /** Set when `checkOnly`: confirm with it within 900 s; null otherwise. */
  confirmId: z.string().nullable(),
  /** Per kind (scriptSets, connectors, envVariables, syncAPIs, asyncAPIs, cronJobs): what the archive adds and what it replaces. */
  diff: z.record(z.string(), z.array(diffEntry)),
  note: z.string().nullable(),
});

export const confirmImportScriptSets = operation('confirmImportScriptSets', 'POST /api/v1/script-sets/do/confirm-import', 'general_w', {
  summary: 'Import the archive a check-only import staged (its confirmId is good once, for 900 s)',
  body: z.object({ confirmId: z.string().min(1).max(64) }).loose(),
  output: z.object({ requirements: z.record(z.string(), z.string().nullable()) }),
});

export const scriptSetHistoryRow = z.object({
  seq: z.number(),
  id: z.string(),
  note: z.string().nullable(),
  summaryJSON: z.record(z.string(), z.unknown()),
  createTime: z.number(),
  updateTime: z.number(),
});

const historyQuery = z
  .object({
    id: commaArray.optional(),
    note: z.string().max(1000).optional(),
    /** DataFlux Func's fuzzy search: its history lists search the note. */
    _fuzzySearch: z.string().max(1000).optional(),
    ...pagingQuery(1000),
  })
  .loose();

export const listScriptSetExportHistory = operation('listScriptSetExportHistory', 'GET /api/v1/script-set-export-history/do/list', 'general_r', {
  summary: 'Script-set exports, newest first: note and summary (what went out, without code)',
  fieldSelecting: true,
  query: historyQuery,
  output: z.array(scriptSetHistoryRow),
});

export const listScriptSetImportHistory = operation('listScriptSetImportHistory', 'GET /api/v1/script-set-import-history/do/list', 'general_r', {
  summary: 'Script-set archive imports, newest first: note and summary (what came in, without code)',
  fieldSelecting: true,
  query: historyQuery,
  output: z.array(scriptSetHistoryRow),
});
