/** Server, beat and worker units, with their processes: busy, started, the most they may run. */
import type { ReactNode } from 'react';
import type { TopologyStatus } from '@contract/operations/topology';
import { serviceProcessCounts } from './process-counts';
import { ProcessBar, ProcessCountsText } from './ProcessMeter';

type Service = TopologyStatus['services'][number];

function uptime(s: number): string {
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function Unit({ s, topology }: { s: Service; topology: TopologyStatus['topology'] }): ReactNode {
  return (
    <div className="rounded-md border border-zinc-200 px-3 py-2.5 dark:border-zinc-800" data-testid={`service-${s.name}`}>
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-mono text-[13px] font-medium">{s.name}</span>
        <span className="shrink-0 text-[11px] text-zinc-500">{s.kind}</span>
      </div>
      {s.kind === 'worker' ? (
        <>
          <div className="mt-2">
            <ProcessBar counts={serviceProcessCounts(s, topology)} />
          </div>
          <div className="mt-1.5 flex flex-wrap justify-between gap-x-2 text-[11px] text-zinc-500">
            <ProcessCountsText counts={serviceProcessCounts(s, topology)} testId={`service-${s.name}-busy`} />
            <span>queues {(s.queues ?? []).map((q) => `#${q}`).join(' ')}</span>
          </div>
          <div className="text-[11px] text-zinc-500">
            {s.tasksDone ?? 0} done · up {uptime(s.uptimeS)}
          </div>
        </>
      ) : (
        <div className="mt-1 text-[11px] text-zinc-500">
          pid {s.pid} · {s.host} · up {uptime(s.uptimeS)} · v{s.version}
        </div>
      )}
    </div>
  );
}

/** `topology`: the units' definitions, for the processes a replica may run. */
export function ServiceCards({ services, topology }: { services: Service[]; topology: TopologyStatus['topology'] }): ReactNode {
  const order = { server: 0, beat: 1, worker: 2 };
  const sorted = [...services].sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
  return (
    <div className="grid grid-cols-[repeat(auto-fill,minmax(13rem,1fr))] gap-3" data-testid="services">
      {sorted.map((s) => (
        <Unit key={`${s.kind}-${s.name}-${s.pid}`} s={s} topology={topology} />
      ))}
    </div>
  );
}
