/** Runtime description of each table: which columns exist and which need JSON or boolean encoding. */
import type { EntityName, EntityRows, ScriptPublishRow, TaskRecordRow } from '../../domain/ports/store.js';

/** `Row` is the port row the table stores (a type-level tag: the codec returns it). */
export interface TableSpec<Row = unknown> {
  /** Name used in errors (the port's entity name). */
  readonly entity: string;
  readonly table: string;
  /** Every column, in a fixed order (inserts use it). */
  readonly columns: readonly string[];
  /** Stored as JSON text, returned parsed; not filterable. */
  readonly json: ReadonlySet<string>;
  /** Stored as 0/1, returned as boolean. */
  readonly bool: ReadonlySet<string>;
  /** Never set; carries `Row`. */
  readonly row?: Row;
}

type Column<Row> = keyof Row & string;

function spec<Row>(entity: string, table: string, columns: readonly Column<Row>[], json: readonly Column<Row>[], bool: readonly Column<Row>[] = []): TableSpec<Row> {
  return { entity, table, columns, json: new Set<string>(json), bool: new Set<string>(bool) };
}

const times = ['createTime', 'updateTime'] as const;
const apiCommon = ['id', 'funcId', 'funcCallKwargsJSON', 'tagsJSON', 'expireTime', 'taskRecordLimit', 'isDisabled', 'note'] as const;
const apiJson = ['funcCallKwargsJSON', 'tagsJSON'] as const;
const httpApi = ['apiAuthId', 'throttlingJSON', 'showInDoc'] as const;

export const ENTITY_TABLES: { readonly [N in EntityName]: TableSpec<EntityRows[N]> } = {
  scriptSets: spec('scriptSets', 'script_sets', ['id', 'title', 'description', 'requirements', ...times], []),
  scripts: spec('scripts', 'scripts', ['id', 'scriptSetId', 'title', 'description', 'code', 'codeMD5', 'codeDraft', 'codeDraftMD5', 'publishVersion', ...times], []),
  funcs: spec(
    'funcs',
    'funcs',
    ['id', 'scriptSetId', 'scriptId', 'name', 'title', 'description', 'definition', 'argsJSON', 'kwargsJSON', 'extraConfigJSON', 'category', 'tagsJSON', 'defOrder', ...times],
    ['argsJSON', 'kwargsJSON', 'extraConfigJSON', 'tagsJSON'],
  ),
  syncApis: spec('syncApis', 'sync_apis', [...apiCommon, ...httpApi, ...times], [...apiJson, 'throttlingJSON'], ['isDisabled', 'showInDoc']),
  asyncApis: spec('asyncApis', 'async_apis', [...apiCommon, ...httpApi, ...times], [...apiJson, 'throttlingJSON'], ['isDisabled', 'showInDoc']),
  cronJobs: spec('cronJobs', 'cron_jobs', [...apiCommon, 'cronExpr', 'timezone', 'nextRunTime', 'lastRunTime', ...times], apiJson, ['isDisabled']),
  envVariables: spec('envVariables', 'env_variables', ['id', 'title', 'description', 'autoTypeCasting', 'valueTEXT', ...times], []),
  users: spec('users', 'users', ['id', 'username', 'name', 'email', 'mobile', 'passwordHash', 'roles', 'isDisabled', 'tokensValidAfter', ...times], ['roles'], ['isDisabled']),
  accessKeys: spec('accessKeys', 'access_keys', ['id', 'userId', 'name', 'secretCipher', 'isDisabled', ...times], [], ['isDisabled']),
  apiAuth: spec('apiAuth', 'api_auth', ['id', 'title', 'type', 'configJSON', 'note', ...times], ['configJSON']),
  fileServices: spec('fileServices', 'file_services', ['id', 'root', 'isDisabled', 'note', ...times], [], ['isDisabled']),
  connectors: spec('connectors', 'connectors', ['id', 'title', 'description', 'type', 'configJSON', 'isBuiltin', 'pinTime', ...times], ['configJSON'], ['isBuiltin']),
  blueprints: spec('blueprints', 'blueprints', ['id', 'title', 'description', 'canvasJSON', 'viewJSON', 'isDeployed', ...times], ['canvasJSON', 'viewJSON'], ['isDeployed']),
};

export const SCRIPT_PUBLISH_TABLE: TableSpec<ScriptPublishRow> = spec(
  'scriptPublishHistory',
  'script_publish_history',
  ['scriptId', 'publishVersion', 'code', 'codeMD5', 'note', 'createTime'],
  [],
);

export const TASK_RECORD_TABLE: TableSpec<TaskRecordRow> = spec(
  'taskRecords',
  'task_records',
  [
    'id',
    'rootTaskId',
    'funcId',
    'scriptId',
    'origin',
    'originId',
    'queue',
    'status',
    'triggerTimeMs',
    'startTimeMs',
    'endTimeMs',
    'kwargsJSON',
    'returnValueJSON',
    'printLogsTEXT',
    'exceptionType',
    'exceptionTEXT',
    'tracebackTEXT',
    'reason',
    'timeoutMs',
    'attempt',
    'peakMemoryMb',
    'messageJSON',
    'httpRequestJSON',
    'replayOf',
    'attemptsJSON',
  ],
  ['kwargsJSON', 'returnValueJSON', 'messageJSON', 'httpRequestJSON', 'attemptsJSON'],
);
