/**
 * Blueprints: DataFlux Func's CRUD (a list without the canvases unless `_withCanvas`, filtered by
 * id, by a text in the title and by isDeployed, as every list: server/routes/row-selection.ts) and `:id/do/deploy` (domain/blueprints).
 */
import { deployBlueprint } from '../../domain/blueprints/deploy-blueprint.js';
import { ENTITY_RULES } from '../../domain/entities/index.js';
import type { Handlers } from '../handler.js';
import { crudHandlers } from './entities.js';
import { requireRow } from './lookups.js';
import { queryFlag } from './row-selection.js';

const crud = crudHandlers(ENTITY_RULES.blueprints);

export const blueprintHandlers: Pick<Handlers, 'listBlueprints' | 'getBlueprint' | 'addBlueprint' | 'modifyBlueprint' | 'deleteBlueprint' | 'deployBlueprint'> = {
  // Filtered as every list is (contract LIST_FILTER_KINDS.blueprints); the canvases only with `_withCanvas`.
  listBlueprints: async (input, call) => {
    const views = await crud.list(input, call);
    if (queryFlag(input.query._withCanvas)) return views;
    return views.map(({ canvasJSON: _c, viewJSON: _v, ...rest }) => rest);
  },
  getBlueprint: crud.get,
  addBlueprint: crud.add,
  modifyBlueprint: crud.modify,
  deleteBlueprint: crud.delete,
  deployBlueprint: async ({ params }, { ctx }) => deployBlueprint(ctx, await requireRow(ctx, 'blueprints', params.id)),
};
