/**
 * Script recover points (DataFlux Func's): a snapshot of every script set and script (published
 * code and draft), taken by hand, before a script-set import and before a recover. Recovering a
 * point writes its sets back the way an import does: each set of the point is replaced (its
 * scripts not in the point are deleted, the others get the point's draft, and its published code
 * is published again when it differs); sets added after the point stay. The newest
 * RECOVER_POINT_LIMIT points are kept.
 */
import { ApiError } from '../../../../contract/errors.js';
import type { RecoverPointData, RecoverPointRow, RecoverPointType } from '../ports/admin-store.js';
import type { ScriptRow, Store } from '../ports/store.js';
import { md5Hex, newId } from '../ids.js';
import { ScriptService, type ScriptServiceDeps } from './script-service.js';

/** DataFlux Func keeps this many. */
export const RECOVER_POINT_LIMIT = 1000;

export interface RecoverPointDeps extends ScriptServiceDeps {
  now: () => number;
}

export interface Restore {
  store: Store;
  scripts: ScriptService;
  now: () => number;
}

/** Every script set and script now, sorted by id. */
export async function snapshotScripts(store: Store): Promise<RecoverPointData> {
  const sets = (await store.entity('scriptSets').list()).sort((a, b) => a.id.localeCompare(b.id));
  const scripts = (await store.entity('scripts').list()).sort((a, b) => a.id.localeCompare(b.id));
  return {
    scriptSets: sets.map(({ id, title, description, requirements }) => ({ id, title, description, requirements })),
    scripts: scripts.map(({ id, scriptSetId, title, description, code, codeDraft }) => ({ id, scriptSetId, title, description, code, codeDraft })),
  };
}

/** Takes a snapshot and stores it as a point; answers its id. */
export async function addRecoverPoint(deps: { store: Store; now: () => number }, type: RecoverPointType, note: string | null): Promise<string> {
  const row: RecoverPointRow = { id: newId('srpt'), type, note, exportData: await snapshotScripts(deps.store), createTime: deps.now() };
  await deps.store.recoverPoints.insert(row);
  await deps.store.recoverPoints.trim(RECOVER_POINT_LIMIT);
  return row.id;
}

/** Writes a script back as `s` holds it: its draft, and its published code published again when it differs (a script published now but not in `s` starts afresh). */
export async function restoreScript(deps: Restore, s: RecoverPointData['scripts'][number], note: string): Promise<void> {
  const repo = deps.store.entity('scripts');
  const now = deps.now();
  let existing: ScriptRow | undefined = await repo.get(s.id);
  // Published then, not now (or the reverse): start the script afresh.
  if (existing && existing.code !== null && s.code === null) {
    await deps.scripts.deleteScript(s.id);
    existing = undefined;
  }
  await deps.scripts.writeDraft(s, now);
  if (s.code !== null && existing?.code !== s.code) {
    const row = (await repo.get(s.id))!;
    await deps.scripts.publish({ ...row, codeDraft: s.code, codeDraftMD5: md5Hex(s.code) }, note, now);
  }
}

/** Writes a point's sets and scripts back, after taking a `recover` point of the present. */
export async function recoverTo(base: RecoverPointDeps, id: string): Promise<void> {
  const deps: Restore = { store: base.store, scripts: new ScriptService(base), now: base.now };
  const point = await deps.store.recoverPoints.get(id);
  if (!point) throw new ApiError('EClientNotFound', `No such script recover point: ${id}`, { field: 'id', id });
  await addRecoverPoint(deps, 'recover', `System: before recovering the scripts to ${id}`);
  const sets = deps.store.entity('scriptSets');
  const note = `Recovered to ${id}`;
  for (const set of point.exportData.scriptSets) {
    const now = deps.now();
    const { title, description, requirements } = set;
    if (await sets.get(set.id)) await sets.update(set.id, { title, description, requirements, updateTime: now });
    else await sets.insert({ ...set, createTime: now, updateTime: now });
    const scripts = point.exportData.scripts.filter((s) => s.scriptSetId === set.id);
    await deps.scripts.deleteScriptsOf(set.id, new Set(scripts.map((s) => s.id)));
    for (const s of scripts) await restoreScript(deps, s, note);
  }
}

/**
 * A copy of a set under `newId`: its scripts are copied with the set part of their ids renamed
 * (`old__main` → `new__main`), drafts as they are, and what was published is published again
 * under the new id (so the copy has its own functions). The code is not rewritten: imports of
 * the old set's scripts still name the old set.
 */
export async function cloneScriptSet(base: RecoverPointDeps, id: string, newSetId: string): Promise<{ id: string }> {
  const deps: Restore = { store: base.store, scripts: new ScriptService(base), now: base.now };
  const sets = deps.store.entity('scriptSets');
  const set = await sets.get(id);
  if (!set) throw new ApiError('EClientNotFound', `No such Script set: ${id}`, { field: 'id', id });
  if (await sets.get(newSetId)) throw new ApiError('EClientDuplicated', `Script set "${newSetId}" exists already`, { field: 'newId', id: newSetId });
  const scripts = (await deps.store.entity('scripts').list({ scriptSetId: id })).sort((a, b) => a.id.localeCompare(b.id));
  const renamed = scripts.map((s) => ({ ...s, id: `${newSetId}__${s.id.slice(s.id.indexOf('__') + 2)}` }));
  const tooLong = renamed.find((s) => s.id.length > 64);
  if (tooLong) throw new ApiError('EBizCondition', `The copy of a script would have an id over 64 characters: ${tooLong.id}`, { field: 'newId', scriptId: tooLong.id });
  const now = deps.now();
  await sets.insert({ ...set, id: newSetId, createTime: now, updateTime: now });
  for (const s of renamed) {
    await restoreScript(deps, { id: s.id, scriptSetId: newSetId, title: s.title, description: s.description, code: s.code, codeDraft: s.codeDraft }, `Cloned from ${id}`);
  }
  return { id: newSetId };
}
