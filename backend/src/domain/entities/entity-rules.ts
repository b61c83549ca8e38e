/**
 * What an admin entity is beyond a plain row: how add and modify build its row, what they check,
 * what add answers beside the id, how the row is shown, and what a delete must respect. One rule
 * set per entity (this folder); the generic CRUD routes apply them, so a rule lives once.
 */
import { badField } from '../../../../contract/errors.js';
import { ISO_TIME_FORMS, parseIsoTime } from '../../../../contract/iso-time.js';
import type { EntityAddData, EntityAdded, EntityModifyData, EntityView } from '../../../../contract/operations/entities.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { FuncRunnerPool } from '../ports/runner.js';
import type { EntityName, EntityRows, FuncRow, JsonObject, Store, UserRow } from '../ports/store.js';
import type { FuncCatalog } from '../scripts/func-catalog.js';
import { kwargsProblem } from '../tasks/build-task.js';

/** What the rules read and change: the store, the clock, the secret box and the function catalog. */
export interface EntityRuleDeps {
  store: Store;
  secrets: SecretBox;
  now: () => number;
  catalog: Pick<FuncCatalog, 'func' | 'invalidate'>;
  discoverer: Pick<FuncRunnerPool, 'discover'>;
  /** A user's tokens were revoked (password, roles or disabled): caches of that user are dropped. */
  userRevoked: (userId: string) => void;
}

/** Rows a delete took with it, by entity. */
export type CascadeDeleted = { name: EntityName; ids: string[] }[];

/** Who acts: the signed-in user (an access key acts as its owner). */
export interface Actor {
  user: Pick<UserRow, 'id' | 'roles'>;
}

/** The types of one entity's operations, from the contract. */
export interface EntityTypes {
  /** `data` of add and modify, as the contract validated it. */
  add: unknown;
  modify: unknown;
  /** One row as list and get answer it. */
  view: unknown;
  /** What add answers beside the id. */
  added: object;
}
export interface EntityTypesOf<N extends EntityName> {
  add: EntityAddData<N>;
  modify: EntityModifyData<N>;
  view: EntityView<N>;
  added: EntityAdded<N>;
}

export interface EntityRules<N extends EntityName, T extends EntityTypes = EntityTypesOf<N>> {
  name: N;
  fromAdd(data: T['add'], deps: EntityRuleDeps, actor: Actor): Promise<EntityRows[N]>;
  fromModify(data: T['modify'], existing: EntityRows[N], deps: EntityRuleDeps): Promise<Partial<EntityRows[N]>>;
  /** What add answers beside the id (an access key's secret: the one time it is shown). */
  addedView(row: EntityRows[N], deps: EntityRuleDeps): T['added'];
  /** The row as `actor` may see it. */
  toApi(row: EntityRows[N], deps: EntityRuleDeps, actor: Actor): T['view'];
  /** May refuse the delete by throwing. */
  beforeDelete?(row: EntityRows[N], deps: EntityRuleDeps): Promise<void>;
  /** What goes with the row (a script set's scripts); answers the rows it deleted. */
  afterDelete?(id: string, deps: EntityRuleDeps): Promise<CascadeDeleted>;
}

/** The given fields of `data` (those not undefined). */
export function pick<D extends object, K extends keyof D>(data: D, keys: readonly K[]): Partial<Pick<D, K>> {
  const out: Partial<Pick<D, K>> = {};
  for (const k of keys) if (data[k] !== undefined) out[k] = data[k];
  return out;
}

const isoMs = (v: string): number => {
  const ms = parseIsoTime(v);
  if (ms === undefined) throw badField('expireTime', ISO_TIME_FORMS);
  return ms;
};
/** An ISO time (checked by the contract: contract/iso-time.ts, without an offset UTC) or epoch ms as epoch ms. */
export const toMs = (v: string | number | null | undefined): number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : isoMs(v));

/** Add answers nothing beside the id. */
export const nothingAdded = (): { [field: string]: never } => ({});

export const stamp = (deps: EntityRuleDeps): { createTime: number; updateTime: number } => ({ createTime: deps.now(), updateTime: deps.now() });

/** What APIs and cron jobs share (how they call their function), as a new row holds it: what the add left out is null (false). */
export function callFields(d: {
  funcCallKwargsJSON: JsonObject;
  tagsJSON?: string[] | null;
  expireTime?: string | number | null;
  taskRecordLimit?: number | null;
  isDisabled?: boolean;
  note?: string | null;
}): Pick<EntityRows['cronJobs'], 'funcCallKwargsJSON' | 'tagsJSON' | 'expireTime' | 'taskRecordLimit' | 'isDisabled' | 'note'> {
  return {
    funcCallKwargsJSON: d.funcCallKwargsJSON,
    tagsJSON: d.tagsJSON ?? null,
    expireTime: toMs(d.expireTime),
    taskRecordLimit: d.taskRecordLimit ?? null,
    isDisabled: d.isDisabled === true,
    note: d.note ?? null,
  };
}

/** The published function `funcId` names, or a 4xx naming `field`. */
export async function requirePublishedFunc(deps: Pick<EntityRuleDeps, 'catalog'>, funcId: string, field = 'funcId'): Promise<FuncRow> {
  const func = await deps.catalog.func(funcId);
  if (!func) throw badField(field, `no published function ${funcId}`);
  return func;
}

/**
 * The kwargs an API or a cron job fixes fit its function: no argument the function does not take
 * (a sync or async API's caller may add the others), and for a cron job (`complete`, nobody adds
 * any) every one it needs. Refused at once, naming the argument, rather than failing every call.
 */
export function checkFixedKwargs(func: FuncRow, kwargs: JsonObject, complete: boolean): void {
  const problem = kwargsProblem(func, kwargs, complete);
  if (problem) throw badField(`funcCallKwargsJSON.${problem.name}`, problem.message);
}

/** A function id given (an API auth's config holds it as unknown JSON) names a published function. */
export async function checkFuncField(deps: EntityRuleDeps, funcId: unknown): Promise<void> {
  if (typeof funcId === 'string') await requirePublishedFunc(deps, funcId);
}
