/** Queues with their live numbers, the roles they serve and the units listening. */
import type { ReactNode } from 'react';
import type { TopologyStatus } from '@contract/operations/topology';
import { QUEUE_COLORS } from './ThroughputChart';

const COLUMNS = ['Queue', 'Serves', 'Waiting', 'Delayed', 'Running', 'Done', 'Worker units'] as const;
/** The columns of counts, aligned right. */
const NUMBERS: ReadonlySet<string> = new Set(['Waiting', 'Delayed', 'Running', 'Done']);

export function QueueTable({ queues }: { queues: TopologyStatus['queues'] }): ReactNode {
  return (
    <table className="w-full text-left text-sm" data-testid="queue-table">
      <thead className="border-b border-zinc-200 text-xs uppercase tracking-wider text-zinc-500 dark:border-zinc-800">
        <tr>
          {COLUMNS.map((c) => (
            <th key={c} className={`px-4 py-2 font-semibold ${NUMBERS.has(c) ? 'text-right' : ''}`}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {queues.map((q) => (
          <tr key={q.queue} data-testid={`queue-row-${q.queue}`}>
            <td className="px-4 py-2 font-mono">
              <span className="mr-2 inline-block size-2 rounded-full" style={{ background: QUEUE_COLORS[q.queue % QUEUE_COLORS.length] }} />#{q.queue}
            </td>
            <td className="px-4 py-2 text-xs text-zinc-500">{q.roles.join(', ') || '—'}</td>
            <td className={`px-4 py-2 text-right tabular-nums ${q.length > 0 ? 'font-semibold text-amber-600 dark:text-amber-400' : ''}`} data-testid={`queue-${q.queue}-length`}>
              {q.length}
            </td>
            <td className="px-4 py-2 text-right tabular-nums text-zinc-500">{q.delayed}</td>
            <td
              className={`px-4 py-2 text-right tabular-nums ${q.inFlight > 0 ? 'font-semibold text-indigo-600 dark:text-indigo-400' : ''}`}
              data-testid={`queue-${q.queue}-inflight`}
            >
              {q.inFlight}
            </td>
            <td className="px-4 py-2 text-right tabular-nums" data-testid={`queue-${q.queue}-done`}>
              {q.done}
            </td>
            <td className="px-4 py-2 text-xs text-zinc-500">{q.listeners.join(', ') || <span className="text-zinc-400">none</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
