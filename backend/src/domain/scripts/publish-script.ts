/** Publishing a script: run the draft to discover its functions, then store code, version, history and funcs at once. */
import { FUNC_ID } from '../../../../contract/common.js';
import { ApiError } from '../../../../contract/errors.js';
import type { PublishedFunc } from '../../../../contract/operations/scripts.js';
import { checkCronExpr } from '../cron/cron-expr.js';
import { cronNextRunTime } from '../cron/cron-schedule.js';
import type { DiscoveredFunc, FuncRunnerPool } from '../ports/runner.js';
import type { FuncRow, ScriptRow, Store } from '../ports/store.js';

export interface PublishResult {
  id: string;
  publishVersion: number;
  apiFuncs: PublishedFunc[];
}

/** What the funcs table holds (MySQL): ids, names and categories up to 256 characters, titles and descriptions up to 65,535 bytes. */
export const FUNC_ID_MAX_CHARS = 256;
export const FUNC_CATEGORY_MAX_CHARS = 256;
export const FUNC_TEXT_MAX_BYTES = 65_535;

/**
 * Refuses, naming the function, the field and the line of its definition, a name its id cannot
 * take (a lambda's `<lambda>`, a non-ASCII name: it could never be called), what its row could not
 * store (was a 500 on MySQL, stored on SQLite) and a fixed_cron_expr no cron job could run by
 * (its jobs would never fire, and nothing would say why).
 */
function checkFits(script: ScriptRow, f: DiscoveredFunc): void {
  const refuse = (field: string, what: string): never => {
    const message = `DFF.API: ${field} of function ${f.name.slice(0, 64)}${f.name.length > 64 ? '…' : ''} ${what}`;
    const at = f.line !== undefined ? ` (line ${f.line})` : '';
    throw new ApiError('EScriptPublishFailed', `DFFInvalidOption: ${message}${at}`, {
      exceptionType: 'DFFInvalidOption',
      message,
      line: f.line ?? null,
      traceback: '',
      field,
      funcName: f.name,
    });
  };
  if (f.fixedCronExpr !== undefined) {
    const cron = checkCronExpr(f.fixedCronExpr);
    if (!cron.ok) refuse('fixed_cron_expr', `${JSON.stringify(f.fixedCronExpr)} is not a cron expression: ${cron.message ?? 'invalid'}`);
  }
  const id = `${script.id}.${f.name}`;
  if (!FUNC_ID.test(id)) {
    const rule = 'a name is ASCII letters, digits and underscores, not starting with a digit';
    if (f.name === '<lambda>') refuse('name', `is not a name: a lambda has none, so it could never be called; export a function defined with def (${rule})`);
    refuse('name', `is not one a function id can take (${script.id}.<name> could never be called): ${rule}`);
  }
  if (id.length > FUNC_ID_MAX_CHARS) refuse('name', `is too long: its id ${script.id}.<name> has ${id.length} characters, at most ${FUNC_ID_MAX_CHARS}`);
  if ((f.category || '').length > FUNC_CATEGORY_MAX_CHARS) refuse('category', `has ${f.category.length} characters, at most ${FUNC_CATEGORY_MAX_CHARS}`);
  for (const field of ['title', 'description'] as const) {
    const bytes = Buffer.byteLength(f[field] || '', 'utf8');
    if (bytes > FUNC_TEXT_MAX_BYTES) refuse(field, `has ${bytes} bytes of UTF-8, at most ${FUNC_TEXT_MAX_BYTES}`);
  }
}

/** The integration a function was published with (`@DFF.API(integration=…)`: `signIn`, `autoRun`), or null: DataFlux Func's `integration` column. */
export const funcIntegration = (row: FuncRow): string | null => (typeof row.extraConfigJSON.integration === 'string' ? row.extraConfigJSON.integration : null);

function funcRow(script: ScriptRow, f: DiscoveredFunc, now: number): FuncRow {
  const extra: Record<string, unknown> = { varKwargs: f.varKwargs, isHidden: f.isHidden === true };
  if (f.timeout !== undefined) extra.timeout = f.timeout;
  if (f.expires !== undefined) extra.expires = f.expires;
  if (f.cacheResult !== undefined) extra.cacheResult = f.cacheResult;
  if (f.queue !== undefined) extra.queue = f.queue;
  if (f.fixedCronExpr !== undefined) extra.fixedCronExpr = f.fixedCronExpr;
  if (f.retry !== undefined) extra.retry = f.retry;
  if (f.retryBackoff !== undefined) extra.retryBackoff = f.retryBackoff;
  if (f.integration !== undefined) extra.integration = f.integration;
  // Only a script that names it can read the request (it is a global of the script's own module):
  // a direct call builds and carries it only then (it cost a fifth of the HTTP enqueue rate).
  if (script.codeDraft.includes('_DFF_HTTP_REQUEST')) extra.readsHttpRequest = true;
  return {
    id: `${script.id}.${f.name}`,
    scriptSetId: script.scriptSetId,
    scriptId: script.id,
    name: f.name,
    title: f.title || null,
    description: f.description || null,
    definition: f.definition,
    argsJSON: f.args,
    kwargsJSON: f.kwargs,
    extraConfigJSON: extra,
    category: f.category || 'general',
    tagsJSON: f.tags,
    defOrder: f.order,
    createTime: now,
    updateTime: now,
  };
}

export async function publishScript(store: Store, discoverer: Pick<FuncRunnerPool, 'discover'>, script: ScriptRow, note: string | null, now: number): Promise<PublishResult> {
  const found = await discoverer.discover(script.id, script.codeDraft);
  if (!found.ok) {
    const at = found.line !== undefined ? ` (line ${found.line})` : '';
    throw new ApiError('EScriptPublishFailed', `${found.exceptionType}: ${found.message}${at}`, {
      exceptionType: found.exceptionType,
      message: found.message,
      line: found.line ?? null,
      traceback: found.traceback,
    });
  }
  for (const f of found.funcs) checkFits(script, f);
  const funcs = found.funcs.map((f) => funcRow(script, f, now));
  const publishVersion = await store.scripts.publish({ scriptId: script.id, code: script.codeDraft, codeMD5: script.codeDraftMD5, note, funcs, now });
  await rescheduleCronJobs(store, funcs, now);
  return {
    id: script.id,
    publishVersion,
    apiFuncs: found.funcs.map((f) => ({
      name: f.name,
      title: f.title,
      description: f.description,
      definition: f.definition,
      args: f.args,
      kwargs: f.kwargs,
      extraConfig: funcs.find((r) => r.name === f.name)?.extraConfigJSON ?? {},
      category: f.category,
      tags: f.tags,
      defOrder: f.order,
      isHidden: f.isHidden === true,
    })),
  };
}

/** A publish may add, change or drop a fixed_cron_expr: recompute the next runs of the script's cron jobs. */
export async function rescheduleCronJobs(store: Store, funcs: FuncRow[], now: number): Promise<void> {
  const byId = new Map(funcs.map((f) => [f.id, f]));
  if (byId.size === 0) return;
  const jobs = await store.entity('cronJobs').list({ funcId: [...byId.keys()] });
  for (const job of jobs) {
    const next = job.isDisabled ? null : cronNextRunTime(job, byId.get(job.funcId), now);
    if (next !== job.nextRunTime) await store.cron.setRunTimes(job.id, next, job.lastRunTime);
  }
}
