/** Recent triggers of one cron job (its task records) and its next fire time. */
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../../app/session';
import { Badge, statusTone } from '../../ui/Page';
import { ErrorBanner, Spinner } from '../../ui/States';
import { formatDuration, formatTime } from '../../ui/format';
import { taskLink } from '../tasks/links';
import type { CronRunTimes } from './cron-next-run';
import { CronNextRun } from './CronNextRun';

export function CronTriggers({ jobId, row }: { jobId: string; row: CronRunTimes }): ReactNode {
  const api = useApi();
  const records = useQuery({
    queryKey: ['taskRecords', 'cron', jobId],
    queryFn: () => api.listTaskRecords({ query: { origin: 'cronJob', originId: jobId, pageSize: 10 } }),
    refetchInterval: 3000,
  });
  return (
    <div className="space-y-2 text-sm" data-testid={`cron-triggers-${jobId}`}>
      <p className="text-xs text-zinc-500">
        Next fire time:{' '}
        <span className="font-medium text-zinc-800 dark:text-zinc-200" data-testid={`cron-next-fire-${jobId}`}>
          <CronNextRun row={row} />
        </span>
      </p>
      {records.isPending ? (
        <Spinner />
      ) : records.error ? (
        <ErrorBanner error={records.error} />
      ) : records.data.length === 0 ? (
        <p className="text-xs text-zinc-500">Not triggered yet.</p>
      ) : (
        <ul className="space-y-1">
          {records.data.map((r) => (
            <li key={r.id} className="flex items-center gap-3 text-xs">
              <Badge tone={statusTone(r.status)}>{r.status}</Badge>
              <span className="w-36 text-zinc-600 dark:text-zinc-400">{formatTime(r.triggerTimeMs)}</span>
              <span className="w-16 text-zinc-500">{formatDuration(r.endTimeMs && r.startTimeMs ? r.endTimeMs - r.startTimeMs : null)}</span>
              <Link className="font-mono text-indigo-600 hover:underline dark:text-indigo-400" to={taskLink(r.id)}>
                {r.id}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
