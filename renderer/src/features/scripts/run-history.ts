/** Runs of draft functions kept for the browser session (per script), newest first. */
import { useSyncExternalStore } from 'react';
import type { OutputOf } from '@contract/client/index';

/** A draft run, or a replay of a recorded task (`replayOf`, `against`). */
export type DraftRun = OutputOf<'callFuncDraft'> & { funcId: string; kwargs: Record<string, unknown>; at: number; replayOf?: string; against?: 'draft' | number };

const runs = new Map<string, DraftRun[]>();
const listeners = new Set<() => void>();
const EMPTY: DraftRun[] = [];

export function addRun(scriptId: string, run: DraftRun): void {
  runs.set(scriptId, [run, ...(runs.get(scriptId) ?? [])].slice(0, 20));
  for (const l of listeners) l();
}

export function useRuns(scriptId: string): DraftRun[] {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => runs.get(scriptId) ?? EMPTY,
  );
}
