/** A running task's print lines as they are written (GET /api/v1/tasks/:id/logs/stream). */
import { useEffect, useState } from 'react';
import { useApi } from '../../app/session';

/** Lines kept in the page; older ones give way (the record has the log when the task ends). */
export const LIVE_LINES_KEPT = 2000;

export interface LiveLogs {
  lines: string[];
  /** Lines that gave way to newer ones in the page. */
  trimmed: number;
  /** The task's final status once it ended, else null. */
  ended: string | null;
  /** The stream failed (the desktop bridge has none, or the connection dropped). */
  failed: boolean;
}

const EMPTY: LiveLogs = { lines: [], trimmed: 0, ended: null, failed: false };

/** `id`: a task id or a debug run's liveKey; null: not watching. `onEnd` is told the final status. */
export function useLiveLogs(id: string | null, onEnd?: (status: string) => void): LiveLogs {
  const api = useApi();
  // Keyed by the id watched: another id starts from nothing.
  const [state, setState] = useState<LiveLogs & { id: string | null }>({ ...EMPTY, id });
  useEffect(() => {
    if (!id) return;
    const mine = (s: LiveLogs & { id: string | null }): LiveLogs & { id: string | null } => (s.id === id ? s : { ...EMPTY, id });
    const sub = api.subscribeTaskLogs(id, {
      onLines: (lines) =>
        setState((prev) => {
          const s = mine(prev);
          const all = s.lines.concat(lines);
          const cut = Math.max(0, all.length - LIVE_LINES_KEPT);
          return { ...s, lines: cut > 0 ? all.slice(cut) : all, trimmed: s.trimmed + cut, failed: false };
        }),
      onEnd: (status) => {
        setState((prev) => ({ ...mine(prev), ended: status }));
        onEnd?.(status);
      },
      onError: () => setState((prev) => ({ ...mine(prev), failed: true })),
    });
    return () => sub.close();
    // onEnd is read when the end comes; a new one does not restart the stream.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id]);
  return state.id === id ? state : EMPTY;
}

/** A random key for a debug run's live lines (the console does not know its task id before the answer). */
export function newLiveKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `live-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
