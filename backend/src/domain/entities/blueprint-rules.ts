/** Blueprints: the canvas kept as sent (deploy checks it); a new one without a canvas gets one holding only the entry node (as DataFlux Func). */
import type { BlueprintRow, EntityRows, JsonObject } from '../ports/store.js';
import { nothingAdded, pick, stamp, type EntityRules } from './entity-rules.js';

/** A new blueprint's canvas when add sends none: the entry node alone (DataFlux Func's example canvas, with its `edges` list). */
export const NEW_BLUEPRINT_CANVAS = (): JsonObject => ({ nodes: [{ id: 'entry', type: 'EntryNode', x: 240, y: 40, properties: {} }], edges: [] });

export const blueprintRules: EntityRules<'blueprints'> = {
  name: 'blueprints',
  fromAdd: (d, deps) =>
    Promise.resolve({
      id: d.id,
      title: d.title ?? null,
      description: d.description ?? null,
      canvasJSON: d.canvasJSON ?? NEW_BLUEPRINT_CANVAS(),
      viewJSON: d.viewJSON ?? {},
      isDeployed: d.isDeployed === true,
      ...stamp(deps),
    }),
  fromModify: (d, _e, deps) => {
    const patch: Partial<EntityRows['blueprints']> = { ...pick(d, ['title', 'description']), updateTime: deps.now() };
    // null leaves a canvas, a view or the flag as it is (the columns hold no null).
    if (d.canvasJSON !== undefined && d.canvasJSON !== null) patch.canvasJSON = d.canvasJSON;
    if (d.viewJSON !== undefined && d.viewJSON !== null) patch.viewJSON = d.viewJSON;
    if (d.isDeployed !== undefined && d.isDeployed !== null) patch.isDeployed = d.isDeployed;
    return Promise.resolve(patch);
  },
  addedView: nothingAdded,
  toApi: (row: BlueprintRow) => ({ ...row }),
};
