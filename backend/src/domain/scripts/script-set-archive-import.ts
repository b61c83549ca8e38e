/**
 * Importing a DataFlux Func archive (script-set-archive.ts reads it): each set in it is replaced
 * as DataFlux Func replaces it (its scripts not in the archive deleted), every Python script
 * written and published, and the connectors, env variables, sync APIs, async APIs and cron jobs
 * it carries added or replaced; a recover point is taken first and an import-history row kept.
 *
 * The store has no transaction spanning publishes (a publish runs the script in Python), so the
 * import checks all it can before writing anything, and when a later part is refused (a script
 * that does not publish, an API naming a function the archive's scripts do not define) it writes
 * back what it changed, from what it read before, and deletes its recover point: a refused import
 * leaves the sets, scripts, functions and entities as they were (their publish history keeps the
 * versions published meanwhile). Writing back runs no Python: each script's published code and
 * functions as they were read are stored again as they are (a publish would need the scripts it
 * imports written back first, and could fail where the original did not). A step of the writing
 * back that fails does not stop the others, and never hides the refusal: it is added to it, and
 * the recover point is kept then.
 */
import { ApiError, issueProblem, safeParseReporting } from '../../../../contract/errors.js';
import { connectors as connectorOps } from '../../../../contract/operations/connectors.js';
import { asyncApis, cronJobs, envVariables, syncApis } from '../../../../contract/operations/entities.js';
import { placeholderArgs } from '../entities/cron-job-rules.js';
import { ENTITY_RULES, type Actor, type EntityRuleDeps } from '../entities/index.js';
import { mergeConnectorSecrets } from '../connectors/connector-config.js';
import { CONNECTOR_SECRET_FIELDS } from '../../../../contract/operations/connectors.js';
import { md5Hex, newId } from '../ids.js';
import type { EntityName, EntityRows, FuncRow, JsonObject, ScriptRow, ScriptSetRow } from '../ports/store.js';
import { rescheduleCronJobs } from './publish-script.js';
import { addRecoverPoint } from './recover-points.js';
import { ScriptService } from './script-service.js';
import { ARCHIVE_ENTITY_KINDS, requirementsOf, type ArchiveData, type ArchiveEntityKind } from './script-set-archive.js';

/** Each archive kind: the store's entity and the contract's add body that checks a row. */
const KINDS = {
  connectors: { entity: 'connectors', add: connectorOps.add.body },
  envVariables: { entity: 'envVariables', add: envVariables.add.body },
  syncAPIs: { entity: 'syncApis', add: syncApis.add.body },
  asyncAPIs: { entity: 'asyncApis', add: asyncApis.add.body },
  cronJobs: { entity: 'cronJobs', add: cronJobs.add.body },
} as const satisfies Record<ArchiveEntityKind, { entity: EntityName; add: unknown }>;

type KindEntity = (typeof KINDS)[ArchiveEntityKind]['entity'];

/** DataFlux Func's archives hold times as epoch seconds (its getTimestamp) or ISO text; Func's rows take ISO text or epoch ms. */
function archiveRow(kind: ArchiveEntityKind, row: Record<string, unknown>): Record<string, unknown> {
  const out = { ...row };
  if (typeof out.expireTime === 'number') out.expireTime = out.expireTime < 1e11 ? Math.round(out.expireTime * 1000) : out.expireTime;
  if (out.expireTime === 0) out.expireTime = null;
  // Func's cron job names its time zone `timezone`; DataFlux Func's rows have none.
  if (kind === 'connectors' && out.configJSON !== null && typeof out.configJSON === 'object') {
    // A secret DataFlux Func left out ('' in `passwordCipher`…) or Func left out ('' in `password`): none given.
    const config = out.configJSON as Record<string, unknown>;
    out.configJSON = Object.fromEntries(
      Object.entries(config).filter(([k, v]) => !k.endsWith('Cipher') && !((CONNECTOR_SECRET_FIELDS as readonly string[]).includes(k) && v === '')),
    );
  }
  return out;
}

/** The arguments a cron job's row gives a caller's placeholder (`INPUT_BY_CALLER`). */
function heldPlaceholders(row: Record<string, unknown>): string[] {
  const kwargs = row.funcCallKwargsJSON;
  return kwargs !== null && typeof kwargs === 'object' && !Array.isArray(kwargs) ? placeholderArgs(kwargs as JsonObject) : [];
}

/** Why an archive's cron job is imported disabled (DataFlux Func keeps it enabled and hands the placeholder's text to each run). */
const disabledReason = (args: string[]): string =>
  `imported disabled: ${args.map((a) => `"${a}"`).join(', ')} left to a caller (a placeholder such as INPUT_BY_CALLER), and a cron job has no caller; give the value to enable it`;

/** A refusal raised on one archive row, its field named under the row (`syncAPIs.0.funcCallKwargsJSON.x`). */
function underRow(where: string, err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  const field = typeof err.detail.field === 'string' ? `${where}.${err.detail.field}` : where;
  const message = err.message.startsWith(`${String(err.detail.field)}: `) ? err.message.slice(String(err.detail.field).length + 2) : err.message;
  return new ApiError(err.code, `${field}: ${message}`, { ...err.detail, field }, err.subReason);
}

interface CheckedRow {
  kind: ArchiveEntityKind;
  where: string;
  data: Record<string, unknown> & { id: string };
}

/** What the import changed, and how it was before, so a refusal can write it back. */
interface Undo {
  sets: Map<string, ScriptSetRow | undefined>;
  scripts: ScriptRow[];
  /** The functions of `scripts`, as published then. */
  funcs: FuncRow[];
  rows: { entity: KindEntity; id: string; before: EntityRows[KindEntity] | undefined }[];
  recoverPointId: string | null;
}

/** A connector row without the subscriptions whose handler is in one of `scripts` (not published before the import writes them). */
function withoutHandlersIn<R extends Record<string, unknown>>(row: R, scripts: ReadonlySet<string>): R {
  const config = row['configJSON'] as Record<string, unknown> | null | undefined;
  const handlers = config?.['topicHandlers'];
  if (!Array.isArray(handlers)) return row;
  const outside = handlers.filter((h: { funcId?: unknown }) => typeof h.funcId !== 'string' || !scripts.has(h.funcId.slice(0, h.funcId.indexOf('.'))));
  return { ...row, configJSON: { ...config, topicHandlers: outside } };
}

/** One row of DataFlux Func's import diff: the id, its title (sets, connectors, env variables) or funcId, and whether it is new. */
export interface DiffEntry {
  id: string;
  diffType: 'add' | 'replace';
  [field: string]: unknown;
}

export interface ArchiveImportResult {
  requirements: Record<string, string | null>;
}

export class ArchiveImporter {
  private readonly scripts: ScriptService;

  constructor(
    private readonly deps: EntityRuleDeps,
    private readonly actor: Actor,
  ) {
    this.scripts = new ScriptService(deps);
  }

  /** What each kind's rows would add and replace (DataFlux Func's `diff`). */
  async diff(data: ArchiveData): Promise<Record<string, DiffEntry[]>> {
    const out: Record<string, DiffEntry[]> = {};
    const sets = this.deps.store.entity('scriptSets');
    if (data.scriptSets.length > 0) {
      const rows = await Promise.all(data.scriptSets.map(async (s): Promise<DiffEntry> => ({ id: s.id, title: s.title, diffType: (await sets.get(s.id)) ? 'replace' : 'add' })));
      out.scriptSets = [...rows.filter((r) => r.diffType === 'add'), ...rows.filter((r) => r.diffType === 'replace')];
    }
    for (const kind of ARCHIVE_ENTITY_KINDS) {
      const rows = data.entities[kind];
      if (!rows || rows.length === 0) continue;
      const repo = this.deps.store.entity(KINDS[kind].entity);
      const field = kind === 'connectors' || kind === 'envVariables' ? 'title' : 'funcId';
      const diffed = await Promise.all(
        rows.map(async (r): Promise<DiffEntry> => ({ id: String(r.id), [field]: r[field] ?? null, diffType: (await repo.get(String(r.id))) ? 'replace' : 'add' })),
      );
      if (kind === 'cronJobs') {
        for (const [i, entry] of diffed.entries()) {
          const held = heldPlaceholders(rows[i]!);
          if (held.length > 0) entry.disabledOnImport = disabledReason(held);
        }
      }
      out[kind] = [...diffed.filter((r) => r.diffType === 'add'), ...diffed.filter((r) => r.diffType === 'replace')];
    }
    return out;
  }

  /** Imports `data` whole, or refuses with nothing changed. */
  async import(data: ArchiveData): Promise<ArchiveImportResult> {
    const checked = await this.check(data);
    const undo: Undo = { sets: new Map(), scripts: [], funcs: [], rows: [], recoverPointId: null };
    for (const set of data.scriptSets) {
      undo.sets.set(set.id, await this.deps.store.entity('scriptSets').get(set.id));
      undo.scripts.push(...(await this.deps.store.entity('scripts').list({ scriptSetId: set.id })));
      undo.funcs.push(...(await this.deps.store.entity('funcs').list({ scriptSetId: set.id })));
    }
    try {
      undo.recoverPointId = await addRecoverPoint(this.deps, 'import', 'System: before importing script sets');
      await this.writeScriptSets(data);
      for (const row of checked) await this.writeRow(row, undo);
      const now = this.deps.now();
      await this.deps.store.scriptSetImportHistory.insert({ id: newId('ssih'), note: data.note, summaryJSON: data.summary, createTime: now, updateTime: now });
    } catch (err) {
      throw withUndoFailures(err, await this.undo(data, undo));
    }
    return { requirements: requirementsOf(data.scriptSets) };
  }

  /** What can be checked before writing (a check-only import runs it too): every row against its add schema, the rows whose rules need no function, built-in connectors, functions named. */
  async check(data: ArchiveData): Promise<CheckedRow[]> {
    const out: CheckedRow[] = [];
    const archiveScripts = new Set(data.scriptSets.flatMap((s) => s.scripts.map((sc) => sc.id)));
    for (const kind of ARCHIVE_ENTITY_KINDS) {
      for (const [i, raw] of (data.entities[kind] ?? []).entries()) {
        const where = `${kind}.${i}`;
        const parsed = safeParseReporting(KINDS[kind].add, { data: archiveRow(kind, raw) });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const path = [where, ...(issue?.path ?? []).slice(1).map(String)].join('.');
          throw new ApiError('EClientBadRequest', `${path}: ${issueProblem(issue)}`, { field: path });
        }
        const row = parsed.data.data as Record<string, unknown> & { id: string };
        // A cron job holding a caller's placeholder, which DataFlux Func keeps: imported disabled (diff says so).
        if (kind === 'cronJobs' && heldPlaceholders(row).length > 0) row.isDisabled = true;
        if (kind === 'connectors') {
          const existing = await this.deps.store.entity('connectors').get(row.id);
          if (existing?.isBuiltin)
            throw new ApiError('EBizCondition', `${where}.id: connector ${row.id} is built in: an import cannot replace it`, { field: `${where}.id`, id: row.id });
        }
        if (kind === 'connectors' || kind === 'envVariables') {
          // Run their rules now so a bad config or value refuses the import before it writes. A subscription
          // handled by one of the archive's own scripts is checked when the row is written, after the publish.
          try {
            await this.build({ kind, where, data: kind === 'connectors' ? withoutHandlersIn(row, archiveScripts) : row });
          } catch (err) {
            throw underRow(where, err);
          }
        } else {
          const funcId = String(row.funcId);
          const scriptId = funcId.slice(0, funcId.indexOf('.'));
          if (!archiveScripts.has(scriptId) && !(await this.deps.catalog.func(funcId))) {
            throw new ApiError('EClientBadRequest', `${where}.funcId: no published function ${funcId}, and the archive has no script ${scriptId}`, { field: `${where}.funcId` });
          }
        }
        out.push({ kind, where, data: row });
      }
    }
    return out;
  }

  /** The row a checked archive row makes (the entity's add rules: secrets encrypted, functions and kwargs checked). */
  private async build(row: CheckedRow): Promise<EntityRows[KindEntity]> {
    const rules = ENTITY_RULES[KINDS[row.kind].entity] as unknown as { fromAdd(d: unknown, deps: EntityRuleDeps, actor: Actor): Promise<EntityRows[KindEntity]> };
    return rules.fromAdd(row.data, this.deps, this.actor);
  }

  private async writeScriptSets(data: ArchiveData): Promise<void> {
    const sets = this.deps.store.entity('scriptSets');
    const now = this.deps.now();
    const toPublish: { id: string; code: string; where: string }[] = [];
    for (const [i, set] of data.scriptSets.entries()) {
      const { id, title, description, requirements } = set;
      if (await sets.get(id)) await sets.update(id, { title, description, requirements, updateTime: now });
      else await sets.insert({ id, title, description, requirements, createTime: now, updateTime: now });
      await this.scripts.deleteScriptsOf(id, new Set(set.scripts.map((s) => s.id)));
      for (const [j, s] of set.scripts.entries()) {
        await this.scripts.writeDraft({ id: s.id, scriptSetId: id, title: s.title, description: s.description, codeDraft: s.code }, now);
        // Markdown (DataFlux Func's notes) is kept as a draft: it is not Python to publish.
        if (s.type !== 'markdown') toPublish.push({ id: s.id, code: s.code, where: `scriptSets.${i}.scripts.${j}` });
      }
    }
    await this.publishAll(toPublish, data.note);
  }

  /** Publishes every script; one that imports another of the archive may need it published first, so the failures are tried again while others succeed. */
  private async publishAll(pending: { id: string; code: string; where: string }[], note: string | null): Promise<void> {
    const publishNote = note ? `Imported: ${note.slice(0, 200)}` : 'Imported';
    let left = pending;
    for (;;) {
      const failed: { s: (typeof pending)[number]; err: ApiError }[] = [];
      for (const s of left) {
        const row = (await this.deps.store.entity('scripts').get(s.id))!;
        try {
          await this.scripts.publish({ ...row, codeDraft: s.code, codeDraftMD5: md5Hex(s.code) }, publishNote, this.deps.now());
        } catch (err) {
          if (!(err instanceof ApiError) || err.code !== 'EScriptPublishFailed') throw err;
          failed.push({ s, err });
        }
      }
      if (failed.length === 0) return;
      if (failed.length === left.length) {
        const { s, err } = failed[0]!;
        throw new ApiError('EScriptPublishFailed', `${s.where} (${s.id}): ${err.message}; nothing was imported`, { ...err.detail, field: s.where, scriptId: s.id });
      }
      left = failed.map((f) => f.s);
    }
  }

  private async writeRow(row: CheckedRow, undo: Undo): Promise<void> {
    const entity = KINDS[row.kind].entity;
    const repo = this.deps.store.entity(entity) as unknown as {
      get(id: string): Promise<EntityRows[KindEntity] | undefined>;
      insert(r: EntityRows[KindEntity]): Promise<void>;
      update(id: string, patch: Partial<EntityRows[KindEntity]>): Promise<boolean>;
    };
    const before = await repo.get(row.data.id);
    let built: EntityRows[KindEntity];
    try {
      built = await this.build(row);
    } catch (err) {
      throw underRow(row.where, err);
    }
    undo.rows.push({ entity, id: row.data.id, before });
    if (!before) {
      await repo.insert(built);
      return;
    }
    if (entity === 'connectors' && 'configJSON' in built && 'configJSON' in before && row.kind === 'connectors') {
      // The archive holds no secrets: the connector's stored ones stay (a secret the archive gives replaces it).
      // Func and DataFlux Func export each secret and header value as '': '' keeps the stored one here,
      // unless the archive points the connector elsewhere (host, port, user, URL): then it is not kept.
      const plain = mergeConnectorSecrets(built.type, row.data.configJSON as Record<string, unknown>, before.configJSON, this.deps.secrets, {
        emptyKeeps: true,
        onTargetChange: 'clear',
      });
      built = await this.build({ ...row, data: { ...row.data, configJSON: plain } });
    }
    if (entity === 'envVariables' && 'autoTypeCasting' in before && before.autoTypeCasting === 'password' && row.data.valueTEXT === '') {
      // A password variable exported by Func or DataFlux Func comes back empty: the stored secret stays.
      built = { ...built, autoTypeCasting: 'password', valueTEXT: before.valueTEXT };
    }
    const { id: _id, createTime: _c, ...patch } = built;
    await repo.update(row.data.id, patch);
  }

  /** Writes back what the import changed, newest first; answers what could not be written back (each step is tried whatever the others did). */
  private async undo(data: ArchiveData, undo: Undo): Promise<string[]> {
    const failures: string[] = [];
    const attempt = async (what: string, step: () => Promise<unknown>): Promise<void> => {
      try {
        await step();
      } catch (err) {
        failures.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    for (const { entity, id, before } of undo.rows.reverse()) {
      const repo = this.deps.store.entity(entity) as unknown as { delete(id: string): Promise<boolean>; insert(r: EntityRows[KindEntity]): Promise<void> };
      await attempt(`${entity} ${id}`, async () => {
        await repo.delete(id);
        if (before) await repo.insert(before);
      });
    }
    const note = 'Import refused: written back';
    const sets = this.deps.store.entity('scriptSets');
    for (const set of data.scriptSets) {
      const before = undo.sets.get(set.id);
      const kept = undo.scripts.filter((s) => s.scriptSetId === set.id);
      await attempt(`scriptSets ${set.id}`, () => this.scripts.deleteScriptsOf(set.id, new Set(kept.map((s) => s.id))));
      for (const s of kept) {
        await attempt(`scripts ${s.id}`, () =>
          this.writeBackScript(
            s,
            undo.funcs.filter((f) => f.scriptId === s.id),
            note,
          ),
        );
      }
      await attempt(`scriptSets ${set.id}`, async () => {
        if (before) {
          const { id: _id, ...fields } = before;
          await sets.update(set.id, fields);
        } else await sets.delete(set.id);
      });
    }
    // A recover point is what is left to put things right by hand when the writing back failed.
    if (undo.recoverPointId !== null && failures.length === 0) await attempt('recover point', () => this.deps.store.recoverPoints.delete(undo.recoverPointId!));
    return failures;
  }

  /** A script as it was read before the import (`s`, its functions `funcs`), stored again without running it: its published code and functions, draft and fields. */
  private async writeBackScript(s: ScriptRow, funcs: FuncRow[], note: string): Promise<void> {
    const { store } = this.deps;
    const repo = store.entity('scripts');
    const now = this.deps.now();
    const current = await repo.get(s.id);
    if (current === undefined || (current.code !== null && s.code === null)) {
      // Deleted by the import, or published by it for the first time: the row as it was.
      if (current) await this.scripts.deleteScript(s.id);
      await repo.insert(s);
      for (const f of funcs) await store.entity('funcs').insert(f);
    } else {
      if (s.code !== null && (current.code !== s.code || current.codeMD5 !== s.codeMD5)) {
        await store.scripts.publish({ scriptId: s.id, code: s.code, codeMD5: s.codeMD5 ?? md5Hex(s.code), note, funcs, now });
      }
      const { id: _id, code: _code, codeMD5: _md5, publishVersion: _v, createTime: _c, ...fields } = s;
      await repo.update(s.id, fields);
    }
    this.scripts.changed(s.id);
    await rescheduleCronJobs(store, funcs, now);
  }
}

/** The refusal with what its writing back could not do added (never replaced by it). */
function withUndoFailures(err: unknown, failures: string[]): unknown {
  if (failures.length === 0) return err;
  const more = `; writing back what the import changed failed too (the recover point taken before it is kept): ${failures.join('; ')}`;
  if (err instanceof ApiError) return new ApiError(err.code, `${err.message}${more}`, { ...err.detail, undoFailures: failures }, err.subReason);
  if (err instanceof Error) {
    err.message += more;
    return Object.assign(err, { undoFailures: failures });
  }
  return err;
}
