/**
 * What the run panel offers: the functions the server found in the saved draft
 * (`discoverScriptDraft`: exact arguments and defaults, as Python reads them), and the other
 * top-level functions of the text being edited, read by the fallback parser (not exported, so the
 * server's discovery does not list them, yet a draft run can call them). Pure, no React.
 */
import type { DraftFunc } from '@contract/operations/scripts';
import { parseFunctions, type DraftFunction } from './parse-functions';

export type { DraftFunction };

/** The server's answer for one saved draft. */
export interface Discovery {
  codeDraftMD5: string;
  funcs: DraftFunc[];
  error: { exceptionType: string; message: string; line: number | null } | null;
}

/** kwargs to start from: every argument a caller may name, its default when it has one, else null. */
export function kwargsTemplate(f: Pick<DraftFunc, 'kwargs'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, k] of Object.entries(f.kwargs)) out[name] = k.hasDefault ? (k.default ?? null) : null;
  return out;
}

/**
 * `fresh`: the discovery is of the text being edited (saved and not changed since). A stale one (the
 * text changed, or the draft failed to import) only fills in the arguments of functions still in the
 * text, so a renamed or deleted function is not offered from an old answer.
 */
export function runnableFunctions(code: string, discovery: Discovery | undefined, fresh: boolean): DraftFunction[] {
  const parsed = parseFunctions(code);
  const inText = new Set(parsed.map((f) => f.name));
  const known = (discovery?.funcs ?? []).filter((f) => (fresh && discovery?.error === null) || inText.has(f.name));
  const fromServer: DraftFunction[] = known.map((f) => ({ name: f.name, exported: true, kwargsTemplate: kwargsTemplate(f) }));
  const listed = new Set(fromServer.map((f) => f.name));
  return [...fromServer, ...parsed.filter((f) => !listed.has(f.name))];
}
