/**
 * The topology: a live graph of server and beat → queues → worker units, with scaling, limits,
 * split/merge (when the server has a Docker endpoint), and the capacity planner.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { StackChange, StackStatus } from '@contract/operations/stack';
import { Button } from '../../ui/Button';
import { Card, Page } from '../../ui/Page';
import { ErrorBanner, Spinner } from '../../ui/States';
import { useTopology } from '../overview/use-topology';
import { AlertRulesPanel } from './AlertRulesPanel';
import { AutoscalePanel } from './AutoscalePanel';
import { CapacityCalculator } from './CapacityCalculator';
import { CapacityPlanner } from './CapacityPlanner';
import { CronForecastPanel } from './CronForecastPanel';
import { ChangeDialog } from './ChangeDialog';
import { buildGraphModel, type GraphModel } from './graph-model';
import { LimitsDialog } from './LimitsDialog';
import { MergeDialog } from './MergeDialog';
import { useCapacity, useStack } from './stack-queries';
import { TopologyGraph } from './TopologyGraph';
import { useStackChange } from './use-stack-change';
import { usePermissions } from '../../app/permissions';
import { Tabs } from '../../ui/Tabs';

const TABS = [
  ['graph', 'Graph'],
  ['capacity', 'Capacity planner'],
  ['autoscale', 'Autoscaling'],
  ['cron', 'Cron load'],
  ['alerts', 'Alerts'],
] as const;
type Tab = (typeof TABS)[number][0];

function Code({ children }: { children: ReactNode }): ReactNode {
  return <code className="rounded bg-black/5 px-1 py-0.5 font-mono text-[12px] dark:bg-white/10">{children}</code>;
}

function StackNote({ stack }: { stack: StackStatus }): ReactNode {
  const box = 'rounded-md border px-4 py-3 text-sm';
  if (!stack.configured) {
    return (
      <p className={`${box} border-zinc-200 bg-white text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400`} data-testid="topology-readonly-note">
        <span className="font-medium text-zinc-900 dark:text-zinc-100">Read-only: this server has no Docker endpoint.</span> To scale units, set limits, split and merge them here,
        run <Code>func server</Code> on a swarm manager with <Code>FUNC_DOCKER_HOST=unix:///var/run/docker.sock</Code> (or <Code>ssh://user@host</Code>) and deploy the stack with{' '}
        <Code>func stack deploy</Code>.
      </p>
    );
  }
  if (stack.error) {
    return (
      <div className={`${box} border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200`} data-testid="topology-stack-error">
        The Docker engine at {stack.endpoint ?? '?'} could not be read: {stack.error}. The graph is read-only until it answers.
      </div>
    );
  }
  if (!stack.deployed) {
    return (
      <div className={`${box} border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200`} data-testid="topology-not-deployed">
        No stack “{stack.stack}” is deployed on {stack.endpoint ?? 'the Docker endpoint'} yet: deploy it with <Code>func stack deploy</Code>. Until then the graph is read-only.
      </div>
    );
  }
  return null;
}

export function TopologyPage(): ReactNode {
  const { current, history, live, error } = useTopology();
  const stack = useStack();
  const { can, known } = usePermissions();
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: Tab = TABS.find(([t]) => t === tabParam)?.[0] ?? 'graph';
  const [windowMinutes, setWindowMinutes] = useState(60);
  const capacity = useCapacity(windowMinutes);
  const flow = useStackChange();
  const [limitsUnit, setLimitsUnit] = useState<string | null>(null);
  const [merging, setMerging] = useState(false);

  const managed = stack.data?.configured === true && stack.data.deployed && !stack.data.error && stack.data.topology !== undefined;
  const busy = flow.state.phase !== 'idle';
  const model = useMemo<GraphModel | null>(() => (current ? buildGraphModel(current, history, stack.data) : null), [current, history, stack.data]);
  const { propose } = flow;
  const actions = useMemo(
    () => ({
      scale: (unit: string, replicas: number) => propose({ op: 'scale', unit, replicas }),
      editLimits: (unit: string) => setLimitsUnit(unit),
      moveQueue: (queue: number, from: string, to?: string) => propose({ op: 'moveQueue', queue, from, ...(to === undefined ? {} : { to }) }),
    }),
    [propose],
  );
  const submitFromDialog = (change: StackChange): void => {
    setLimitsUnit(null);
    setMerging(false);
    propose(change);
  };

  const liveBadge = (
    <span className="inline-flex items-center gap-1.5 text-xs text-zinc-500" data-testid="live-indicator" data-live={live}>
      <span className={`size-2 rounded-full ${live ? 'animate-pulse bg-emerald-500' : 'bg-zinc-400'}`} />
      {live ? 'Live' : 'Polling'}
    </span>
  );
  const where = stack.data?.configured && stack.data.deployed ? ` · stack ${stack.data.stack} on ${stack.data.endpoint ?? 'Docker'}` : '';
  const description = current ? `${current.mode} mode · topology ${model?.name ?? current.topology.name}${where}` : 'Queues, worker units and what they carry.';

  return (
    <Page
      title="Topology"
      description={description}
      actions={
        <>
          {managed ? (
            <Button size="sm" onClick={() => setMerging(true)} disabled={busy} data-testid="merge-open">
              Merge units…
            </Button>
          ) : null}
          {liveBadge}
        </>
      }
    >
      <Tabs tabs={TABS} tab={tab} onTab={(t) => setParams(t === 'graph' ? {} : { tab: t }, { replace: true })} testIdPrefix="topology" />
      <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto p-6">
        {error ? <ErrorBanner error={error} /> : null}
        {stack.error ? <ErrorBanner error={stack.error} onRetry={() => void stack.refetch()} /> : null}
        {stack.data ? <StackNote stack={stack.data} /> : null}
        {known && !can('stack_r') ? (
          <p
            className="rounded-md border border-zinc-200 bg-white px-4 py-3 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400"
            data-testid="topology-no-stack-permission"
          >
            <span className="font-medium text-zinc-900 dark:text-zinc-100">Read-only for your role.</span> Scaling, limits, splitting and merging units need the permission{' '}
            <Code>stack_r</Code>/<Code>stack_w</Code> (admins).
          </p>
        ) : null}
        {!model ? (
          <Spinner label="Connecting to the stack…" />
        ) : tab === 'graph' ? (
          <Card
            className="flex min-h-[460px] flex-1 flex-col overflow-hidden"
            title="Server → queues → worker units"
            actions={
              <span className="text-xs text-zinc-500" data-testid="graph-help">
                {managed ? 'Drag a queue chip onto another unit to move it, onto empty space to split it out.' : `${model.units.length} units · ${model.queues.length} queues`}
                {model.hiddenQueues.length > 0 ? ` · unused: ${model.hiddenQueues.map((q) => `#${q}`).join(' ')}` : ''}
              </span>
            }
            testId="topology-graph-card"
          >
            <div className="min-h-0 flex-1">
              <TopologyGraph model={model} managed={managed} busy={busy} actions={actions} />
            </div>
          </Card>
        ) : tab === 'alerts' ? (
          <AlertRulesPanel units={model.units.map((u) => u.name)} />
        ) : tab === 'cron' ? (
          <CronForecastPanel />
        ) : tab === 'autoscale' ? (
          <AutoscalePanel units={model.units.map((u) => ({ name: u.name, queues: u.queues, replicas: u.desired }))} managed={managed} />
        ) : (
          <div className="grid grid-cols-1 items-start gap-4 2xl:grid-cols-[minmax(0,1fr)_28rem]">
            {capacity.error ? (
              <ErrorBanner error={capacity.error} onRetry={() => void capacity.refetch()} />
            ) : capacity.data ? (
              <CapacityPlanner
                report={capacity.data}
                units={model.units}
                managed={managed}
                busy={busy}
                windowMinutes={windowMinutes}
                onWindow={setWindowMinutes}
                onApply={propose}
              />
            ) : (
              <Spinner label="Measuring…" />
            )}
            <div className="max-w-3xl 2xl:max-w-none">
              <CapacityCalculator />
            </div>
          </div>
        )}
      </div>
      <ChangeDialog flow={flow} />
      <LimitsDialog unit={model?.units.find((u) => u.name === limitsUnit) ?? null} onSubmit={submitFromDialog} onClose={() => setLimitsUnit(null)} />
      <MergeDialog open={merging} units={model?.units ?? []} onSubmit={submitFromDialog} onClose={() => setMerging(false)} />
    </Page>
  );
}

export default TopologyPage;
