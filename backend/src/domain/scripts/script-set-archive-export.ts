/**
 * Exporting script sets as DataFlux Func's archive (script-set-archive.ts writes it): META.yaml
 * holds DataFlux Func's exportData (schema version 2: the sets, their scripts without code and
 * each script's functions; the sync APIs, async APIs and cron jobs of the sets when asked, under
 * their new and old names; the connectors and env variables named; `extra` with the export user,
 * time and note), the code is each script's published code. Secrets never leave: a connector's
 * secret fields and header values are written empty and a password env variable as an empty
 * string variable, as DataFlux Func writes them (Func's cipher text would be useless elsewhere).
 */
import { ApiError } from '../../../../contract/errors.js';
import { blankConnectorSecrets } from '../connectors/connector-config.js';
import { newId } from '../ids.js';
import { funcIntegration } from './publish-script.js';
import type { Store } from '../ports/store.js';
import { ARCHIVE_SCHEMA_VERSION, archiveFileName, summaryOf, timeStringCN, writeArchive } from './script-set-archive.js';

export interface ArchiveExportOptions {
  scriptSetIds: string[];
  connectorIds?: string[] | null | undefined;
  envVariableIds?: string[] | null | undefined;
  includeSyncAPIs?: boolean | null | undefined;
  includeAsyncAPIs?: boolean | null | undefined;
  includeCronJobs?: boolean | null | undefined;
  includeAuthLinks?: boolean | null | undefined;
  includeBatches?: boolean | null | undefined;
  includeCrontabConfigs?: boolean | null | undefined;
  note?: string | null | undefined;
}

export interface ArchiveExport {
  fileName: string;
  zip: Buffer;
}

const iso = (ms: number): string => new Date(ms).toISOString();
/** DataFlux Func keeps an API's expiry as epoch seconds. */
const seconds = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));

/** `name (username)`, or the username alone (DataFlux Func's export user). */
export function exportUserOf(user: { username: string; name: string | null }): string {
  return user.name ? `${user.name} (${user.username})` : user.username;
}

export async function exportArchive(deps: { store: Store; now: () => number }, opt: ArchiveExportOptions, exportUser: string): Promise<ArchiveExport> {
  const { store } = deps;
  const now = deps.now();
  const exportTime = iso(now);
  const note = opt.note ?? `Exported by ${exportUser} at ${timeStringCN(now)}`;
  const setIds = [...new Set(opt.scriptSetIds)].sort();
  const sets = await store.entity('scriptSets').list({ id: setIds });
  const missing = setIds.filter((id) => !sets.some((s) => s.id === id));
  if (missing.length > 0) throw new ApiError('EClientNotFound', `scriptSetIds: no script set ${missing.join(', ')}`, { field: 'scriptSetIds', ids: missing });
  const scripts = setIds.length === 0 ? [] : await store.entity('scripts').list({ scriptSetId: setIds });
  const funcs = setIds.length === 0 ? [] : await store.entity('funcs').list({ scriptSetId: setIds });
  const codes: { setId: string; script: { id: string; type: string }; code: string }[] = [];
  const scriptSets = sets
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((set) => ({
      id: set.id,
      title: set.title,
      description: set.description,
      requirements: set.requirements,
      scripts: scripts
        .filter((s) => s.scriptSetId === set.id)
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((s) => {
          codes.push({ setId: set.id, script: { id: s.id, type: 'python' }, code: s.code ?? '' });
          return {
            id: s.id,
            title: s.title,
            description: s.description,
            publishVersion: s.publishVersion,
            type: 'python',
            codeMD5: s.codeMD5,
            updateTime: iso(s.updateTime),
            funcs: funcs
              .filter((f) => f.scriptId === s.id)
              .sort((a, b) => a.id.localeCompare(b.id))
              .map((f) => ({
                id: f.id,
                name: f.name,
                title: f.title,
                description: f.description,
                definition: f.definition,
                argsJSON: f.argsJSON,
                kwargsJSON: f.kwargsJSON,
                extraConfigJSON: f.extraConfigJSON,
                category: f.category,
                integration: funcIntegration(f),
                tagsJSON: f.tagsJSON,
                defOrder: f.defOrder,
              })),
          };
        }),
    }));
  const meta: Record<string, unknown> = { version: ARCHIVE_SCHEMA_VERSION, scriptSets, extra: { exportUser, exportTime, note } };
  if (opt.connectorIds && opt.connectorIds.length > 0) {
    const rows = await store.entity('connectors').list({ id: opt.connectorIds });
    meta.connectors = rows
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((c) => ({ id: c.id, title: c.title, description: c.description, type: c.type, configJSON: blankConnectorSecrets(c.configJSON) }));
  }
  if (opt.envVariableIds && opt.envVariableIds.length > 0) {
    const rows = await store.entity('envVariables').list({ id: opt.envVariableIds });
    meta.envVariables = rows
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((e) => ({
        id: e.id,
        title: e.title,
        description: e.description,
        ...(e.autoTypeCasting === 'password' ? { autoTypeCasting: 'string', valueTEXT: '' } : { autoTypeCasting: e.autoTypeCasting, valueTEXT: e.valueTEXT }),
      }));
  }
  const funcIds = funcs.map((f) => f.id);
  const ofSets = <R extends { id: string; funcId: string }>(rows: R[]): R[] => rows.filter((r) => funcIds.includes(r.funcId)).sort((a, b) => a.id.localeCompare(b.id));
  if (opt.includeSyncAPIs || opt.includeAuthLinks) {
    const rows = funcIds.length === 0 ? [] : ofSets(await store.entity('syncApis').list({ funcId: funcIds }));
    meta.syncAPIs = rows.map((r) => ({
      id: r.id,
      funcId: r.funcId,
      funcCallKwargsJSON: r.funcCallKwargsJSON,
      expireTime: seconds(r.expireTime),
      throttlingJSON: r.throttlingJSON,
      showInDoc: r.showInDoc,
      isDisabled: r.isDisabled,
      note: r.note,
    }));
  }
  if (opt.includeAsyncAPIs || opt.includeBatches) {
    const rows = funcIds.length === 0 ? [] : ofSets(await store.entity('asyncApis').list({ funcId: funcIds }));
    meta.asyncAPIs = rows.map((r) => ({
      id: r.id,
      funcId: r.funcId,
      funcCallKwargsJSON: r.funcCallKwargsJSON,
      tagsJSON: r.tagsJSON,
      showInDoc: r.showInDoc,
      isDisabled: r.isDisabled,
      note: r.note,
    }));
  }
  if (opt.includeCronJobs || opt.includeCrontabConfigs) {
    const rows = funcIds.length === 0 ? [] : ofSets(await store.entity('cronJobs').list({ funcId: funcIds }));
    meta.cronJobs = rows.map((r) => ({
      id: r.id,
      funcId: r.funcId,
      funcCallKwargsJSON: r.funcCallKwargsJSON,
      cronExpr: r.cronExpr,
      timezone: r.timezone,
      tagsJSON: r.tagsJSON,
      expireTime: seconds(r.expireTime),
      isDisabled: r.isDisabled,
      note: r.note,
    }));
  }
  // DataFlux Func writes each kind under its old name too, for its older versions' imports.
  for (const [name, alias] of [
    ['syncAPIs', 'authLinks'],
    ['asyncAPIs', 'batches'],
    ['cronJobs', 'crontabConfigs'],
  ] as const) {
    if (name in meta) meta[alias] = meta[name];
  }
  const zip = writeArchive(meta, codes, note, now);
  const summary = summaryOf(meta);
  await store.scriptSetExportHistory.insert({ id: newId('sseh'), note, summaryJSON: summary, createTime: now, updateTime: now });
  return { fileName: archiveFileName(now), zip };
}
