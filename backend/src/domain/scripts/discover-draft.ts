/** Discovering a saved draft's functions without publishing it (the console's run panel lists them). */
import type { DraftFunc } from '../../../../contract/operations/scripts.js';
import type { DiscoveredFunc, FuncRunnerPool } from '../ports/runner.js';
import type { ScriptRow } from '../ports/store.js';

export interface DraftDiscovery {
  id: string;
  codeDraftMD5: string;
  funcs: DraftFunc[];
  error: { exceptionType: string; message: string; line: number | null; traceback: string } | null;
}

/**
 * What the run panel shows of a discovered function. Its `kwargs` are the arguments a caller may
 * name: not `*args` / `**kw`, which a published function's kwargsJSON lists as DataFlux Func does
 * (the run panel sent them as arguments: `unexpected keyword argument '*args'`).
 */
function view(f: DiscoveredFunc): DraftFunc {
  const { name, title, description, category, tags, definition, args, varKwargs } = f;
  const kwargs = Object.fromEntries(Object.entries(f.kwargs).filter(([k]) => !k.startsWith('*')));
  return { name, title, description, category, tags, definition, args, kwargs, varKwargs, isHidden: f.isHidden === true, defOrder: f.order };
}

/** Runs the draft's module code in the discoverer, as a publish does, and stores nothing. */
export async function discoverDraft(discoverer: Pick<FuncRunnerPool, 'discover'>, script: ScriptRow): Promise<DraftDiscovery> {
  const found = await discoverer.discover(script.id, script.codeDraft);
  const base = { id: script.id, codeDraftMD5: script.codeDraftMD5 };
  if (found.ok) return { ...base, funcs: found.funcs.map(view), error: null };
  return { ...base, funcs: [], error: { exceptionType: found.exceptionType, message: found.message, line: found.line ?? null, traceback: found.traceback } };
}
