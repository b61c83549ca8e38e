/** The live topology over SSE (polling when the stream drops), with a rolling history for charts. */
import { useEffect, useState } from 'react';
import type { TopologyStatus } from '@contract/operations/topology';
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

export function useTopology(): LiveTopology {
  const api = useApi();
  const [state, setState] = useState<LiveTopology>({ current: null, history: [], live: false, error: null });

  useEffect(() => {
    let poll: ReturnType<typeof setInterval> | null = null;
    const accept = (t: TopologyStatus, live: boolean): void => setState((s) => ({ current: t, live, error: null, history: [...s.history, sampleOf(s.current, t)].slice(-KEEP) }));
    const startPolling = (): void => {
      if (poll) return;
      setState((s) => ({ ...s, live: false }));
      poll = setInterval(() => {
        api.getTopology({}).then(
          (t) => accept(t, false),
          (err: unknown) => setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err) })),
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
      sub.close();
      if (poll) clearInterval(poll);
    };
  }, [api]);

  return state;
}
