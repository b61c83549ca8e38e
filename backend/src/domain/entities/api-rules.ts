/** Sync and async APIs: the same fields and rules (their rows and contract types are the same). */
import { badField } from '../../../../contract/errors.js';
import { newId } from '../ids.js';
import { isPlaceholder } from '../tasks/build-task.js';
import type { EntityRows, JsonObject } from '../ports/store.js';
import { callFields, checkFixedKwargs, nothingAdded, pick, requirePublishedFunc, stamp, toMs, type EntityRuleDeps, type EntityRules } from './entity-rules.js';

const API_FIELDS = ['funcId', 'funcCallKwargsJSON', 'tagsJSON', 'apiAuthId', 'throttlingJSON', 'showInDoc', 'taskRecordLimit', 'isDisabled', 'note'] as const;

/** An API names an API auth that exists (a call of an API whose API auth is gone is refused). */
async function checkApiAuthField(deps: EntityRuleDeps, apiAuthId: string | null | undefined): Promise<void> {
  if (typeof apiAuthId !== 'string') return;
  if (!(await deps.store.entity('apiAuth').get(apiAuthId))) throw badField('apiAuthId', `no API auth ${apiAuthId}`);
}

/**
 * The function an API calls is published and takes the arguments the API fixes. On modify only
 * when either changes: an API whose function changed since can still be disabled or renamed.
 */
async function checkCall(deps: EntityRuleDeps, d: { funcId?: string | undefined; funcCallKwargsJSON?: JsonObject | undefined }, existing?: EntityRows['syncApis']): Promise<void> {
  if (d.funcId === undefined && d.funcCallKwargsJSON === undefined) return;
  const func = d.funcId !== undefined ? await requirePublishedFunc(deps, d.funcId) : await deps.catalog.func(existing!.funcId);
  // Placeholders left to the caller are not checked: a caller who never sends one loses nothing (DataFlux Func keeps them).
  const fixed = Object.entries(d.funcCallKwargsJSON ?? existing?.funcCallKwargsJSON ?? {}).filter(([, v]) => !(typeof v === 'string' && isPlaceholder(v)));
  if (func) checkFixedKwargs(func, Object.fromEntries(fixed), false);
}

function apiRules(prefix: string): Omit<EntityRules<'syncApis'>, 'name'> {
  return {
    fromAdd: async (d, deps) => {
      await checkCall(deps, { funcId: d.funcId, funcCallKwargsJSON: d.funcCallKwargsJSON });
      await checkApiAuthField(deps, d.apiAuthId);
      return {
        id: d.id ?? newId(prefix),
        funcId: d.funcId,
        ...callFields(d),
        apiAuthId: d.apiAuthId ?? null,
        throttlingJSON: d.throttlingJSON ?? null,
        showInDoc: d.showInDoc === true,
        ...stamp(deps),
      };
    },
    fromModify: async (d, e, deps) => {
      await checkCall(deps, d, e);
      await checkApiAuthField(deps, d.apiAuthId);
      return { ...pick(d, API_FIELDS), ...(d.expireTime !== undefined ? { expireTime: toMs(d.expireTime) } : {}), updateTime: deps.now() };
    },
    addedView: nothingAdded,
    toApi: (row) => ({ ...row }),
  };
}

export const syncApiRules: EntityRules<'syncApis'> = { name: 'syncApis', ...apiRules('sapi') };
export const asyncApiRules: EntityRules<'asyncApis'> = { name: 'asyncApis', ...apiRules('aapi') };
