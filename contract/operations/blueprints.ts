/**
 * Blueprints (DataFlux Func's `blueprints`): a flow canvas — LogicFlow's `{nodes, edges}` as its
 * editor saves it — kept as sent, and `:id/do/deploy`, which turns it into the published script
 * `_bp_<id>__main` with one function, `run` (docs/blueprints.md).
 */
import { z } from 'zod';
import { idParams, jsonObject, optionalText } from '../common.js';
import { operation } from '../operation.js';
import { crudOperations } from './crud.js';
import { LIST_FILTERS } from './entities.js';

/** What a blueprint's deployed script set and script are called (DataFlux Func's names). */
export const blueprintScriptSetId = (id: string): string => `_bp_${id}`;
export const blueprintScriptId = (id: string): string => `${blueprintScriptSetId(id)}__main`;
/** The deployed function's name. */
export const BLUEPRINT_FUNC_NAME = 'run';

/**
 * DataFlux Func's rule (a name: letters, digits and `_`, not starting with a digit), narrowed so
 * the deployed script's id `_bp_<id>__main` is one Func takes: at most 64 characters, and its set
 * `_bp_<id>` found again before its first `__` (so no `__` in the id and no `_` at its end).
 */
export const BLUEPRINT_ID_MAX = 64 - blueprintScriptId('').length;
export const blueprintIdField = z
  .string()
  .min(1)
  .max(BLUEPRINT_ID_MAX)
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must match ^[a-zA-Z_][a-zA-Z0-9_]*$')
  .refine((v) => !v.includes('__') && !v.endsWith('_'), `must not contain "__" nor end with "_" (the deployed script is ${blueprintScriptId('<id>')})`);

/** The most a canvas may hold, as JSON text (the column is a MySQL LONGTEXT; a canvas is small). */
export const MAX_CANVAS_JSON_CHARS = 5_000_000;
const canvasField = jsonObject.refine((v) => JSON.stringify(v).length <= MAX_CANVAS_JSON_CHARS, `at most ${MAX_CANVAS_JSON_CHARS} characters as JSON`);

/** List and get: `canvasJSON` and `viewJSON` in a list only with `_withCanvas` (as DataFlux Func). */
export const blueprintView = z.object({
  id: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  canvasJSON: jsonObject.optional(),
  viewJSON: jsonObject.optional(),
  isDeployed: z.boolean(),
  createTime: z.number(),
  updateTime: z.number(),
});

const fields = {
  title: optionalText(256),
  description: optionalText(5000),
  /** Stored as sent (a canvas being drawn may be incomplete); deploy checks it. Left out on add: a canvas with only the entry node. */
  canvasJSON: canvasField.nullable().optional(),
  viewJSON: canvasField.nullable().optional(),
  isDeployed: z.boolean().nullable().optional(),
};

export const blueprints = crudOperations({
  segment: 'blueprints',
  name: 'Blueprint',
  filters: LIST_FILTERS.blueprints,
  read: 'general_r',
  write: 'general_w',
  output: blueprintView,
  add: z.object({ id: blueprintIdField, ...fields }).loose(),
  modify: z.object(fields).loose(),
});

export const deployBlueprint = operation('deployBlueprint', 'POST /api/v1/blueprints/:id/do/deploy', 'general_w', {
  summary: 'Deploy a blueprint: its canvas as the published script _bp_<id>__main (function run)',
  params: idParams,
  output: z.object({ scriptSetId: z.string(), scriptId: z.string() }),
});
