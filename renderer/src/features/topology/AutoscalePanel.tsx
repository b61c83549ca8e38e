/**
 * Autoscaling on the topology page: per deployed worker unit its policy (min/max replicas, the
 * target — p95 wait or load against capacity —, cool-down, hysteresis), whether it is active,
 * paused, or paused by an error; the autoscaler's last decisions; a chart of the unit's replicas
 * against the tasks waiting on its queues.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { AutoscalePolicy } from '@contract/operations/autoscale';
import { useApi } from '../../app/session';
import { usePermissions } from '../../app/permissions';
import { Button } from '../../ui/Button';
import { Field, Select, TextInput } from '../../ui/Field';
import { Badge, Card } from '../../ui/Page';
import { ErrorBanner, ErrorText } from '../../ui/States';
import { TimeChart } from '../../ui/TimeChart';

interface UnitInfo {
  name: string;
  queues: number[];
  replicas: number;
}

export function useAutoscalePolicies(enabled: boolean): ReturnType<typeof useQuery<AutoscalePolicy[]>> {
  const api = useApi();
  return useQuery({ queryKey: ['autoscale'], queryFn: () => api.listAutoscalePolicies({}), enabled, refetchInterval: 3000 });
}

interface Draft {
  min: string;
  max: string;
  kind: 'wait' | 'load';
  wait: string;
  load: string;
  cooldown: string;
  hysteresis: string;
}

function draftOf(p: AutoscalePolicy | undefined, replicas: number): Draft {
  const s = p?.spec;
  return {
    min: String(s?.minReplicas ?? 1),
    max: String(s?.maxReplicas ?? Math.max(3, replicas)),
    kind: s?.target.kind ?? 'wait',
    wait: s?.target.kind === 'wait' ? String(s.target.waitMs / 1000) : '2',
    load: s?.target.kind === 'load' ? String(Math.round(s.target.utilization * 100)) : '80',
    cooldown: String((s?.cooldownMs ?? 60_000) / 1000),
    hysteresis: String(Math.round((s?.hysteresis ?? 0.3) * 100)),
  };
}

function time(t: number): string {
  return new Date(t).toLocaleTimeString();
}

function UnitPolicy({ unit, policy, canWrite }: { unit: UnitInfo; policy: AutoscalePolicy | undefined; canWrite: boolean }): ReactNode {
  const api = useApi();
  const client = useQueryClient();
  // What the operator typed; until then the form shows the stored policy.
  const [edited, setEdited] = useState<Draft | null>(null);
  const draft = edited ?? draftOf(policy, unit.replicas);
  const done = (): Promise<void> => client.invalidateQueries({ queryKey: ['autoscale'] });
  const save = useMutation({
    mutationFn: () =>
      api.setAutoscalePolicy({
        params: { unit: unit.name },
        body: {
          spec: {
            minReplicas: Number(draft.min),
            maxReplicas: Number(draft.max),
            target: draft.kind === 'wait' ? { kind: 'wait', waitMs: Math.round(Number(draft.wait) * 1000) } : { kind: 'load', utilization: Number(draft.load) / 100 },
            cooldownMs: Math.round(Number(draft.cooldown) * 1000),
            hysteresis: Number(draft.hysteresis) / 100,
          },
        },
      }),
    onSuccess: async () => {
      setEdited(null);
      await done();
    },
  });
  const pause = useMutation({ mutationFn: (paused: boolean) => api.pauseAutoscalePolicy({ params: { unit: unit.name }, body: { paused } }), onSuccess: done });
  const remove = useMutation({ mutationFn: () => api.deleteAutoscalePolicy({ params: { unit: unit.name } }), onSuccess: done });
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setEdited({ ...draft, [k]: e.target.value });
  const samples = policy?.state.samples ?? [];
  const [tone, status] = !policy
    ? (['zinc', 'off'] as const)
    : policy.error
      ? (['red', 'paused by an error'] as const)
      : policy.paused
        ? (['amber', 'paused'] as const)
        : (['green', 'active'] as const);
  /** A number field of the draft. */
  const numberField = (label: string, k: keyof Draft, inputMode: 'numeric' | 'decimal' = 'decimal'): ReactNode => (
    <Field label={label}>
      <TextInput value={draft[k]} onChange={set(k)} inputMode={inputMode} disabled={!canWrite} data-testid={`autoscale-${k}`} />
    </Field>
  );
  const decisions = [...(policy?.state.decisions ?? [])].reverse().slice(0, 8);
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          {unit.name}{' '}
          <span className="font-normal text-zinc-500">
            · queues {unit.queues.map((q) => `#${q}`).join(' ')} · {unit.replicas} replica(s)
          </span>{' '}
          <Badge tone={tone} testId={`autoscale-status-${unit.name}`}>
            {status}
          </Badge>
        </span>
      }
      testId={`autoscale-unit-${unit.name}`}
    >
      <div className="grid grid-cols-1 gap-4 p-4 xl:grid-cols-[22rem_minmax(0,1fr)]">
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <div className="grid grid-cols-2 gap-3">
            {numberField('Min replicas', 'min', 'numeric')}
            {numberField('Max replicas', 'max', 'numeric')}
            <Field label="Target">
              <Select value={draft.kind} onChange={set('kind')} disabled={!canWrite} data-testid="autoscale-kind">
                <option value="wait">Wait p95 (s)</option>
                <option value="load">Load (% of capacity)</option>
              </Select>
            </Field>
            {draft.kind === 'wait' ? numberField('Wait p95 at most (s)', 'wait') : numberField('Load at most (%)', 'load')}
            {numberField('Cool-down (s)', 'cooldown')}
            {numberField('Hysteresis (%)', 'hysteresis')}
          </div>
          {canWrite ? (
            <div className="flex flex-wrap gap-2">
              <Button type="submit" variant="primary" size="sm" disabled={save.isPending} data-testid="autoscale-save">
                {policy ? 'Save and resume' : 'Turn on'}
              </Button>
              {policy ? (
                <Button size="sm" onClick={() => pause.mutate(!policy.paused)} data-testid={policy.paused ? 'autoscale-resume' : 'autoscale-pause'}>
                  {policy.paused ? 'Resume' : 'Pause'}
                </Button>
              ) : null}
              {policy ? (
                <Button size="sm" variant="ghost" onClick={() => remove.mutate()} data-testid="autoscale-delete">
                  Remove policy
                </Button>
              ) : null}
            </div>
          ) : null}
          <ErrorText error={save.error} testId="autoscale-save-error" />
          {policy?.error ? (
            <p
              className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
              data-testid="autoscale-error"
            >
              {policy.error}
            </p>
          ) : null}
          {policy?.state.lastReason && !policy.error ? (
            <p className="text-xs text-zinc-500" data-testid="autoscale-last-reason">
              Last evaluation{policy.state.lastEvaluatedAt ? ` ${time(policy.state.lastEvaluatedAt)}` : ''}: {policy.state.lastReason}
            </p>
          ) : null}
        </form>
        <div className="min-w-0 space-y-3">
          <TimeChart
            times={samples.map((s) => s.time)}
            series={[
              { label: 'waiting tasks', color: '#6366f1', values: samples.map((s) => s.backlog) },
              { label: 'replicas', color: '#10b981', values: samples.map((s) => s.replicas), axis: 'y2', stepped: true },
            ]}
            yLabel="waiting"
            y2Label="replicas"
            height={170}
            label={`Replicas of ${unit.name} against the tasks waiting on its queues`}
            testId={`autoscale-chart-${unit.name}`}
          />
          <div>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Last decisions</h3>
            {decisions.length === 0 ? (
              <p className="text-xs text-zinc-500">None yet.</p>
            ) : (
              <ul className="space-y-1 text-xs" data-testid={`autoscale-decisions-${unit.name}`}>
                {decisions.map((d) => (
                  <li key={`${d.time}-${d.state}`} className="flex gap-2">
                    <span className="shrink-0 text-zinc-500 tabular-nums">{time(d.time)}</span>
                    <span className="shrink-0 font-medium">{d.state === 'paused' ? 'paused' : `${d.from} → ${d.to}`}</span>
                    <span className={d.state === 'applied' ? '' : 'text-red-600'}>{d.reason}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </div>
    </Card>
  );
}

export function AutoscalePanel({ units, managed }: { units: UnitInfo[]; managed: boolean }): ReactNode {
  const { can } = usePermissions();
  const policies = useAutoscalePolicies(can('stack_r'));
  if (!managed) {
    return (
      <p
        className="rounded-md border border-zinc-200 bg-white px-4 py-3 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400"
        data-testid="autoscale-unmanaged"
      >
        Autoscaling needs a stack deployed on Docker swarm and a server with <code>FUNC_DOCKER_HOST</code>.
      </p>
    );
  }
  return (
    <div className="space-y-4" data-testid="autoscale-panel">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The server holding the autoscaler lease evaluates each active policy every 5 s: it scales up at once to the fewest replicas that bring the target back, and down only when
        the signal stayed under the hysteresis band for the whole cool-down. Its changes go through the same path as yours and are listed with the stack changes.
      </p>
      {policies.error ? <ErrorBanner error={policies.error} onRetry={() => void policies.refetch()} /> : null}
      {units.map((u) => (
        <UnitPolicy key={u.name} unit={u} policy={policies.data?.find((p) => p.unit === u.name)} canWrite={can('stack_w')} />
      ))}
    </div>
  );
}
