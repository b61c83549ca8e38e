/**
 * The draft being edited: local text, autosave after a pause, and conflict detection through
 * prevCodeDraftMD5 (409 EBizRequestConflict carries the other version). The writes themselves are the
 * script's (`draft-saves.ts`): they go on after the editor is left and come back with the script.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@contract/errors';
import { useApi } from '../../app/session';
import type { ScriptDetail } from './queries';
import { leaveUnsaved, noteSaved, noteTheirsTaken, openScriptSaves, queueWrite, takeLeftUnsaved, type Conflict } from './draft-saves';

export type { Conflict } from './draft-saves';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';

export interface Draft {
  code: string;
  /** The editor's own edits. */
  setCode: (code: string) => void;
  /** Counts the times the text was replaced from outside the editor (their version taken, a rollback): the editor shows `code` anew then. */
  revision: number;
  /** Saves `text` in place of the draft, then shows it; a refused save leaves the draft as it was. */
  replace: (text: string) => Promise<boolean>;
  state: SaveState;
  error: string | null;
  conflict: Conflict | null;
  save: () => Promise<boolean>;
  keepMine: () => Promise<boolean>;
  takeTheirs: () => void;
}

const AUTOSAVE_MS = 1200;

export function useDraft(script: ScriptDetail): Draft {
  const api = useApi();
  const qc = useQueryClient();
  // Saves still on their way from the last time the script was open, or left unsaved then, come back with it.
  const [entry] = useState(() => openScriptSaves(script.id, script));
  const [opened] = useState(() => ({ left: entry.left, waiting: entry.pending > 0 }));
  const [code, setCodeState] = useState(opened.left?.text ?? entry.lastText);
  const [state, setState] = useState<SaveState>(opened.left ? (opened.left.conflict ? 'conflict' : 'error') : opened.waiting ? 'saving' : 'saved');
  const [error, setError] = useState<string | null>(opened.left?.error ?? null);
  const [conflict, setConflict] = useState<Conflict | null>(opened.left?.conflict ?? null);
  const [revision, setRevision] = useState(0);
  const latest = useRef(code);
  const shown = useRef(true);

  const writeNow = useCallback(
    async (text: string, prev: string): Promise<boolean> => {
      if (shown.current) setState('saving');
      try {
        const res = await api.modifyScript({ params: { id: script.id }, body: { data: { codeDraft: text }, prevCodeDraftMD5: prev } });
        noteSaved(entry, text, typeof res.codeDraftMD5 === 'string' ? res.codeDraftMD5 : entry.md5);
        qc.setQueryData<ScriptDetail>(['script', script.id], (old) => (old ? { ...old, codeDraft: text, codeDraftMD5: entry.md5 } : old));
        setError(null);
        setState(latest.current === text ? 'saved' : 'dirty');
        return true;
      } catch (err) {
        const theirs: Conflict | null =
          err instanceof ApiError && err.code === 'EBizRequestConflict'
            ? {
                theirs: typeof err.detail.codeDraft === 'string' ? err.detail.codeDraft : '',
                theirsMD5: typeof err.detail.codeDraftMD5 === 'string' ? err.detail.codeDraftMD5 : '',
              }
            : null;
        const message = theirs ? null : err instanceof Error ? err.message : String(err);
        // Failed once the script was left: kept for the next time it is opened.
        if (!shown.current) leaveUnsaved(entry, { text, error: message, conflict: theirs });
        else if (theirs) {
          setConflict(theirs);
          setState('conflict');
        } else {
          setError(message);
          setState('error');
        }
        return false;
      }
    },
    [api, qc, script.id, entry],
  );

  const write = useCallback((text: string, prev?: string): Promise<boolean> => queueWrite(entry, text, () => writeNow(text, prev ?? entry.md5)), [entry, writeNow]);

  // Opened while the last visit's saves were on their way: once they are answered, what they left is shown.
  useEffect(() => {
    if (!opened.waiting && !opened.left) return;
    takeLeftUnsaved(entry);
    if (!opened.waiting) return;
    void entry.queue.then(() => {
      if (!shown.current) return;
      const left = takeLeftUnsaved(entry);
      if (left?.conflict) {
        setConflict(left.conflict);
        setState('conflict');
      } else if (left) {
        setError(left.error);
        setState('error');
      } else setState(latest.current === entry.savedText ? 'saved' : 'dirty');
    });
  }, [entry, opened]);

  const save = useCallback(async (): Promise<boolean> => {
    if (conflict) return false;
    // This very text is on its way already: its answer is the one to wait for.
    if (entry.pending > 0 && latest.current === entry.lastText) {
      await entry.queue;
      return entry.savedText === latest.current;
    }
    if (latest.current === entry.savedText) {
      setState('saved');
      return true;
    }
    return write(latest.current);
  }, [conflict, write, entry]);

  const setCode = useCallback(
    (text: string) => {
      latest.current = text;
      setCodeState(text);
      setState((s) => (s === 'conflict' ? s : text === entry.savedText ? 'saved' : 'dirty'));
    },
    [entry],
  );

  useEffect(() => {
    if (state !== 'dirty') return;
    const t = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [code, state, save]);

  // Leaving the script (another script, another page) saves what the pause had not saved yet, rather
  // than dropping it with the autosave's timer. Not over a conflict: that is kept, with the edits, for
  // the user's choice when the script is opened again.
  const inConflict = useRef<Conflict | null>(null);
  useEffect(() => {
    inConflict.current = conflict;
  }, [conflict]);
  useEffect(() => {
    shown.current = true;
    return () => {
      shown.current = false;
      if (inConflict.current) leaveUnsaved(entry, { text: latest.current, error: null, conflict: inConflict.current });
      else if (latest.current !== entry.lastText || (latest.current !== entry.savedText && entry.pending === 0)) void write(latest.current);
    };
  }, [write, entry]);

  // Closing or reloading the page with edits not saved yet asks first.
  const unsaved = state === 'dirty' || state === 'saving' || state === 'error' || state === 'conflict';
  useEffect(() => {
    if (!unsaved) return;
    const ask = (e: BeforeUnloadEvent): void => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [unsaved]);

  const replace = useCallback(
    async (text: string): Promise<boolean> => {
      if (conflict) return false;
      if (!(await write(text))) return false;
      latest.current = text;
      setCodeState(text);
      setRevision((r) => r + 1);
      setState('saved');
      return true;
    },
    [conflict, write],
  );

  const keepMine = useCallback(async () => {
    if (!conflict) return true;
    const theirsMD5 = conflict.theirsMD5;
    setConflict(null);
    return write(latest.current, theirsMD5);
  }, [conflict, write]);

  const takeTheirs = useCallback(() => {
    if (!conflict) return;
    noteTheirsTaken(entry, conflict);
    qc.setQueryData<ScriptDetail>(['script', script.id], (old) => (old ? { ...old, codeDraft: conflict.theirs, codeDraftMD5: conflict.theirsMD5 } : old));
    latest.current = conflict.theirs;
    setCodeState(conflict.theirs);
    setRevision((r) => r + 1);
    setConflict(null);
    setState('saved');
  }, [conflict, qc, script.id, entry]);

  return { code, setCode, revision, replace, state, error, conflict, save, keepMine, takeTheirs };
}
