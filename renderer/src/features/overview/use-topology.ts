/**
 * The live topology over SSE (polling when the stream drops), with a rolling history for charts.
 * One feed for the session, kept in this module: the layout feeds it while the console is open
 * (signed in), the overview and topology pages read it, so a page opened again shows the last 90 s
 * rather than starting empty. A new client (another stack, another sign-in) starts it afresh.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { TopologyStatus } from '@contract/operations/topology';
import type { HttpFuncApi } from '@contract/client/index';
import { useApi } from '../../app/session';

export interface Sample {
  time: number;
  /** Per queue: tasks finished since the previous sample, per second. */
  throughput: Record<number, number>;
  length: Record<number, number>;
}

export interface LiveTopology {
  current: TopologyStatus | null;
  history: Sample[];
  live: boolean;
  error: string | null;
}

const KEEP = 90;
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

function start(api: HttpFuncApi): () => void {
  let poll: ReturnType<typeof setInterval> | null = null;
  // Once stopped (another stack, signed out), a reply still on its way is not this session's.
  let stopped = false;
  const accept = (t: TopologyStatus, live: boolean): void => {
    if (stopped) return;
    update((s) => ({ current: t, live, error: null, history: [...s.history, sampleOf(s.current, t)].slice(-KEEP) }));
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

/** Keeps the session's feed running with `api` until the answer is called (the last caller gone: stopped and forgotten). */
export function feedTopology(api: HttpFuncApi): () => void {
  if (feed?.api !== api) {
    feed?.stop();
    update(() => EMPTY);
    feed = { api, users: 0, stop: start(api) };
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
  const api = useApi();
  useEffect(() => feedTopology(api), [api]);
}

/** The session's live topology and its last 90 samples. */
export function useTopology(): LiveTopology {
  useTopologyFeed();
  return useSyncExternalStore(subscribe, () => state);
}
