/** File services: the root is a folder of the resources folder, written `/a/b`; `..` is refused (as DataFlux Func). */
import { newId } from '../ids.js';
import { pathSegments } from '../resources/resource-folder.js';
import { nothingAdded, pick, stamp, type EntityRules } from './entity-rules.js';

/** `a/./b/` → `/a/b`; `..`, NUL and backslashes refused naming the field. */
export function fileServiceRoot(root: string, field = 'root'): string {
  return '/' + pathSegments(root, field).join('/');
}

export const fileServiceRules: EntityRules<'fileServices'> = {
  name: 'fileServices',
  fromAdd: (d, deps) => Promise.resolve({ id: d.id ?? newId('fsvc'), root: fileServiceRoot(d.root), isDisabled: d.isDisabled === true, note: d.note ?? null, ...stamp(deps) }),
  fromModify: (d, _e, deps) => Promise.resolve({ ...pick(d, ['isDisabled', 'note']), ...(d.root !== undefined ? { root: fileServiceRoot(d.root) } : {}), updateTime: deps.now() }),
  addedView: nothingAdded,
  toApi: (row) => ({ ...row }),
};
