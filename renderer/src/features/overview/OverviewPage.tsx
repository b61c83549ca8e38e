/** What is running: services, queues and their numbers, live over SSE; throughput per queue. */
import type { ReactNode } from 'react';
import { Card, Page } from '../../ui/Page';
import { ErrorBanner, Spinner } from '../../ui/States';
import { useTopology } from './use-topology';
import { QueueTable } from './QueueTable';
import { ServiceCards } from './ServiceCards';
import { totalProcessCounts } from './process-counts';
import { ThroughputChart } from './ThroughputChart';

/** `sub`: a line under the value (`${testId}-sub`). */
function Stat({ label, value, sub, testId }: { label: string; value: number | string; sub?: string; testId: string }): ReactNode {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
      <p className="text-xs text-zinc-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
      {sub ? (
        <p className="text-xs text-zinc-500 tabular-nums" data-testid={`${testId}-sub`}>
          {sub}
        </p>
      ) : null}
    </div>
  );
}

export function OverviewPage(): ReactNode {
  const { current, history, live, error } = useTopology();
  const liveBadge = (
    <span className="inline-flex items-center gap-1.5 text-xs text-zinc-500" data-testid="live-indicator" data-live={live}>
      <span className={`size-2 rounded-full ${live ? 'animate-pulse bg-emerald-500' : 'bg-zinc-400'}`} />
      {live ? 'Live' : 'Polling'}
    </span>
  );
  if (!current) {
    return (
      <Page title="Overview" description="What is running, live." actions={liveBadge}>
        <div className="p-6">{error ? <ErrorBanner error={error} /> : <Spinner label="Connecting to the stack…" />}</div>
      </Page>
    );
  }
  const queues = current.queues;
  const sum = (f: (q: (typeof queues)[number]) => number): number => queues.reduce((a, q) => a + f(q), 0);
  const processes = totalProcessCounts(current);
  const last = history.at(-1);
  const rate = last ? Object.values(last.throughput).reduce((a, b) => a + b, 0) : 0;
  return (
    <Page title="Overview" description={`${current.mode} mode · topology ${current.topology.name}`} actions={liveBadge}>
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto p-6">
        {error ? <ErrorBanner error={error} /> : null}
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
          <Stat label="Waiting" value={sum((q) => q.length)} testId="overview-total-length" />
          <Stat label="Running" value={sum((q) => q.inFlight)} testId="overview-total-inflight" />
          <Stat label="Done" value={sum((q) => q.done)} testId="overview-total-done" />
          <Stat label="Tasks / s" value={rate.toFixed(1)} testId="overview-rate" />
          <Stat label="Processes" value={`${processes.busy} busy`} sub={`${processes.started} of ${processes.max} started`} testId="overview-busy" />
        </div>
        <div className="grid gap-5 xl:grid-cols-2">
          <Card title="Throughput per queue (tasks/s)">
            <div className="p-4">
              <ThroughputChart history={history} metric="throughput" label="Tasks finished per second per queue" />
            </div>
          </Card>
          <Card title="Backlog per queue (waiting + running)">
            <div className="p-4">
              <ThroughputChart history={history} metric="length" label="Tasks waiting or running per queue" />
            </div>
          </Card>
        </div>
        <Card title="Queues" testId="queues-card">
          <div className="overflow-x-auto">
            <QueueTable queues={current.queues} />
          </div>
        </Card>
        <Card title={`Services (${current.services.length})`}>
          <div className="p-4">
            <ServiceCards services={current.services} topology={current.topology} />
          </div>
        </Card>
      </div>
    </Page>
  );
}
