/**
 * The cron load forecast (`GET /api/v1/cron-forecast`): per queue with cron jobs, firings per
 * minute over the next 24 h against what the queue's units take in a minute; the overloaded
 * minutes marked with the jobs firing then, and the offsets that would spread them.
 */
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { CronForecastOutput } from '@contract/operations/cron-forecast';
import { useApi } from '../../app/session';
import { Badge, Card } from '../../ui/Page';
import { ErrorBanner, Spinner } from '../../ui/States';
import { TimeChart } from '../../ui/TimeChart';
import { formatTime } from '../../ui/format';
import { formatNumber, formatRate } from './format';

type QueueForecast = CronForecastOutput['queues'][number];

function QueueCard({ q, from }: { q: QueueForecast; from: number }): ReactNode {
  const times = q.perMinute.map((_, i) => from + i * 60_000);
  const capacity = q.capacityPerMinute;
  const over = q.overloadedMinutes;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          Queue #{q.queue}
          {over > 0 ? (
            <Badge tone="red" testId={`cron-forecast-status-${q.queue}`}>
              {over} overloaded minute{over === 1 ? '' : 's'}
            </Badge>
          ) : (
            <Badge tone="green" testId={`cron-forecast-status-${q.queue}`}>
              within capacity
            </Badge>
          )}
        </span>
      }
      testId={`cron-forecast-queue-${q.queue}`}
    >
      <div className="space-y-3 p-4">
        <p className="text-xs text-zinc-500">
          Peak {q.peak} firing{q.peak === 1 ? '' : 's'} a minute ·{' '}
          {capacity === null
            ? 'capacity unknown: no measured task duration on this queue in the last hour, so no minute is marked'
            : capacity === 0
              ? 'no unit listens to this queue: every firing waits'
              : `capacity ${formatRate(capacity)} tasks a minute (${q.processes} process${q.processes === 1 ? '' : 'es'} × 60000 ÷ T ${formatNumber(q.taskMs ?? 0, 0)} ms)`}
        </p>
        <TimeChart
          times={times}
          series={[
            { label: 'firings a minute', color: '#6366f1', values: q.perMinute, stepped: true },
            ...(capacity === null ? [] : [{ label: 'capacity', color: '#ef4444', values: q.perMinute.map(() => capacity), dash: [6, 4] }]),
          ]}
          height={160}
          label={`Cron firings per minute on queue #${q.queue} over the next 24 h against its capacity`}
          testId={`cron-forecast-chart-${q.queue}`}
        />
        {q.overloaded.length > 0 ? (
          <table className="w-full text-left text-xs" data-testid={`cron-overloaded-${q.queue}`}>
            <thead className="text-zinc-500">
              <tr>
                <th className="py-1 pr-3 font-medium">Minute</th>
                <th className="py-1 pr-3 font-medium">Firings / capacity</th>
                <th className="py-1 font-medium">Jobs</th>
              </tr>
            </thead>
            <tbody>
              {q.overloaded.slice(0, 12).map((m) => (
                <tr key={m.minute} className="border-t border-zinc-100 align-top dark:border-zinc-800" data-testid="cron-overloaded-row">
                  <td className="py-1 pr-3 whitespace-nowrap text-red-700 tabular-nums dark:text-red-300">{formatTime(m.minute)}</td>
                  <td className="py-1 pr-3 tabular-nums">
                    {formatNumber(m.firings, 0)} / {formatRate(m.capacity)}
                  </td>
                  <td className="py-1 font-mono">
                    {m.jobs
                      .slice(0, 8)
                      .map((j) => (j.firings > 1 ? `${j.id}×${j.firings}` : j.id))
                      .join(', ')}
                    {m.jobs.length > 8 ? ` and ${m.jobs.length - 8} more` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {q.overloaded.length > 12 ? <p className="text-xs text-zinc-500">and {over - 12} more overloaded minutes.</p> : null}
      </div>
    </Card>
  );
}

export function CronForecastPanel(): ReactNode {
  const api = useApi();
  const forecast = useQuery({ queryKey: ['cron-forecast', 24], queryFn: () => api.getCronForecast({ query: { hours: 24 } }), refetchInterval: 30_000 });
  if (forecast.error) return <ErrorBanner error={forecast.error} onRetry={() => void forecast.refetch()} />;
  const f = forecast.data;
  if (!f) return <Spinner label="Forecasting…" />;
  return (
    <div className="space-y-4" data-testid="cron-forecast">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Cron tasks firing in each minute of the next 24 hours on each queue, against what the units listening to it take in a minute (processes × 60000 ÷ T, T measured over the
        last hour). Minutes above it are overloaded: the tasks of that minute wait. Moving some jobs by a few minutes spreads them.
      </p>
      {f.queues.length === 0 ? <p className="text-sm text-zinc-500">No enabled cron job fires in the next 24 hours.</p> : null}
      {f.queues.map((q) => (
        <QueueCard key={q.queue} q={q} from={f.from} />
      ))}
      {f.suggestions.length > 0 ? (
        <Card title="Suggested offsets" testId="cron-suggestions">
          <div className="p-4">
            <p className="mb-2 text-xs text-zinc-500">{f.suggestions[0]?.reason}</p>
            <table className="w-full text-left text-xs">
              <thead className="text-zinc-500">
                <tr>
                  <th className="py-1 pr-3 font-medium">Cron job</th>
                  <th className="py-1 pr-3 font-medium">Queue</th>
                  <th className="py-1 font-medium">Fire later by</th>
                </tr>
              </thead>
              <tbody>
                {f.suggestions.map((s) => (
                  <tr key={s.jobId} className="border-t border-zinc-100 dark:border-zinc-800" data-testid={`cron-suggestion-${s.jobId}`}>
                    <td className="py-1 pr-3 font-mono">{s.jobId}</td>
                    <td className="py-1 pr-3">#{s.queue}</td>
                    <td className="py-1">+{s.offsetMinutes} min</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      ) : null}
      {f.skipped.length > 0 ? <p className="text-xs text-zinc-500">Left out: {f.skipped.map((s) => `${s.jobId} (${s.reason})`).join('; ')}.</p> : null}
    </div>
  );
}
