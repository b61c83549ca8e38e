/**
 * Script-set bundle files: saving an export and reading an import, through the desktop surface's
 * save/open file functions when the console runs in the desktop app, a download / file input otherwise.
 */
import { scriptSetBundle, type ScriptSetBundle } from '@contract/operations/script-set-bundle';
import { funcDesktop } from '../../app/desktop';

export interface OpenedFile {
  name: string;
  content: string;
}

/** `<set>.func-script-set.json` (the desktop surface accepts letters, digits, `_ . -` only). */
export function bundleFileName(setId: string): string {
  return `${setId}.func-script-set.json`;
}

/** Saves the bundle; false when the user cancelled the desktop save dialog. */
export async function saveBundleFile(bundle: ScriptSetBundle): Promise<boolean> {
  const name = bundleFileName(bundle.scriptSet.id);
  const content = `${JSON.stringify(bundle, null, 2)}\n`;
  const desktop = funcDesktop();
  if (desktop) {
    const result = await desktop.desktop.saveFile(name, content);
    return typeof result === 'object' && result !== null && (result as { saved?: unknown }).saved === true;
  }
  downloadBlob(name, new Blob([content], { type: 'application/json' }));
  return true;
}

/** Saves `blob` as a browser download named `name` (an object URL on a link, revoked later). */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The desktop open dialog; null when cancelled. Only call when `funcDesktop()` is defined. */
export async function openWithDesktop(): Promise<OpenedFile | null> {
  const result = await funcDesktop()?.desktop.openFile();
  if (typeof result !== 'object' || result === null) return null;
  const { name, content } = result as { name?: unknown; content?: unknown };
  return typeof name === 'string' && typeof content === 'string' ? { name, content } : null;
}

export type ParsedBundle = { ok: true; bundle: ScriptSetBundle } | { ok: false; message: string };

/** Checks a file against the bundle schema before anything is sent, with the field that is wrong. */
export function parseBundle(text: string): ParsedBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `The file is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const r = scriptSetBundle.safeParse(json);
  if (r.success) return { ok: true, bundle: r.data };
  const issue = r.error.issues[0];
  const field = (issue?.path ?? []).map(String).join('.') || 'file';
  return { ok: false, message: `Not a script-set bundle: ${field}: ${issue?.message ?? 'invalid'}` };
}
