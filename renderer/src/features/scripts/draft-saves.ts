/**
 * A script's draft saves outlive the editor that made them. Leaving a script while its last edits are
 * on their way (or leaving before the autosave's pause ended, which saves them then) and coming back
 * shows those edits, not the text the script was loaded with; and a save that failed once no editor
 * showed the script comes back with it, its text kept and the failure said, rather than being lost.
 */

export interface Conflict {
  theirs: string;
  theirsMD5: string;
}

/** Edits a save left behind, shown again when the script is opened. */
export interface LeftUnsaved {
  text: string;
  error: string | null;
  conflict: Conflict | null;
}

export interface ScriptSaves {
  /** The writes, one at a time in order: each waits for the one before and uses the MD5 it left. */
  queue: Promise<unknown>;
  /** Writes queued and not answered yet. */
  pending: number;
  /** What the last answered write left on the server. */
  md5: string;
  savedText: string;
  /** The text of the last write queued. */
  lastText: string;
  left: LeftUnsaved | null;
}

const saves = new Map<string, ScriptSaves>();

/** The saves of a script being opened: those still on their way or left unsaved, else a fresh start from the stored draft. */
export function openScriptSaves(id: string, stored: { codeDraft: string; codeDraftMD5: string }): ScriptSaves {
  const known = saves.get(id);
  if (known && (known.pending > 0 || known.left)) return known;
  const fresh: ScriptSaves = { queue: Promise.resolve(), pending: 0, md5: stored.codeDraftMD5, savedText: stored.codeDraft, lastText: stored.codeDraft, left: null };
  saves.set(id, fresh);
  return fresh;
}

/** Queues a write after the ones before it. */
export function queueWrite(entry: ScriptSaves, text: string, write: () => Promise<boolean>): Promise<boolean> {
  entry.pending += 1;
  entry.lastText = text;
  const run = entry.queue.then(write).finally(() => {
    entry.pending -= 1;
  });
  entry.queue = run;
  return run;
}

/** Takes what a save left unsaved, once: the editor opening the script shows it. */
export function takeLeftUnsaved(entry: ScriptSaves): LeftUnsaved | null {
  const left = entry.left;
  entry.left = null;
  return left;
}

/** A write answered: the draft on the server is now `text`, with this MD5. */
export function noteSaved(entry: ScriptSaves, text: string, md5: string): void {
  entry.md5 = md5;
  entry.savedText = text;
}

/** Their version taken over a conflict: it is now what the server holds and the text being edited. */
export function noteTheirsTaken(entry: ScriptSaves, conflict: Conflict): void {
  noteSaved(entry, conflict.theirs, conflict.theirsMD5);
  entry.lastText = conflict.theirs;
}

/** Edits left behind by a failed or refused save, or over a conflict, when the script was left. */
export function leaveUnsaved(entry: ScriptSaves, left: LeftUnsaved): void {
  entry.left = left;
}

/** Forgets every script's saves: the user signed out or another stack was chosen (what one user left unsaved is not shown to the next). */
export function forgetScriptSaves(): void {
  saves.clear();
}
