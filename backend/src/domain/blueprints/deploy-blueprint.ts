/**
 * Deploying a blueprint (DataFlux Func's `:id/do/deploy`): its canvas as the source of the script
 * `_bp_<id>__main` in the set `_bp_<id>`, published through the ScriptService. Everything is
 * checked before anything is written — the canvas (blueprint-code.ts), the functions its FuncNodes
 * call (published), the source run as a publish runs it — so a refused deploy leaves the previous
 * deployment as it was; should the publish still fail (what the source imports changed meanwhile),
 * what was written is put back as it was.
 */
import { ApiError } from '../../../../contract/errors.js';
import { BLUEPRINT_FUNC_NAME, blueprintScriptId, blueprintScriptSetId } from '../../../../contract/operations/blueprints.js';
import type { FuncRunnerPool } from '../ports/runner.js';
import type { BlueprintRow, FuncRow, Store } from '../ports/store.js';
import { ScriptService } from '../scripts/script-service.js';
import type { FuncCatalog } from '../scripts/func-catalog.js';
import { generateBlueprintCode, nodeAtLine, type BlueprintSource } from './blueprint-code.js';

export interface DeployDeps {
  store: Store;
  catalog: Pick<FuncCatalog, 'func' | 'invalidate'>;
  discoverer: Pick<FuncRunnerPool, 'discover'>;
  now: () => number;
}

export interface Deployed {
  scriptSetId: string;
  scriptId: string;
}

/**
 * The most nodes a deployed canvas may hold. The generated script holds a function per node, and a
 * publish compiles it in a runner process under its memory limit (FUNC_MEMORY_LIMIT_MB): 5,000
 * nodes publish within 256 MB, 20,000 do not (MemoryError). A canvas drawn in DataFlux Func's editor holds
 * tens of nodes; a canvas's JSON (at most 5,000,000 characters) could hold some 35,000.
 */
export const MAX_DEPLOYED_NODES = 5_000;

/** The note each deploy's publish carries in the script's publish history. */
export const deployNote = (id: string): string => `Deployed from blueprint ${id}`;

function failed(message: string, detail: Record<string, unknown>): ApiError {
  return new ApiError('EBlueprintDeployFailed', message, detail);
}

/** A publish failure of the generated source, told at the node whose function holds the line. */
function sourceFailure(source: BlueprintSource, err: { exceptionType: string; message: string; line?: number | null | undefined; traceback: string }): ApiError {
  const line = err.line ?? null;
  const at = line === null ? null : nodeAtLine(source, line);
  const where = at
    ? ` (line ${line}: node ${JSON.stringify(at.nodeId)} (${at.type})${at.codeLine !== undefined ? `, line ${at.codeLine} of its code` : ''})`
    : line === null
      ? ''
      : ` (line ${line})`;
  return failed(`The deployed script cannot be published: ${err.exceptionType}: ${err.message}${where}`, {
    exceptionType: err.exceptionType,
    message: err.message,
    line,
    traceback: err.traceback,
    ...(at ? { nodeId: at.nodeId, nodeType: at.type, codeLine: at.codeLine ?? null } : {}),
  });
}

/** Each function a FuncNode calls is published, and is not the blueprint's own. */
async function checkCalls(deps: DeployDeps, blueprint: BlueprintRow, source: BlueprintSource): Promise<void> {
  const own = blueprintScriptId(blueprint.id);
  for (const c of source.calls) {
    const field = `canvasJSON.nodes[${c.nodeIndex}].properties.funcId`;
    const refuse = (why: string): never => {
      throw failed(`${field}: node ${JSON.stringify(c.nodeId)} (FuncNode) calls ${c.funcId}, ${why}`, { field, nodeId: c.nodeId, nodeType: 'FuncNode', funcId: c.funcId });
    };
    if (c.funcId.split('.')[0] === own) refuse("the blueprint's own deployed function: a flow cannot call itself");
    const func: FuncRow | undefined = await deps.catalog.func(c.funcId);
    if (!func) refuse('which is not a published function');
  }
}

export async function deployBlueprint(deps: DeployDeps, blueprint: BlueprintRow): Promise<Deployed> {
  const scriptSetId = blueprintScriptSetId(blueprint.id);
  const scriptId = blueprintScriptId(blueprint.id);
  const source = generateBlueprintCode(blueprint);
  if (source.nodeLines.length > MAX_DEPLOYED_NODES) {
    const count = source.nodeLines.length;
    throw failed(`canvasJSON.nodes: the canvas holds ${count} nodes; a deployed canvas holds at most ${MAX_DEPLOYED_NODES} (MAX_DEPLOYED_NODES)`, {
      field: 'canvasJSON.nodes',
      count,
      max: MAX_DEPLOYED_NODES,
    });
  }
  await checkCalls(deps, blueprint, source);

  // The source run as a publish runs it, before anything is written.
  const found = await deps.discoverer.discover(scriptId, source.code);
  if (!found.ok) throw sourceFailure(source, found);
  if (!found.funcs.some((f) => f.name === BLUEPRINT_FUNC_NAME)) {
    throw failed(`The deployed script exports no function ${BLUEPRINT_FUNC_NAME}: a CodeNode must not bind the name ${BLUEPRINT_FUNC_NAME} at the top of the script`, {});
  }

  const now = deps.now();
  const sets = deps.store.entity('scriptSets');
  const scripts = new ScriptService(deps);
  const existingSet = await sets.get(scriptSetId);
  const existingScript = await deps.store.entity('scripts').get(scriptId);
  if (existingSet) await sets.update(scriptSetId, { title: blueprint.title, updateTime: now });
  else await sets.insert({ id: scriptSetId, title: blueprint.title, description: null, requirements: null, createTime: now, updateTime: now });
  await scripts.writeDraft({ id: scriptId, scriptSetId, title: blueprint.title, description: null, codeDraft: source.code }, now);
  const script = await deps.store.entity('scripts').get(scriptId);
  try {
    if (!script) throw failed(`The script ${scriptId} was deleted while the blueprint was being deployed`, {});
    await scripts.publish(script, deployNote(blueprint.id), now);
  } catch (err) {
    // Checked above, but what it imports may have changed since (a script a FuncNode calls
    // deleted meanwhile): the previous deployment stays as it was — the script's draft, title and
    // times, the set's title and times — and a first deployment leaves nothing.
    if (existingScript) await scripts.writeDraft(existingScript, existingScript.updateTime);
    else await scripts.deleteScript(scriptId);
    if (existingSet) await sets.update(scriptSetId, { title: existingSet.title, updateTime: existingSet.updateTime });
    else await sets.delete(scriptSetId);
    if (err instanceof ApiError && err.code === 'EScriptPublishFailed') {
      const d = err.detail as { exceptionType?: string; message?: string; line?: number | null; traceback?: string };
      throw sourceFailure(source, { exceptionType: d.exceptionType ?? 'Error', message: d.message ?? err.message, line: d.line ?? null, traceback: d.traceback ?? '' });
    }
    throw err;
  }
  // DataFlux Func deploys into a new set each time: what else the set held goes (once published, so a refused deploy deletes nothing).
  await scripts.deleteScriptsOf(scriptSetId, new Set([scriptId]));
  return { scriptSetId, scriptId };
}
