/** Script sets (deleting one deletes its scripts) and functions (written only by publishing). */
import { ApiError } from '../../../../contract/errors.js';
import { funcIntegration } from '../scripts/publish-script.js';
import { ScriptService } from '../scripts/script-service.js';
import { nothingAdded, pick, stamp, type EntityRules } from './entity-rules.js';

export const scriptSetRules: EntityRules<'scriptSets'> = {
  name: 'scriptSets',
  fromAdd: (d, deps) => Promise.resolve({ id: d.id, title: d.title ?? null, description: d.description ?? null, requirements: d.requirements ?? null, ...stamp(deps) }),
  fromModify: (d, _e, deps) => Promise.resolve({ ...pick(d, ['title', 'description', 'requirements']), updateTime: deps.now() }),
  addedView: nothingAdded,
  toApi: (row) => ({ ...row }),
  afterDelete: async (id, deps) => [{ name: 'scripts', ids: await new ScriptService(deps).deleteScriptsOf(id) }],
};

export const funcRules: EntityRules<'funcs'> = {
  name: 'funcs',
  fromAdd: () => Promise.reject(new ApiError('EClientBadRequest', 'Functions are created by publishing their script')),
  fromModify: () => Promise.reject(new ApiError('EClientBadRequest', 'Functions are changed by publishing their script')),
  addedView: nothingAdded,
  toApi: (row) => ({ ...row, isHidden: row.extraConfigJSON.isHidden === true, integration: funcIntegration(row) }),
};
