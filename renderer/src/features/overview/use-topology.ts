/**
 * The live topology over SSE (polling when the stream drops), with a rolling history for charts.
 * One feed for the session, kept in this module: the layout feeds it while the console is open
 * (signed in), the overview and topology pages read it, so a page opened again shows the last 90 s
 * rather than starting empty. A new client (another stack, another sign-in) starts it afresh, from
 * the history this tab kept for that stack (`history-store.ts`: a reload shows the last 90 s too).
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { TopologyStatus } from '@contract/operations/topology';
import type { HttpFuncApi } from '@contract/client/index';
import { useSession } from '../../app/session';
import { historyKey, KEEP, restoreHistory, saveHistory, type Sample } from './history-store';

export type { Sample } from './history-store';

export interface LiveTopology {
  current: TopologyStatus | null;
  history: Sample[];
  live: boolean;
  error: string | null;
}

const EMPTY: LiveTopology = { current: null, history: [], live: false, error: null };

function sampleOf(prev: TopologyStatus | null, next: TopologyStatus): Sample {
  const throughput: Record<number, number> = {};
  const length: Record<number, number> = {};
  const dt = prev ? Math.max(0.2, (next.time - prev.time) / 1000) : 1;
  for (const q of next.queues) {
    const before = prev?.queues.find((p) => p.queue === q.queue)?.done ?? q.done;
    throughput[q.queue] = Math.max(0, q.done - before) / dt;
    length[q.queue] = q.length + q.inFlight;
  }
  return { time: next.time, throughput, length };
}

let state: LiveTopology = EMPTY;
const listeners = new Set<() => void>();
let feed: { api: HttpFuncApi; users: number; stop: () => void } | null = null;

function update(next: (s: LiveTopology) => LiveTopology): void {
  state = next(state);
  for (const l of listeners) l();
}

/** `key`: where the stack's history is kept (`historyKey`). */
function start(api: HttpFuncApi, key: string): () => void {
  let poll: ReturnType<typeof setInterval> | null = null;
  // Once stopped (another stack, signed out), a reply still on its way is not this session's.
  let stopped = false;
  let first = true;
  const accept = (t: TopologyStatus, live: boolean): void => {
    if (stopped) return;
    // The first answer (the stack's clock) decides which stored samples are still in the window; its
    // own sample is left out when some are (no tasks/s without a previous count: a false 0).
    const restored = first ? restoreHistory(key, t.time) : null;
    first = false;
    update((s) => ({ current: t, live, error: null, history: restored?.length ? restored : [...s.history, sampleOf(s.current, t)].slice(-KEEP) }));
    saveHistory(key, state.history);
  };
  const startPolling = (): void => {
    if (poll || stopped) return;
    update((s) => ({ ...s, live: false }));
    poll = setInterval(() => {
      api.getTopology({}).then(
        (t) => accept(t, false),
        (err: unknown) => {
          if (!stopped) update((s) => ({ ...s, error: err instanceof Error ? err.message : String(err) }));
        },
      );
    }, 2000);
  };
  const sub = api.subscribeTopology((t) => {
    if (poll) {
      clearInterval(poll);
      poll = null;
    }
    accept(t, true);
  }, startPolling);
  return () => {
    stopped = true;
    sub.close();
    if (poll) clearInterval(poll);
  };
}

/**
 * Keeps the session's feed running with `api` until the answer is called (the last caller gone:
 * stopped and forgotten). `stackUrl`: the stack's URL, which names its stored history.
 */
export function feedTopology(api: HttpFuncApi, stackUrl: string): () => void {
  if (feed?.api !== api) {
    feed?.stop();
    update(() => EMPTY);
    feed = { api, users: 0, stop: start(api, historyKey(stackUrl)) };
  }
  const mine = feed;
  mine.users += 1;
  let released = false;
  return () => {
    if (released || feed !== mine) return;
    released = true;
    mine.users -= 1;
    if (mine.users > 0) return;
    mine.stop();
    feed = null;
    update(() => EMPTY);
  };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Feeds the session's live topology while mounted (the layout: while the console is open). */
export function useTopologyFeed(): void {
  const { api, profile } = useSession();
  useEffect(() => feedTopology(api, profile.baseUrl), [api, profile.baseUrl]);
}

/** The session's live topology and its last 90 samples. */
export function useTopology(): LiveTopology {
  useTopologyFeed();
  return useSyncExternalStore(subscribe, () => state);
}
