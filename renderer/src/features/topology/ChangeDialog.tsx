/** The preview of a planned change (summary, before/after, steps), then its progress until done or failed. */
import type { ReactNode } from 'react';
import type { ChangeProgress, StackPlan } from '@contract/operations/stack';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Badge } from '../../ui/Page';
import { Spinner } from '../../ui/States';
import { describeResources, queueList } from './format';
import type { StackChangeFlow } from './use-stack-change';

type Unit = StackPlan['before']['units'][number];

function unitText(u: Unit | undefined): string {
  if (!u) return '—';
  const parts = [queueList(u.queues), `${u.processes} proc × ${u.replicas} replica${u.replicas === 1 ? '' : 's'}`];
  const limits = describeResources(u.limits, u.reservations);
  if (limits) parts.push(limits);
  return parts.join(' · ');
}

function UnitDiff({ plan }: { plan: StackPlan }): ReactNode {
  const names = [...new Set([...plan.before.units.map((u) => u.name), ...plan.after.units.map((u) => u.name)])];
  const rows = names
    .map((name) => ({ name, before: plan.before.units.find((u) => u.name === name), after: plan.after.units.find((u) => u.name === name) }))
    .filter((r) => unitText(r.before) !== unitText(r.after));
  if (rows.length === 0) return null;
  return (
    <table className="w-full text-left text-xs" data-testid="change-diff">
      <thead className="text-zinc-500">
        <tr>
          <th className="py-1 pr-3 font-semibold">Unit</th>
          <th className="py-1 pr-3 font-semibold">Before</th>
          <th className="py-1 font-semibold">After</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {rows.map((r) => (
          <tr key={r.name} data-testid={`change-diff-${r.name}`}>
            <td className="py-1.5 pr-3 font-mono font-medium">{r.name}</td>
            <td className={`py-1.5 pr-3 ${r.before ? 'text-zinc-600 dark:text-zinc-400' : 'text-zinc-400'}`}>{r.before ? unitText(r.before) : 'new unit'}</td>
            <td className={`py-1.5 ${r.after ? 'font-medium text-indigo-700 dark:text-indigo-300' : 'text-red-600 dark:text-red-400'}`}>
              {r.after ? unitText(r.after) : 'removed'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Steps({ plan, progress }: { plan: StackPlan; progress: ChangeProgress | null }): ReactNode {
  const at = progress ? (progress.state === 'done' ? plan.steps.length : progress.step) : -1;
  return (
    <ol className="space-y-1 text-sm" data-testid="change-steps">
      {plan.steps.map((s, i) => {
        const done = i < at;
        const current = i === at && progress?.state === 'running';
        const failed = i === at && progress?.state === 'failed';
        return (
          <li key={i} className="flex items-start gap-2" data-testid="change-step" data-status={done ? 'done' : current ? 'running' : failed ? 'failed' : 'pending'}>
            <span
              className={`mt-0.5 flex size-4 shrink-0 items-center justify-center rounded-full text-[10px] font-bold ${done ? 'bg-emerald-500 text-white' : current ? 'animate-pulse bg-indigo-500 text-white' : failed ? 'bg-red-500 text-white' : 'bg-zinc-200 text-zinc-500 dark:bg-zinc-700 dark:text-zinc-300'}`}
            >
              {done ? '✓' : failed ? '!' : i + 1}
            </span>
            <span className={done ? 'text-zinc-500' : ''}>{s.description}</span>
          </li>
        );
      })}
    </ol>
  );
}

function ProgressView({ plan, progress, error }: { plan: StackPlan; progress: ChangeProgress | null; error: string | null }): ReactNode {
  const n = plan.steps.length;
  const state = progress?.state ?? 'running';
  const step = progress ? Math.min(n, progress.state === 'done' ? n : progress.step + 1) : 0;
  const tone = state === 'done' ? 'green' : state === 'failed' ? 'red' : 'indigo';
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between gap-3">
        <p className="text-sm" data-testid="change-progress">
          {state === 'done' ? `All ${n} steps done` : `Step ${step} of ${n}`}
        </p>
        <span data-testid="change-state" data-state={state}>
          <Badge tone={tone}>{state === 'running' ? 'converging…' : state}</Badge>
        </span>
      </div>
      <div className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
        <div
          className={`h-full transition-all ${state === 'failed' ? 'bg-red-500' : state === 'done' ? 'bg-emerald-500' : 'bg-indigo-500'}`}
          style={{ width: `${n === 0 ? 100 : Math.round(((state === 'done' ? n : Math.max(0, step - 1)) / n) * 100)}%` }}
        />
      </div>
      <Steps plan={plan} progress={progress} />
      {progress?.error || error ? (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/40 dark:text-red-300" role="alert" data-testid="change-error">
          {progress?.error ?? error}
        </p>
      ) : null}
      {progress ? (
        <pre className="max-h-48 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-[11px] leading-relaxed text-zinc-200" data-testid="change-log">
          {progress.log.map((l) => `${new Date(l.time).toLocaleTimeString()}  ${l.message}`).join('\n')}
        </pre>
      ) : (
        <Spinner label="Starting…" />
      )}
    </div>
  );
}

export function ChangeDialog({ flow }: { flow: StackChangeFlow }): ReactNode {
  const { state, apply, close } = flow;
  if (state.phase === 'idle') return null;
  const title = state.phase === 'refused' ? 'Change refused' : state.phase === 'applying' ? 'Applying the change' : 'Preview the change';
  const running = state.phase === 'applying' && (state.progress?.state ?? 'running') === 'running' && state.error === null;
  const footer =
    state.phase === 'preview' ? (
      <>
        <Button onClick={close} data-testid="change-cancel">
          Cancel
        </Button>
        <Button variant="primary" onClick={apply} data-testid="change-apply">
          Apply
        </Button>
      </>
    ) : (
      <Button variant={running ? 'secondary' : 'primary'} onClick={close} data-testid="change-close">
        {running ? 'Close (it keeps running)' : 'Close'}
      </Button>
    );
  return (
    <Dialog open title={title} onClose={close} footer={footer} testId="change-dialog">
      {state.phase === 'planning' ? <Spinner label="Planning the change…" /> : null}
      {state.phase === 'refused' ? (
        <div className="space-y-2" data-testid="change-refused">
          <p className="text-sm text-red-700 dark:text-red-400">{state.reasons.length > 0 ? 'The stack cannot make this change:' : state.message}</p>
          {state.reasons.length > 0 ? (
            <ul className="list-disc space-y-1 pl-5 text-sm">
              {state.reasons.map((r) => (
                <li key={r} data-testid="change-reason">
                  {r}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {state.phase === 'preview' || state.phase === 'applying' ? (
        <div className="space-y-4">
          <p className="text-sm font-medium" data-testid="change-summary">
            {state.plan.summary}
          </p>
          <UnitDiff plan={state.plan} />
          {state.phase === 'preview' ? (
            <div>
              <p className="mb-1.5 text-xs font-semibold uppercase tracking-wider text-zinc-500">Steps ({state.plan.steps.length})</p>
              <Steps plan={state.plan} progress={null} />
            </div>
          ) : (
            <ProgressView plan={state.plan} progress={state.progress} error={state.error} />
          )}
        </div>
      ) : null}
    </Dialog>
  );
}
