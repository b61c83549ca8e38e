/**
 * DataFlux Func's deploy of a script set (POST /api/v1/script-sets/:id/do/deploy): the set's
 * example script copied into the startup script set, its placeholders filled, published, and
 * optionally a cron job for its first function with a fixed cron expression. Whatever this deploy
 * added is removed again when a later step fails, so a refusal leaves nothing half-written.
 */
import { ApiError } from '../../../../contract/errors.js';
import { DEPLOYED_CRON_JOB_RECORD_LIMIT, STARTUP_CRON_JOB_ID_PREFIX, STARTUP_SCRIPT_SET_ID } from '../../../../contract/operations/script-set-deploy.js';
import type { PublishedFunc } from '../../../../contract/operations/scripts.js';
import type { Store } from '../ports/store.js';
import type { ScriptService } from './script-service.js';

/** A placeholder as example scripts write them: a string literal `"<Name>"`, the rest of its line after it. */
const PLACEHOLDER = /"<(.+)>"(.*)/g;

/**
 * Fills the example's config placeholders: the first `"<k>"` of each given non-empty value becomes
 * `"v"` (a `"` in v escaped); every placeholder left becomes `""`, its name kept as a comment.
 */
export function fillPlaceholders(code: string, replacer: Readonly<Record<string, string | null>>): string {
  let out = code;
  for (const [name, value] of Object.entries(replacer)) {
    if (!value) continue;
    const at = out.indexOf(`"<${name}>"`);
    if (at < 0) continue;
    out = `${out.slice(0, at)}"${value.replaceAll('"', '\\"')}"${out.slice(at + name.length + 4)}`;
  }
  return out.replace(PLACEHOLDER, (_m, name: string, rest: string) => `""${rest} # ${name}`);
}

export interface DeployOptions {
  withCronJob: boolean;
  startupScriptTitle: string | null;
  configReplacer: Record<string, string | null>;
}

export interface DeployDeps {
  store: Store;
  scripts: ScriptService;
  now: () => number;
  /** Adds a cron job through its entity rules (they check the function and its arguments). */
  addCronJob(data: { id: string; funcId: string; funcCallKwargsJSON: Record<string, unknown>; taskRecordLimit: number }): Promise<void>;
}

export interface DeployResult {
  startupScriptId: string | null;
  startupCronJobId: string | null;
  startupScriptCronJobFunc: PublishedFunc | null;
}

export async function deployScriptSet(deps: DeployDeps, setId: string, options: DeployOptions): Promise<DeployResult> {
  const { store } = deps;
  if (!(await store.entity('scriptSets').get(setId))) throw new ApiError('EClientNotFound', `No such Script set: ${setId}`, { field: 'id', id: setId });
  const example = await store.entity('scripts').get(`${setId}__example`);
  if (!example) return { startupScriptId: null, startupCronJobId: null, startupScriptCronJobFunc: null };
  const startupScriptId = `${STARTUP_SCRIPT_SET_ID}__${setId}`;
  const cronJobId = `${STARTUP_CRON_JOB_ID_PREFIX}${setId}`;
  if (startupScriptId.length > 64 || cronJobId.length > 64) {
    throw new ApiError('EBizCondition', `The set id is too long to deploy: ${cronJobId} would be over 64 characters`, { field: 'id', id: setId });
  }

  const added: { set?: boolean; script?: boolean; cronJob?: string } = {};
  try {
    const now = deps.now();
    if (!(await store.entity('scriptSets').get(STARTUP_SCRIPT_SET_ID))) {
      await store.entity('scriptSets').insert({ id: STARTUP_SCRIPT_SET_ID, title: 'Startup', description: null, requirements: null, createTime: now, updateTime: now });
      added.set = true;
    }
    if (!(await store.entity('scripts').get(startupScriptId))) {
      const codeDraft = fillPlaceholders(example.code ?? example.codeDraft, options.configReplacer);
      await deps.scripts.writeDraft({ id: startupScriptId, scriptSetId: STARTUP_SCRIPT_SET_ID, title: options.startupScriptTitle || setId, description: null, codeDraft }, now);
      added.script = true;
    }
    const script = (await store.entity('scripts').get(startupScriptId))!;
    const published = await deps.scripts.publish(script, `Deployed from ${setId}`, deps.now());

    let startupCronJobId: string | null = null;
    let cronFunc: PublishedFunc | null = null;
    if (options.withCronJob) {
      cronFunc = published.apiFuncs.find((f) => typeof f.extraConfig.fixedCronExpr === 'string' && f.extraConfig.fixedCronExpr !== '') ?? null;
      if (cronFunc) {
        const funcId = `${startupScriptId}.${cronFunc.name}`;
        const existing = await store.entity('cronJobs').list({ funcId }, { limit: 1 });
        if (existing[0]) startupCronJobId = existing[0].id;
        else {
          await deps.addCronJob({ id: cronJobId, funcId, funcCallKwargsJSON: {}, taskRecordLimit: DEPLOYED_CRON_JOB_RECORD_LIMIT });
          added.cronJob = cronJobId;
          startupCronJobId = cronJobId;
        }
      }
    }
    return { startupScriptId, startupCronJobId, startupScriptCronJobFunc: cronFunc };
  } catch (err) {
    if (added.cronJob) await store.entity('cronJobs').delete(added.cronJob);
    if (added.script) await deps.scripts.deleteScript(startupScriptId);
    if (added.set) await store.entity('scriptSets').delete(STARTUP_SCRIPT_SET_ID);
    throw err;
  }
}
