/** The entity pages: sync APIs, async APIs, API auth, cron jobs, env variables, access keys, users, file services. */
import { operations } from '@contract/index';
import { API_AUTH_TYPES, ENV_TYPES, TASK_RECORD_LIMIT_MAX, TASK_RECORD_LIMIT_MIN, type EntityView } from '@contract/operations/entities';
import { formatTime, formatTimeS } from '../../ui/format';
import { Badge } from '../../ui/Page';
import { defineEntity, type ColumnSpec, type EntityConfig, type FieldSpec } from './entity-types';
import { CronTriggers } from './CronTriggers';
import { cronScheduleOf } from '@contract/cron-schedule';
import { CronNextRun } from './CronNextRun';
import { ApiUrls, FileServiceUrl, Mono, Muted, Roles } from './cells';
import type { OutputOf } from '@contract/client/index';

const apiFields: FieldSpec[] = [
  { name: 'id', label: 'ID', kind: 'text', addOnly: true, hint: 'Optional; generated when empty', placeholder: 'my-api' },
  { name: 'funcId', label: 'Function', kind: 'func', required: true },
  { name: 'funcCallKwargsJSON', label: 'kwargs (JSON)', kind: 'json', hint: 'Use "INPUT_BY_CALLER" for values the caller gives', initial: '{}' },
  { name: 'apiAuthId', label: 'API auth', kind: 'apiAuth', hint: 'Credentials callers must give (see API auth)' },
  { name: 'expireTime', label: 'Expires', kind: 'datetime', hint: 'Local time; calls after it are refused. Empty: never' },
  { name: 'throttlingJSON', label: 'Throttling', kind: 'throttling', hint: 'The most calls per window; a full window answers 429' },
  { name: 'tagsJSON', label: 'Tags', kind: 'tags', placeholder: 'billing, public', hint: 'Comma-separated' },
  {
    name: 'taskRecordLimit',
    label: 'Task records kept',
    kind: 'number',
    placeholder: 'default',
    hint: `${TASK_RECORD_LIMIT_MIN}–${TASK_RECORD_LIMIT_MAX}; empty: the stack's default`,
  },
  { name: 'showInDoc', label: 'Show in the API doc', kind: 'checkbox' },
  { name: 'note', label: 'Note', kind: 'text' },
];

const API_AUTH_HINT = 'fixedField: a header, query or body field · httpBasic / httpDigest: users and passwords · func: a published function given the request';

const apiColumns = (kind: 'sync' | 'async'): ColumnSpec<EntityView<'syncApis' | 'asyncApis'>>[] => [
  { label: 'ID', render: (r) => <Mono>{r.id}</Mono> },
  { label: 'Function', render: (r) => <Mono>{r.funcId}</Mono> },
  { label: 'URL', render: (r) => <ApiUrls kind={kind} id={r.id} /> },
  { label: 'Note', render: (r) => <Muted>{r.note || '—'}</Muted> },
];

// `data as never` (add): form data is untyped text until the server validates it against add's schema (fields marked `required` are checked first).
export const entityConfigs: EntityConfig[] = [
  defineEntity<EntityView<'syncApis'>>({
    path: 'sync-apis',
    title: 'Sync APIs',
    singular: 'sync API',
    queryKey: 'syncApis',
    description: 'A published function answered over HTTP: the caller waits for the result.',
    emptyHint: 'Publish a script, then expose one of its functions here.',
    write: operations.addSyncApi.permission,
    api: (a) => ({
      list: () => a.listSyncApis({}),
      add: (data) => a.addSyncApi({ body: { data: data as never } }),
      modify: (id, data) => a.modifySyncApi({ params: { id }, body: { data } }),
      remove: (id) => a.deleteSyncApi({ params: { id } }),
    }),
    columns: apiColumns('sync'),
    fields: apiFields,
    toggleDisabled: true,
  }),
  defineEntity<EntityView<'asyncApis'>>({
    path: 'async-apis',
    title: 'Async APIs',
    singular: 'async API',
    queryKey: 'asyncApis',
    description: 'A published function called over HTTP that answers a task id at once.',
    emptyHint: 'Publish a script, then expose one of its functions here.',
    write: operations.addAsyncApi.permission,
    api: (a) => ({
      list: () => a.listAsyncApis({}),
      add: (data) => a.addAsyncApi({ body: { data: data as never } }),
      modify: (id, data) => a.modifyAsyncApi({ params: { id }, body: { data } }),
      remove: (id) => a.deleteAsyncApi({ params: { id } }),
    }),
    columns: apiColumns('async'),
    fields: apiFields,
    toggleDisabled: true,
  }),
  defineEntity<EntityView<'apiAuth'>>({
    path: 'api-auth',
    title: 'API auth',
    singular: 'API auth',
    queryKey: 'apiAuth',
    description:
      'Credentials a sync or async API asks its callers for: a fixed header, query or body field, HTTP Basic or Digest users, or a function of yours deciding. Secrets are stored encrypted.',
    emptyHint: 'Add one, then pick it in a sync or async API.',
    write: operations.addApiAuth.permission,
    api: (a) => ({
      list: () => a.listApiAuth({}),
      add: (data) => a.addApiAuth({ body: { data } }),
      modify: (id, data) => a.modifyApiAuth({ params: { id }, body: { data } }),
      remove: (id) => a.deleteApiAuth({ params: { id } }),
    }),
    columns: [
      { label: 'ID', render: (r) => <Mono>{r.id}</Mono> },
      { label: 'Type', render: (r) => <Badge>{r.type}</Badge> },
      { label: 'Title', render: (r) => r.title || <Muted>—</Muted> },
      { label: 'Note', render: (r) => <Muted>{r.note || '—'}</Muted> },
    ],
    fields: [
      { name: 'id', label: 'ID', kind: 'text', addOnly: true, hint: 'Optional; generated when empty', placeholder: 'partner-key' },
      { name: 'type', label: 'Type', kind: 'select', options: API_AUTH_TYPES, initial: 'fixedField', addOnly: true, hint: API_AUTH_HINT },
      { name: 'title', label: 'Title', kind: 'text' },
      {
        name: 'configJSON',
        label: 'Configuration',
        kind: 'apiAuthConfig',
        initial: '{}',
        hint: 'fixedField: a call passes when any one field matches; httpBasic / httpDigest: when any one user signs in',
      },
      { name: 'note', label: 'Note', kind: 'text' },
    ],
  }),
  defineEntity<EntityView<'cronJobs'>>({
    path: 'cron-jobs',
    title: 'Cron jobs',
    singular: 'cron job',
    queryKey: 'cronJobs',
    // Next runs move as jobs fire, and as scripts pause them or set their expression.
    refreshMs: 5000,
    description: 'Functions run on a schedule by the beat.',
    emptyHint: 'Schedule a published function with a cron expression.',
    write: operations.addCronJob.permission,
    api: (a) => ({
      list: () => a.listCronJobs({}),
      add: (data) => a.addCronJob({ body: { data } }),
      modify: (id, data) => a.modifyCronJob({ params: { id }, body: { data } }),
      remove: (id) => a.deleteCronJob({ params: { id } }),
    }),
    columns: [
      { label: 'ID', render: (r) => <Mono>{r.id}</Mono> },
      { label: 'Function', render: (r) => <Mono>{r.funcId}</Mono> },
      {
        label: 'Schedule',
        // The expression the job runs by (contract's cronScheduleOf, the beat's rule: a script's dynamic one, else the function's fixed_cron_expr
        // (joined into the row as `func_extraConfigJSON`), else its own), its time zone, and a
        // pause (DFF.CRON_JOB.pause), as DataFlux Func's list shows them; their expire times are epoch seconds.
        render: (r) => {
          const s = cronScheduleOf({ cronExpr: r.cronExpr, fixedCronExpr: r.func_extraConfigJSON?.fixedCronExpr, dynamicCronExpr: r.dynamicCronExpr });
          const overridden = s.overridden !== null ? ` · own ${s.overridden} not used` : '';
          return (
            <>
              {s.source === 'dynamic' ? (
                <span data-testid="cron-dynamic">
                  <Mono>{s.expr}</Mono>{' '}
                  <Muted>
                    dynamic{r.dynamicCronExprExpireTime ? ` until ${formatTimeS(r.dynamicCronExprExpireTime)}` : ''}
                    {overridden}
                  </Muted>
                </span>
              ) : s.source === 'fixed' ? (
                <span data-testid="cron-fixed">
                  <Mono>{s.expr}</Mono> <Muted>fixed by the function{overridden}</Muted>
                </span>
              ) : (
                <Mono>{s.expr ?? '— (run by hand only)'}</Mono>
              )}
              {r.timezone ? <Muted> · {r.timezone}</Muted> : null}
              {r.isPaused ? (
                <span data-testid="cron-paused">
                  <Muted> · paused{r.pauseExpireTime ? ` until ${formatTimeS(r.pauseExpireTime)}` : ''}</Muted>
                </span>
              ) : null}
            </>
          );
        },
      },
      {
        label: 'Next run',
        render: (r) => (
          <span data-testid="cron-next-run">
            <Muted>
              <CronNextRun row={r} />
            </Muted>
          </span>
        ),
      },
    ],
    fields: [
      { name: 'id', label: 'ID', kind: 'text', addOnly: true, hint: 'Optional; generated when empty' },
      { name: 'funcId', label: 'Function', kind: 'func', required: true },
      { name: 'cronExpr', label: 'Cron expression', kind: 'text', placeholder: '*/5 * * * *', hint: 'minute hour day month weekday (seconds optional first)' },
      { name: 'timezone', label: 'Time zone', kind: 'text', placeholder: 'Europe/Paris' },
      { name: 'funcCallKwargsJSON', label: 'kwargs (JSON)', kind: 'json', initial: '{}' },
      { name: 'note', label: 'Note', kind: 'text' },
    ],
    toggleDisabled: true,
    actions: [{ label: 'Run now', testId: 'cron-run', run: async (a, r) => `Started task ${(await a.runCronJob({ params: { id: r.id }, body: {} })).id}` }],
    detail: (r) => <CronTriggers jobId={r.id} row={r} />,
  }),
  defineEntity<EntityView<'envVariables'>>({
    path: 'env-variables',
    title: 'Env variables',
    singular: 'env variable',
    queryKey: 'envVariables',
    description: 'Values read by scripts with DFF.ENV(name), cast by type. Password values are stored encrypted.',
    emptyHint: 'Add configuration your scripts read with DFF.ENV.',
    write: operations.addEnvVariable.permission,
    api: (a) => ({
      list: () => a.listEnvVariables({}),
      add: (data) => a.addEnvVariable({ body: { data: data as never } }),
      modify: (id, data) => a.modifyEnvVariable({ params: { id }, body: { data } }),
      remove: (id) => a.deleteEnvVariable({ params: { id } }),
    }),
    columns: [
      { label: 'ID', render: (r) => <Mono>{r.id}</Mono> },
      { label: 'Type', render: (r) => <Badge>{r.autoTypeCasting}</Badge> },
      {
        label: 'Value',
        render: (r) => (r.autoTypeCasting === 'password' ? <Muted>••••••••</Muted> : <Mono>{r.valueTEXT}</Mono>),
        // Narrower under md: at 760 px a 20rem value pushed the title under the sticky actions.
        className: 'max-w-40 truncate md:max-w-xs',
      },
      { label: 'Title', render: (r) => <Muted>{r.title || '—'}</Muted> },
    ],
    fields: [
      { name: 'id', label: 'ID', kind: 'text', addOnly: true, required: true, placeholder: 'API_URL' },
      { name: 'autoTypeCasting', label: 'Type', kind: 'select', options: ENV_TYPES, initial: 'string' },
      {
        name: 'valueTEXT',
        label: 'Value',
        kind: 'textarea',
        required: true,
        keepWhenEmpty: true,
        editHint: 'Leave empty to keep the current value',
        secretWhen: { field: 'autoTypeCasting', equals: 'password' },
      },
      { name: 'title', label: 'Title', kind: 'text' },
    ],
  }),
  defineEntity<EntityView<'accessKeys'>>({
    path: 'access-keys',
    title: 'Access keys',
    singular: 'access key',
    queryKey: 'accessKeys',
    description: 'Keys that sign API requests (X-Dff-Ak-Id, -Timestamp, -Nonce, -Sign), as DataFlux Func SDKs do.',
    emptyHint: 'Create a key for a program that calls this stack.',
    write: operations.addAccessKey.permission,
    api: (a) => ({
      list: () => a.listAccessKeys({}),
      add: (data) => a.addAccessKey({ body: { data } }),
      modify: (id, data) => a.modifyAccessKey({ params: { id }, body: { data } }),
      remove: (id) => a.deleteAccessKey({ params: { id } }),
    }),
    columns: [
      { label: 'ID', render: (r) => <Mono>{r.id}</Mono> },
      { label: 'Title', render: (r) => r.title },
      { label: 'Created', render: (r) => <Muted>{formatTime(r.createTime)}</Muted> },
    ],
    fields: [{ name: 'title', label: 'Title', kind: 'text', required: true }],
    onceAfterAdd: { field: 'secret', label: 'Secret' },
    toggleDisabled: true,
  }),
  defineEntity<EntityView<'users'>>({
    path: 'users',
    title: 'Users',
    singular: 'user',
    queryKey: 'users',
    description: 'People who sign in to this console.',
    emptyHint: 'Add a user.',
    nameOf: (r) => r.username,
    write: operations.addUser.permission,
    api: (a) => ({
      list: () => a.listUsers({}),
      add: (data) => a.addUser({ body: { data: data as never } }),
      modify: (id, data) => a.modifyUser({ params: { id }, body: { data } }),
      remove: (id) => a.deleteUser({ params: { id } }),
    }),
    columns: [
      { label: 'Username', render: (r) => <Mono>{r.username}</Mono> },
      { label: 'Name', render: (r) => r.name },
      { label: 'Roles', render: (r) => <Roles roles={r.roles} /> },
    ],
    fields: [
      { name: 'username', label: 'Username', kind: 'text', addOnly: true, required: true },
      { name: 'name', label: 'Name', kind: 'text', required: true },
      { name: 'password', label: 'Password', kind: 'password', required: true, hint: 'At least 8 characters', editHint: 'leave empty to keep it' },
      { name: 'roles', label: 'Role', kind: 'roles' },
    ],
    toggleDisabled: true,
  }),
  defineEntity<OutputOf<'listFileServices'>[number]>({
    path: 'file-services',
    title: 'File services',
    singular: 'file service',
    queryKey: 'fileServices',
    description: 'A folder of the resources folder served to anyone at its URL (no sign-in): files as they are, folders as a listing.',
    emptyHint: 'Serve a folder of the resources (reports, images, downloads) at a public URL.',
    write: operations.addFileService.permission,
    api: (a) => ({
      list: () => a.listFileServices({}),
      add: (data) => a.addFileService({ body: { data: data as never } }),
      modify: (id, data) => a.modifyFileService({ params: { id }, body: { data } }),
      remove: (id) => a.deleteFileService({ params: { id } }),
    }),
    columns: [
      { label: 'ID', render: (r) => <Mono>{r.id}</Mono> },
      { label: 'Folder', render: (r) => <Mono>{r.root}</Mono> },
      { label: 'Public URL', render: (r) => <FileServiceUrl id={r.id} disabled={r.isDisabled} /> },
      { label: 'Note', render: (r) => <Muted>{r.note || '—'}</Muted> },
    ],
    fields: [
      { name: 'id', label: 'ID', kind: 'text', addOnly: true, hint: 'Optional; generated when empty', placeholder: 'reports' },
      { name: 'root', label: 'Folder', kind: 'text', required: true, placeholder: '/reports', hint: 'A folder of the resources folder (/ is its top)' },
      { name: 'note', label: 'Note', kind: 'text' },
    ],
    toggleDisabled: true,
  }),
];
