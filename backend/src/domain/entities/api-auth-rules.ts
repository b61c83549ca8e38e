/** API auth: config checked per type, secrets in it encrypted, shown in clear only to those who may write settings. */
import { hasPermission } from '../../../../contract/permissions.js';
import { checkApiAuthConfig, decryptApiAuthConfig, encryptApiAuthConfig, maskApiAuthConfig } from '../auth/api-auth-config.js';
import { newId } from '../ids.js';
import type { EntityRows } from '../ports/store.js';
import { checkFuncField, nothingAdded, pick, stamp, type EntityRules } from './entity-rules.js';

export const apiAuthRules: EntityRules<'apiAuth'> = {
  name: 'apiAuth',
  fromAdd: async (d, deps) => {
    const type = d.type;
    const config = checkApiAuthConfig(type, d.configJSON);
    if (type === 'func') await checkFuncField(deps, config.funcId);
    return { id: d.id ?? newId('apia'), title: d.title ?? null, type, configJSON: encryptApiAuthConfig(type, config, deps.secrets), note: d.note ?? null, ...stamp(deps) };
  },
  fromModify: async (d, e, deps) => {
    const patch: Partial<EntityRows['apiAuth']> = { ...pick(d, ['title', 'note']), updateTime: deps.now() };
    if (d.configJSON !== undefined) {
      const config = checkApiAuthConfig(e.type, d.configJSON);
      if (e.type === 'func') await checkFuncField(deps, config.funcId);
      patch.configJSON = encryptApiAuthConfig(e.type, config, deps.secrets);
    }
    return patch;
  },
  addedView: nothingAdded,
  toApi: (row, deps, actor) => ({
    ...row,
    configJSON: hasPermission(actor.user, 'general_w') ? decryptApiAuthConfig(row.type, row.configJSON, deps.secrets) : maskApiAuthConfig(row.type, row.configJSON),
  }),
};
