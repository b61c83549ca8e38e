/**
 * Blueprints: DataFlux Func's CRUD (a list without the canvases unless `_withCanvas`, filtered by
 * id, by a text in the title and by isDeployed) and `:id/do/deploy` (domain/blueprints).
 */
import { deployBlueprint } from '../../domain/blueprints/deploy-blueprint.js';
import { ENTITY_RULES } from '../../domain/entities/index.js';
import type { BlueprintRow, RowFilter } from '../../domain/ports/store.js';
import type { Handlers } from '../handler.js';
import { crudHandlers, entityPage } from './entities.js';
import { requireRow } from './lookups.js';

const crud = crudHandlers(ENTITY_RULES.blueprints);
const flag = (v: unknown): boolean => v === 'true' || v === '1';

export const blueprintHandlers: Pick<Handlers, 'listBlueprints' | 'getBlueprint' | 'addBlueprint' | 'modifyBlueprint' | 'deleteBlueprint' | 'deployBlueprint'> = {
  listBlueprints: async ({ query }, { ctx }) => {
    const filter: RowFilter<BlueprintRow> = {};
    if (typeof query.id === 'string' && query.id !== '') filter.id = query.id.includes(',') ? query.id.split(',') : query.id;
    if (typeof query.isDeployed === 'string' && query.isDeployed !== '') filter.isDeployed = flag(query.isDeployed);
    const title = typeof query.title === 'string' && query.title !== '' ? query.title.toLowerCase() : null;
    const page = entityPage(query);
    const repo = ctx.store.entity('blueprints');
    // A text in the title (DataFlux Func's LIKE '%…%', case-insensitive as its collation) is looked for here: the store filters by equality.
    const rows =
      title === null
        ? await repo.list(filter, page)
        : (await repo.list(filter)).filter((r) => (r.title ?? '').toLowerCase().includes(title)).slice(page.offset, page.offset + page.limit);
    const withCanvas = flag(query._withCanvas);
    return rows.map((r) => {
      const view = { ...r };
      if (withCanvas) return view;
      const { canvasJSON: _c, viewJSON: _v, ...rest } = view;
      return rest;
    });
  },
  getBlueprint: crud.get,
  addBlueprint: crud.add,
  modifyBlueprint: crud.modify,
  deleteBlueprint: crud.delete,
  deployBlueprint: async ({ params }, { ctx }) => deployBlueprint(ctx, await requireRow(ctx, 'blueprints', params.id)),
};
