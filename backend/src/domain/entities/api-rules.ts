/** Sync and async APIs: the same fields and rules (their rows and contract types are the same). */
import { badField } from '../../../../contract/errors.js';
import { newId } from '../ids.js';
import { callFields, checkFuncField, nothingAdded, pick, stamp, toMs, type EntityRuleDeps, type EntityRules } from './entity-rules.js';

const API_FIELDS = ['funcId', 'funcCallKwargsJSON', 'tagsJSON', 'apiAuthId', 'throttlingJSON', 'showInDoc', 'taskRecordLimit', 'isDisabled', 'note'] as const;

/** An API names an API auth that exists (a call of an API whose API auth is gone is refused). */
async function checkApiAuthField(deps: EntityRuleDeps, apiAuthId: string | null | undefined): Promise<void> {
  if (typeof apiAuthId !== 'string') return;
  if (!(await deps.store.entity('apiAuth').get(apiAuthId))) throw badField('apiAuthId', `no API auth ${apiAuthId}`);
}

function apiRules(prefix: string): Omit<EntityRules<'syncApis'>, 'name'> {
  return {
    fromAdd: async (d, deps) => {
      await checkFuncField(deps, d.funcId);
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
    fromModify: async (d, _e, deps) => {
      await checkFuncField(deps, d.funcId);
      await checkApiAuthField(deps, d.apiAuthId);
      return { ...pick(d, API_FIELDS), ...(d.expireTime !== undefined ? { expireTime: toMs(d.expireTime) } : {}), updateTime: deps.now() };
    },
    addedView: nothingAdded,
    toApi: (row) => ({ ...row }),
  };
}

export const syncApiRules: EntityRules<'syncApis'> = { name: 'syncApis', ...apiRules('sapi') };
export const asyncApiRules: EntityRules<'asyncApis'> = { name: 'asyncApis', ...apiRules('aapi') };
