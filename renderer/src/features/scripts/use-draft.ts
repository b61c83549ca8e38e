/**
 * The draft being edited: local text, autosave after a pause, and conflict detection through
 * prevCodeDraftMD5 (409 EBizRequestConflict carries the other version).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@contract/errors';
import { useApi } from '../../app/session';
import type { ScriptDetail } from './queries';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';

export interface Conflict {
  theirs: string;
  theirsMD5: string;
}

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
  const [code, setCodeState] = useState(script.codeDraft);
  const [state, setState] = useState<SaveState>('saved');
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [revision, setRevision] = useState(0);
  const md5 = useRef(script.codeDraftMD5);
  const latest = useRef(code);
  const savedText = useRef(script.codeDraft);

  const writeNow = useCallback(
    async (text: string, prev: string): Promise<boolean> => {
      setState('saving');
      try {
        const res = await api.modifyScript({ params: { id: script.id }, body: { data: { codeDraft: text }, prevCodeDraftMD5: prev } });
        md5.current = typeof res.codeDraftMD5 === 'string' ? res.codeDraftMD5 : md5.current;
        savedText.current = text;
        qc.setQueryData<ScriptDetail>(['script', script.id], (old) => (old ? { ...old, codeDraft: text, codeDraftMD5: md5.current } : old));
        setError(null);
        setState(latest.current === text ? 'saved' : 'dirty');
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.code === 'EBizRequestConflict') {
          setConflict({
            theirs: typeof err.detail.codeDraft === 'string' ? err.detail.codeDraft : '',
            theirsMD5: typeof err.detail.codeDraftMD5 === 'string' ? err.detail.codeDraftMD5 : '',
          });
          setState('conflict');
        } else {
          setError(err instanceof Error ? err.message : String(err));
          setState('error');
        }
        return false;
      }
    },
    [api, qc, script.id],
  );

  // One write at a time, each after the one before has answered: its MD5 is the one that write left
  // (a save while an autosave is in flight, or on leaving the script, is not refused as a conflict).
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const write = useCallback(
    (text: string, prev?: string): Promise<boolean> => {
      const run = queue.current.then(() => writeNow(text, prev ?? md5.current));
      queue.current = run;
      return run;
    },
    [writeNow],
  );

  const save = useCallback(async (): Promise<boolean> => {
    if (conflict) return false;
    if (latest.current === savedText.current) {
      setState('saved');
      return true;
    }
    return write(latest.current);
  }, [conflict, write]);

  const setCode = useCallback((text: string) => {
    latest.current = text;
    setCodeState(text);
    setState((s) => (s === 'conflict' ? s : text === savedText.current ? 'saved' : 'dirty'));
  }, []);

  useEffect(() => {
    if (state !== 'dirty') return;
    const t = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [code, state, save]);

  // Leaving the script (another script, another page) saves what the pause had not saved yet, rather
  // than dropping it with the autosave's timer. Not over a conflict: that waits for the user's choice.
  const inConflict = useRef(false);
  useEffect(() => {
    inConflict.current = conflict !== null;
  }, [conflict]);
  useEffect(
    () => () => {
      if (!inConflict.current && latest.current !== savedText.current) void write(latest.current);
    },
    [write],
  );

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
    md5.current = conflict.theirsMD5;
    savedText.current = conflict.theirs;
    qc.setQueryData<ScriptDetail>(['script', script.id], (old) => (old ? { ...old, codeDraft: conflict.theirs, codeDraftMD5: conflict.theirsMD5 } : old));
    latest.current = conflict.theirs;
    setCodeState(conflict.theirs);
    setRevision((r) => r + 1);
    setConflict(null);
    setState('saved');
  }, [conflict, qc, script.id]);

  return { code, setCode, revision, replace, state, error, conflict, save, keepMine, takeTheirs };
}
