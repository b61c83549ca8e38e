/**
 * A change to the stack, step by step: plan it (the server validates and lists the steps, or
 * refuses with reasons), show the preview, apply it, then follow its progress every 500 ms until
 * the swarm has converged or the change failed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@contract/errors';
import type { ChangeProgress, StackChange, StackPlan } from '@contract/operations/stack';
import { useApi } from '../../app/session';
import { errorMessage } from '../../ui/States';

export const POLL_MS = 500;

export type ChangeState =
  | { phase: 'idle' }
  | { phase: 'planning'; change: StackChange }
  | { phase: 'preview'; change: StackChange; plan: StackPlan }
  | { phase: 'refused'; change: StackChange; message: string; reasons: string[] }
  | { phase: 'applying'; change: StackChange; plan: StackPlan; progress: ChangeProgress | null; error: string | null };

export interface StackChangeFlow {
  state: ChangeState;
  /** Plan `change` and open the preview. */
  propose: (change: StackChange) => void;
  /** Apply the previewed plan. */
  apply: () => void;
  close: () => void;
}

function refusal(change: StackChange, err: unknown): ChangeState {
  const reasons = err instanceof ApiError && Array.isArray(err.detail.reasons) ? err.detail.reasons.filter((r): r is string => typeof r === 'string') : [];
  return { phase: 'refused', change, message: errorMessage(err), reasons };
}

export function useStackChange(): StackChangeFlow {
  const api = useApi();
  const queryClient = useQueryClient();
  const [state, setState] = useState<ChangeState>({ phase: 'idle' });
  // Each proposal gets a generation: answers to an older one (closed, replaced) are dropped.
  const generation = useRef(0);
  useEffect(() => () => void (generation.current += 1), []);

  const propose = useCallback(
    (change: StackChange) => {
      const gen = ++generation.current;
      setState({ phase: 'planning', change });
      api.planStackChange({ body: { change } }).then(
        (plan) => gen === generation.current && setState({ phase: 'preview', change, plan }),
        (err: unknown) => gen === generation.current && setState(refusal(change, err)),
      );
    },
    [api],
  );

  const follow = useCallback(
    async (gen: number, change: StackChange, plan: StackPlan, first: ChangeProgress): Promise<void> => {
      let progress = first;
      let failures = 0;
      while (progress.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (gen !== generation.current) return;
        try {
          progress = await api.getStackChange({ params: { id: progress.id } });
          failures = 0;
          setState({ phase: 'applying', change, plan, progress, error: null });
        } catch (err) {
          if (++failures >= 10) {
            setState({ phase: 'applying', change, plan, progress, error: `Lost track of the change: ${errorMessage(err)}` });
            return;
          }
        }
        if (gen !== generation.current) return;
      }
      void queryClient.invalidateQueries({ queryKey: ['stack'] });
      void queryClient.invalidateQueries({ queryKey: ['capacity'] });
    },
    [api, queryClient],
  );

  const apply = useCallback(() => {
    if (state.phase !== 'preview') return;
    const { change, plan } = state;
    const gen = ++generation.current;
    setState({ phase: 'applying', change, plan, progress: null, error: null });
    api.applyStackChange({ body: { change } }).then(
      (progress) => {
        if (gen !== generation.current) return;
        setState({ phase: 'applying', change, plan: progress.plan, progress, error: null });
        void follow(gen, change, progress.plan, progress);
      },
      (err: unknown) => {
        if (gen !== generation.current) return;
        if (err instanceof ApiError && err.code === 'EBizCondition') setState(refusal(change, err));
        else setState({ phase: 'applying', change, plan, progress: null, error: errorMessage(err) });
      },
    );
  }, [api, follow, state]);

  const close = useCallback(() => {
    generation.current += 1;
    setState({ phase: 'idle' });
    void queryClient.invalidateQueries({ queryKey: ['stack'] });
  }, [queryClient]);

  return { state, propose, apply, close };
}
