/**
 * Active alerts (queue wait, dead letters per unit; `GET /api/v1/alerts`, every 10 s) as a banner
 * above every page. Nothing shows when none is active or the server has no alerts route.
 */
import { formatSince } from '../ui/format';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useApi } from './session';
import { usePermissions } from './permissions';

export function AlertBanner(): ReactNode {
  const api = useApi();
  const allowed = usePermissions().can('general_r');
  const alerts = useQuery({ queryKey: ['alerts'], queryFn: () => api.getAlerts({}), enabled: allowed, refetchInterval: 10_000, retry: false });
  const active = alerts.data?.active ?? [];
  if (active.length === 0) return null;
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-red-200 bg-red-50 px-6 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
      data-testid="alert-banner"
    >
      <span className="font-semibold">
        {active.length} alert{active.length === 1 ? '' : 's'}
      </span>
      {active.map((a) => (
        <span key={a.id} data-testid={`alert-${a.id}`}>
          {a.message} <span className="text-red-700/70 dark:text-red-300/70">since {formatSince(a.since, alerts.dataUpdatedAt)}</span>
        </span>
      ))}
      <Link to={active.some((a) => a.kind === 'deadLetters') ? '/tasks?tab=dead-letters' : '/topology'} className="ml-auto underline">
        Look
      </Link>
    </div>
  );
}
