/** Server, beat and worker units, with processes and how many are busy. */
import type { ReactNode } from 'react';
import type { TopologyStatus } from '@contract/operations/topology';

type Service = TopologyStatus['services'][number];

function uptime(s: number): string {
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function Unit({ s }: { s: Service }): ReactNode {
  const processes = s.processes ?? 0;
  const busy = s.busy ?? 0;
  return (
    <div className="rounded-md border border-zinc-200 px-3 py-2.5 dark:border-zinc-800" data-testid={`service-${s.name}`}>
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-mono text-[13px] font-medium">{s.name}</span>
        <span className="shrink-0 text-[11px] text-zinc-500">{s.kind}</span>
      </div>
      {s.kind === 'worker' ? (
        <>
          <div className="mt-2 flex gap-1" aria-label={`${busy} of ${processes} processes busy`}>
            {Array.from({ length: processes }, (_, i) => (
              <span key={i} className={`h-1.5 flex-1 rounded-full ${i < busy ? 'bg-indigo-500' : 'bg-zinc-200 dark:bg-zinc-700'}`} />
            ))}
          </div>
          <div className="mt-1.5 flex justify-between text-[11px] text-zinc-500">
            <span data-testid={`service-${s.name}-busy`}>
              {busy}/{processes} busy
            </span>
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

export function ServiceCards({ services }: { services: Service[] }): ReactNode {
  const order = { server: 0, beat: 1, worker: 2 };
  const sorted = [...services].sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
  return (
    <div className="grid grid-cols-[repeat(auto-fill,minmax(13rem,1fr))] gap-3" data-testid="services">
      {sorted.map((s) => (
        <Unit key={`${s.kind}-${s.name}-${s.pid}`} s={s} />
      ))}
    </div>
  );
}
