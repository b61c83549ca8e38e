/** The admin entities' input and output schemas (DataFlux Func's field names) and their CRUD operations. */
import { z } from 'zod';
import type { OperationInput, OperationOutput } from '../operation.js';
import { crudOperations, optionalId } from './crud.js';
import { funcIdField, jsonObject, optionalText, SCRIPT_ID, scriptIdField, scriptSetIdField } from '../common.js';
import { ROLES } from '../permissions.js';
import { ISO_TIME_FORMS, parseIsoTime } from '../iso-time.js';
import { acceptingOldNames, OLD_FIELD_NAMES } from './old-names.js';
import type { fileServices } from './file-services.js';
import type { connectors } from './connectors.js';
import type { blueprints } from './blueprints.js';

/**
 * How each admin list filters (`?field=value`), DataFlux Func's `route.yaml` search types:
 * - `oneOf`: equal to one of the comma-separated values;
 * - `contains`: holds the text, ignoring case (its `like`);
 * - `flag`: `true`/`1` or anything else for false;
 * - `hasAllTags`: the row's `tagsJSON` holds every comma-separated tag;
 * - `funcScriptSet`, `funcScript`, `funcHasAllTags` (the `func_*` fields): the row's function is in one
 *   of these script sets / scripts, or has every tag.
 * - `extraConfigOneOf`: the row's `extraConfigJSON` holds one of these values under the field's
 *   name (a function's `integration`, which DataFlux Func keeps in a column of its own).
 * Other query fields are ignored, as DataFlux Func ignores them.
 */
export type ListFilterKind = 'oneOf' | 'contains' | 'flag' | 'hasAllTags' | 'funcScriptSet' | 'funcScript' | 'funcHasAllTags' | 'extraConfigOneOf';

const API_FILTERS = {
  id: 'oneOf',
  funcId: 'oneOf',
  isDisabled: 'flag',
  tags: 'hasAllTags',
  func_scriptSetId: 'funcScriptSet',
  func_scriptId: 'funcScript',
  func_tags: 'funcHasAllTags',
} as const;

export const LIST_FILTER_KINDS = {
  scriptSets: { id: 'oneOf' },
  scripts: { id: 'oneOf', scriptSetId: 'oneOf' },
  funcs: { id: 'oneOf', scriptId: 'oneOf', scriptSetId: 'oneOf', name: 'oneOf', category: 'oneOf', integration: 'extraConfigOneOf', tags: 'hasAllTags' },
  syncApis: API_FILTERS,
  asyncApis: API_FILTERS,
  cronJobs: API_FILTERS,
  envVariables: { id: 'oneOf' },
  // DataFlux's `title` of an access key is Func's `name`.
  accessKeys: { id: 'oneOf', userId: 'oneOf', name: 'contains', title: 'contains' },
  // DataFlux's `name` of an API auth is Func's `title`.
  apiAuth: { id: 'oneOf', type: 'oneOf', title: 'contains', name: 'contains', note: 'contains' },
  fileServices: { id: 'oneOf', root: 'contains', isDisabled: 'flag' },
  connectors: { id: 'oneOf', type: 'oneOf' },
  blueprints: { id: 'oneOf', title: 'contains', isDeployed: 'flag' },
  users: { id: 'oneOf', username: 'contains', name: 'contains', email: 'contains', mobile: 'contains', isDisabled: 'flag' },
} as const satisfies Record<string, Record<string, ListFilterKind>>;

type FilterNames = { [E in keyof typeof LIST_FILTER_KINDS]: readonly (keyof (typeof LIST_FILTER_KINDS)[E] & string)[] };

/** The fields each admin list filters by (LIST_FILTER_KINDS' keys). */
export const LIST_FILTERS = Object.fromEntries(Object.entries(LIST_FILTER_KINDS).map(([entity, kinds]) => [entity, Object.keys(kinds)])) as unknown as FilterNames;

const tags = z.array(z.string().min(1).max(64)).max(64).nullable().optional();
const kwargs = jsonObject;
/** An API's throttling rules (`throttlingJSON`): the most calls in each fixed window. */
export const THROTTLING_RULES = ['bySecond', 'byMinute', 'byHour', 'byDay', 'byMonth', 'byYear'] as const;
const throttling = z
  .object(Object.fromEntries(THROTTLING_RULES.map((rule) => [rule, z.number().int().min(1).optional()])) as Record<(typeof THROTTLING_RULES)[number], z.ZodOptional<z.ZodNumber>>)
  // A misspelt rule would leave the API unthrottled without a word.
  .strict()
  .nullable()
  .optional();
/**
 * ISO 8601 text in the forms a call's `options.eta` takes (contract/iso-time.ts: without an offset,
 * UTC; DataFlux Func's MySQL DATETIME column takes it so too) or epoch ms.
 */
const expireTime = z
  .union([z.string().refine((v) => parseIsoTime(v) !== undefined, ISO_TIME_FORMS), z.number().int().positive()])
  .nullable()
  .optional();
/** How many task records an API or cron job may keep (DataFlux Func's `_TASK_RECORD_LIMIT_MIN` / `_MAX`). */
export const TASK_RECORD_LIMIT_MIN = 0;
export const TASK_RECORD_LIMIT_MAX = 10_000;
const taskRecordLimit = z.number().int().min(TASK_RECORD_LIMIT_MIN).max(TASK_RECORD_LIMIT_MAX).nullable().optional();

/**
 * What list and get answer: the stored row as the server shows it (times in epoch ms, `*JSON` fields
 * parsed). Types only: answers are not parsed at run time (backend/test/entity-outputs.test.ts keeps
 * these honest against a running stack).
 */
const nullText = z.string().nullable();
const times = { createTime: z.number(), updateTime: z.number() };
const apiRow = {
  id: z.string(),
  funcId: z.string(),
  funcCallKwargsJSON: jsonObject,
  tagsJSON: z.array(z.string()).nullable(),
  expireTime: z.number().nullable(),
  taskRecordLimit: z.number().nullable(),
  isDisabled: z.boolean(),
  note: nullText,
  ...times,
};
export const scriptSetView = z.object({ id: z.string(), title: nullText, description: nullText, requirements: nullText, ...times });
/** A script; `code` (published, null before the first publish) and `codeDraft` only when asked for (get always; list with `_withCode`/`_withCodeDraft`). */
export const scriptView = z.object({
  id: z.string(),
  scriptSetId: z.string(),
  title: nullText,
  description: nullText,
  type: z.literal('python'),
  code: nullText.optional(),
  codeMD5: nullText,
  codeDraft: z.string().optional(),
  codeDraftMD5: z.string(),
  publishVersion: z.number(),
  ...times,
});
export const funcView = z.object({
  id: z.string(),
  scriptSetId: z.string(),
  scriptId: z.string(),
  name: z.string(),
  title: nullText,
  description: nullText,
  definition: z.string(),
  argsJSON: z.array(z.string()),
  kwargsJSON: jsonObject,
  extraConfigJSON: jsonObject,
  category: z.string(),
  tagsJSON: z.array(z.string()),
  defOrder: z.number(),
  /** From `extraConfigJSON.isHidden`. */
  isHidden: z.boolean(),
  /** DataFlux Func's integration (`@DFF.API(integration=…)`: `signIn`, `autoRun`), recorded, not acted on; from `extraConfigJSON.integration`. */
  integration: nullText,
  ...times,
});
/**
 * The function an API or cron job calls, joined as DataFlux Func lists it (`func_*`, `scpt_id`,
 * `sset_id`; null when the function is gone): its console shows them in the lists. Added by list
 * and get (optional for the rules, which build the row before the routes add them).
 */
const funcJoined = {
  func_id: nullText.optional(),
  func_name: nullText.optional(),
  func_title: nullText.optional(),
  func_description: nullText.optional(),
  func_definition: nullText.optional(),
  func_argsJSON: z.array(z.string()).nullable().optional(),
  func_kwargsJSON: jsonObject.nullable().optional(),
  func_extraConfigJSON: jsonObject.nullable().optional(),
  func_category: nullText.optional(),
  func_tagsJSON: z.array(z.string()).nullable().optional(),
  scpt_id: nullText.optional(),
  sset_id: nullText.optional(),
};
const httpApiView = z.object({ ...apiRow, ...funcJoined, apiAuthId: nullText, throttlingJSON: jsonObject.nullable(), showInDoc: z.boolean() });
export const syncApiView = httpApiView;
export const asyncApiView = httpApiView;
/** `crontab`: `cronExpr` again, under DataFlux Func's old name (old-names.ts; always answered, optional for the rules that build the row before the routes add it). */
export const cronJobView = z.object({
  ...apiRow,
  ...funcJoined,
  cronExpr: nullText,
  crontab: nullText.optional(),
  timezone: nullText,
  nextRunTime: z.number().nullable(),
  lastRunTime: z.number().nullable(),
  /**
   * What scripts set (DFF.CRON_JOB.set_cron_expr / pause), under DataFlux Func's names, times in
   * epoch seconds (whole), as DataFlux Func (not ms like nextRunTime): the dynamic expression (null
   * when none or expired) and when it expires (null: until cleared), whether the job is paused and
   * until when. Answered by list and get.
   */
  dynamicCronExpr: nullText.optional(),
  dynamicCronExprExpireTime: z.number().int().nullable().optional(),
  isPaused: z.boolean().optional(),
  pauseExpireTime: z.number().int().nullable().optional(),
});
/** `valueTEXT` is left out for the password type. */
export const envVariableView = z.object({ id: z.string(), title: nullText, description: nullText, autoTypeCasting: z.string(), valueTEXT: z.string().optional(), ...times });
/** Never the secret (answered once, by add). `title` is `name` again, as DataFlux Func names it. */
export const accessKeyView = z.object({ id: z.string(), userId: z.string(), name: nullText, title: nullText, isDisabled: z.boolean(), ...times });
/** `configJSON` decrypted for general_w holders, its secrets masked for the others. */
export const apiAuthView = z.object({
  id: z.string(),
  title: nullText,
  /** `title` again, as DataFlux Func names it (old-names.ts; always answered, optional for the rules that build the row before the routes add it). */
  name: nullText.optional(),
  type: z.enum(['fixedField', 'httpBasic', 'httpDigest', 'func']),
  configJSON: jsonObject,
  note: nullText,
  ...times,
});
/** Never the password hash. */
export const userView = z.object({
  id: z.string(),
  username: z.string(),
  name: nullText,
  email: nullText,
  mobile: nullText,
  roles: z.array(z.string()),
  isDisabled: z.boolean(),
  /**
   * DataFlux Func's online sessions of the user ({idle, ttl, lastAccessTime}); always empty here:
   * Func's tokens are checked without a lookup and no session list is kept (its console reads it).
   */
  sessions: z.array(z.object({ idle: z.number(), ttl: z.number(), lastAccessTime: z.number() })).optional(),
  ...times,
});

const scriptSet = { title: optionalText(256), description: optionalText(5000), requirements: optionalText(5000) };
export const scriptSets = crudOperations({
  segment: 'script-sets',
  name: 'ScriptSet',
  filters: LIST_FILTERS.scriptSets,
  read: 'general_r',
  write: 'general_w',
  output: scriptSetView,
  add: z
    .object({
      id: scriptSetIdField,
      ...scriptSet,
    })
    .loose(),
  modify: z.object(scriptSet).loose(),
});

/** The most characters a script's code holds (codeDraft, or codeDraftBase64 once decoded). */
export const MAX_CODE_CHARS = 5_000_000;

/**
 * Base64 text as any encoder writes it: padded or not, line breaks allowed, the URL-safe alphabet
 * (`-`, `_`) too, as Node's decoder takes it. The server decodes it as UTF-8 and holds the text to
 * codeDraft's 5,000,000 characters; this bound only keeps the encoded text near that.
 */
const base64Text = z
  .string()
  .max(30_000_000)
  .refine((v) => {
    const t = v.replace(/\s+/g, '');
    return /^[A-Za-z0-9+/_-]*={0,2}$/.test(t) && t.length % 4 !== 1;
  }, 'must be base64 text (A-Z, a-z, 0-9, + or -, / or _, = padding)');
const script = { title: optionalText(256), description: optionalText(5000), codeDraft: z.string().max(MAX_CODE_CHARS).optional(), codeDraftBase64: base64Text.optional() };
export const scripts = crudOperations({
  segment: 'scripts',
  name: 'Script',
  filters: LIST_FILTERS.scripts,
  read: 'general_r',
  write: 'general_w',
  output: scriptView,
  /** The saved draft's MD5 (null when the draft was not sent). */
  modified: { codeDraftMD5: z.string().nullable() },
  add: z.object({ id: scriptIdField, ...script }).loose(),
  modify: z.object(script).loose(),
});

export const funcs = crudOperations({
  segment: 'funcs',
  name: 'Func',
  filters: LIST_FILTERS.funcs,
  read: 'general_r',
  write: 'general_w',
  output: funcView,
  add: z.never(),
  modify: z.never(),
});

const api = {
  funcCallKwargsJSON: kwargs.optional(),
  tagsJSON: tags,
  apiAuthId: z.string().max(64).nullable().optional(),
  expireTime,
  throttlingJSON: throttling,
  showInDoc: z.boolean().optional(),
  taskRecordLimit,
  isDisabled: z.boolean().optional(),
  note: optionalText(5000),
};
/** Sync and async APIs: the same fields and rows, each under its own segment and DataFlux Func's old one. */
const httpApiOperations = (named: { segment: string; aliases: readonly string[]; name: string; filters: readonly string[] }) =>
  crudOperations({
    ...named,
    read: 'general_r',
    write: 'general_w',
    output: httpApiView,
    add: z.object({ id: optionalId, funcId: funcIdField, ...api, funcCallKwargsJSON: kwargs }).loose(),
    modify: z.object({ funcId: funcIdField.optional(), ...api }).loose(),
  });
export const syncApis = httpApiOperations({ segment: 'sync-apis', aliases: ['auth-links'], name: 'SyncApi', filters: LIST_FILTERS.syncApis });
export const asyncApis = httpApiOperations({ segment: 'async-apis', aliases: ['batches'], name: 'AsyncApi', filters: LIST_FILTERS.asyncApis });

const cron = {
  funcCallKwargsJSON: kwargs.optional(),
  cronExpr: z.string().max(128).nullable().optional(),
  timezone: z.string().max(64).nullable().optional(),
  tagsJSON: tags,
  expireTime,
  taskRecordLimit,
  isDisabled: z.boolean().optional(),
  note: optionalText(5000),
};
export const cronJobs = crudOperations({
  segment: 'cron-jobs',
  aliases: ['crontab-configs'],
  name: 'CronJob',
  filters: LIST_FILTERS.cronJobs,
  read: 'general_r',
  write: 'general_w',
  output: cronJobView,
  add: acceptingOldNames(OLD_FIELD_NAMES.cronJobs, z.object({ id: optionalId, funcId: funcIdField, ...cron, funcCallKwargsJSON: kwargs }).loose()),
  modify: acceptingOldNames(OLD_FIELD_NAMES.cronJobs, z.object({ funcId: funcIdField.optional(), ...cron }).loose()),
});

export const ENV_TYPES = ['string', 'password', 'integer', 'float', 'boolean', 'json', 'commaArray'] as const;
const env = { title: optionalText(256), description: optionalText(5000), autoTypeCasting: z.enum(ENV_TYPES), valueTEXT: z.string().max(1_000_000) };
export const envVariables = crudOperations({
  segment: 'env-variables',
  name: 'EnvVariable',
  filters: LIST_FILTERS.envVariables,
  read: 'general_r',
  write: 'general_w',
  output: envVariableView,
  add: z
    .object({
      id: z
        .string()
        .max(64)
        .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be an identifier'),
      ...env,
    })
    .loose(),
  modify: z.object({ ...env, autoTypeCasting: env.autoTypeCasting.optional(), valueTEXT: env.valueTEXT.optional() }).loose(),
});

const accessKey = { title: z.string().min(1).max(256), name: optionalText(256), isDisabled: z.boolean().optional() };
export const accessKeys = crudOperations({
  segment: 'access-keys',
  name: 'AccessKey',
  filters: LIST_FILTERS.accessKeys,
  read: 'accessKey_r',
  write: 'accessKey_w',
  getSelectsFields: true,
  // DataFlux Func's builtin.byXAuthToken: a key cannot list, mint or change keys.
  tokenOnly: true,
  output: accessKeyView,
  /** The secret: shown this once, never again. */
  added: { secret: z.string() },
  add: z
    .object({ ...accessKey, title: accessKey.title.optional() })
    .loose()
    .refine((v) => v.title !== undefined || typeof v.name === 'string', { error: 'title is required', path: ['title'] }),
  modify: z.object({ ...accessKey, title: accessKey.title.optional() }).loose(),
});

export const API_AUTH_TYPES = ['fixedField', 'httpBasic', 'httpDigest', 'func'] as const;
const apiAuth = { title: optionalText(256), configJSON: jsonObject, note: optionalText(5000) };
export const apiAuth_ = crudOperations({
  segment: 'api-auth',
  name: 'ApiAuth',
  filters: LIST_FILTERS.apiAuth,
  read: 'general_r',
  write: 'general_w',
  output: apiAuthView,
  add: acceptingOldNames(OLD_FIELD_NAMES.apiAuth, z.object({ id: optionalId, type: z.enum(API_AUTH_TYPES), ...apiAuth }).loose()),
  modify: acceptingOldNames(OLD_FIELD_NAMES.apiAuth, z.object({ ...apiAuth, configJSON: jsonObject.optional() }).loose()),
});

const username = z
  .string()
  .min(1)
  .max(30)
  .regex(/^[a-zA-Z0-9_.@-]+$/, 'letters, digits and _ . @ - only');
/** Contact details, free text as DataFlux Func keeps them (its users routes' lengths; profile modify takes the same). */
export const userContact = { email: optionalText(100), mobile: optionalText(20) };
/** Longest user's name (DataFlux Func's column; its routes take 50), on the users routes and profile modify. */
export const USER_NAME_MAX = 256;
export const users = crudOperations({
  segment: 'users',
  name: 'User',
  filters: LIST_FILTERS.users,
  read: 'user_r',
  write: 'user_w',
  getSelectsFields: true,
  // DataFlux Func's builtin.byXAuthToken: a key cannot list or change users.
  tokenOnly: true,
  output: userView,
  add: z
    .object({
      username,
      password: z.string().min(8).max(100),
      name: z.string().min(1).max(USER_NAME_MAX),
      ...userContact,
      roles: z.array(z.enum(ROLES)).min(1).optional(),
      isDisabled: z.boolean().optional(),
    })
    .loose(),
  modify: z
    .object({
      username: username.optional(),
      ...userContact,
      password: z.string().min(8).max(100).optional(),
      name: z.string().min(1).max(USER_NAME_MAX).optional(),
      roles: z.array(z.enum(ROLES)).min(1).optional(),
      isDisabled: z.boolean().optional(),
    })
    .loose(),
});

export { SCRIPT_ID };

/** Each entity's operations, by the store's entity names. */
export interface EntityOperations {
  scriptSets: typeof scriptSets;
  scripts: typeof scripts;
  funcs: typeof funcs;
  syncApis: typeof syncApis;
  asyncApis: typeof asyncApis;
  cronJobs: typeof cronJobs;
  envVariables: typeof envVariables;
  accessKeys: typeof accessKeys;
  apiAuth: typeof apiAuth_;
  fileServices: typeof fileServices;
  connectors: typeof connectors;
  blueprints: typeof blueprints;
  users: typeof users;
}
export type EntityKind = keyof EntityOperations;
/** One row as list and get answer it. */
export type EntityView<N extends EntityKind> = OperationOutput<EntityOperations[N]['get']>;
/** `data` of add and of modify, as validated. */
export type EntityAddData<N extends EntityKind> = OperationInput<EntityOperations[N]['add']>['body']['data'];
export type EntityModifyData<N extends EntityKind> = OperationInput<EntityOperations[N]['modify']>['body']['data'];
/** What add answers beside the id. */
export type EntityAdded<N extends EntityKind> = Omit<OperationOutput<EntityOperations[N]['add']>, 'id'>;
