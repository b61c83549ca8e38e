/**
 * Alert rules per worker unit (`GET /api/v1/alerts`, `POST /api/v1/alerts/do/set-rules`): the
 * predicted queue wait, dead letters and failure rate above which a unit raises an alert, and the
 * alerts active now. An empty field sets no threshold.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useApi } from '../../app/session';
import { usePermissions } from '../../app/permissions';
import { Button } from '../../ui/Button';
import { TextInput } from '../../ui/Field';
import { Badge, Card } from '../../ui/Page';
import { ErrorBanner, ErrorText, Spinner } from '../../ui/States';

interface Row {
  wait: string;
  dead: string;
  failure: string;
  window: string;
}

type Rule = { unit: string; maxWaitMs?: number; maxDeadLetters?: number; maxFailureRate?: number; windowMinutes?: number };

const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

function rowOf(rule: Rule | undefined): Row {
  return {
    wait: rule?.maxWaitMs === undefined ? '' : String(rule.maxWaitMs / 1000),
    dead: rule?.maxDeadLetters === undefined ? '' : String(rule.maxDeadLetters),
    failure: rule?.maxFailureRate === undefined ? '' : String(Math.round(rule.maxFailureRate * 100)),
    window: rule?.windowMinutes === undefined ? '' : String(rule.windowMinutes),
  };
}

function ruleOf(unit: string, r: Row): Rule | null {
  const wait = num(r.wait);
  const dead = num(r.dead);
  const failure = num(r.failure);
  const window = num(r.window);
  if (wait === undefined && dead === undefined && failure === undefined) return null;
  return {
    unit,
    ...(wait === undefined ? {} : { maxWaitMs: Math.round(wait * 1000) }),
    ...(dead === undefined ? {} : { maxDeadLetters: dead }),
    ...(failure === undefined ? {} : { maxFailureRate: failure / 100 }),
    ...(window === undefined ? {} : { windowMinutes: window }),
  };
}

export function AlertRulesPanel({ units }: { units: string[] }): ReactNode {
  const api = useApi();
  const client = useQueryClient();
  const canWrite = usePermissions().can('stack_w');
  const alerts = useQuery({ queryKey: ['alerts'], queryFn: () => api.getAlerts({}), refetchInterval: 10_000 });
  const [edited, setEdited] = useState<Record<string, Row> | null>(null);
  const save = useMutation({
    mutationFn: (rules: Rule[]) => api.setAlertRules({ body: { rules } }),
    onSuccess: async () => {
      setEdited(null);
      await client.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
  if (alerts.error) return <ErrorBanner error={alerts.error} onRetry={() => void alerts.refetch()} />;
  if (!alerts.data) return <Spinner />;
  const stored = Object.fromEntries(alerts.data.rules.map((r) => [r.unit, r]));
  const rows: Record<string, Row> = edited ?? Object.fromEntries(units.map((u) => [u, rowOf(stored[u])]));
  const set = (unit: string, key: keyof Row, value: string): void => setEdited({ ...rows, [unit]: { ...(rows[unit] ?? rowOf(undefined)), [key]: value } });
  const cell = (unit: string, key: keyof Row, label: string): ReactNode => (
    <td className="py-1.5 pr-3">
      <TextInput
        value={rows[unit]?.[key] ?? ''}
        onChange={(e) => set(unit, key, e.target.value)}
        inputMode="decimal"
        aria-label={`${label} of ${unit}`}
        disabled={!canWrite}
        className="w-24"
        data-testid={`alert-rule-${unit}-${key}`}
      />
    </td>
  );
  const activeOf = (unit: string): ReactNode[] =>
    alerts.data.active
      .filter((a) => a.unit === unit)
      .map((a) => (
        <Badge key={a.id} tone="red">
          {a.kind}
        </Badge>
      ));
  return (
    <Card title="Alert rules" testId="alert-rules">
      <div className="space-y-3 p-4">
        <p className="text-xs text-zinc-500">
          Per unit: alert when the predicted p95 wait of its queues is above the seconds given, when more tasks of its queues were dead-lettered in the window than given, or when
          more than the percentage given of the tasks that ended in the window failed (once 10 ended). Alerts show as a banner, as <code>alert</code> events and as the{' '}
          <code>func_alert_active</code> metric. An empty field sets no threshold.
        </p>
        <table className="text-left text-sm">
          <thead className="text-xs text-zinc-500">
            <tr>
              <th className="py-1 pr-3 font-medium">Unit</th>
              <th className="py-1 pr-3 font-medium">Wait p95 above (s)</th>
              <th className="py-1 pr-3 font-medium">Dead letters above</th>
              <th className="py-1 pr-3 font-medium">Failures above (%)</th>
              <th className="py-1 pr-3 font-medium">Window (min)</th>
              <th className="py-1 font-medium">Now</th>
            </tr>
          </thead>
          <tbody>
            {units.map((u) => (
              <tr key={u} className="border-t border-zinc-100 dark:border-zinc-800">
                <td className="py-1.5 pr-3 font-mono whitespace-nowrap">{u}</td>
                {cell(u, 'wait', 'wait')}
                {cell(u, 'dead', 'dead letters')}
                {cell(u, 'failure', 'failure rate')}
                {cell(u, 'window', 'window')}
                <td className="py-1.5" data-testid={`alert-rule-${u}-active`}>
                  <span className="flex gap-1">{activeOf(u)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {canWrite ? (
          <Button
            variant="primary"
            size="sm"
            disabled={save.isPending || edited === null}
            onClick={() => save.mutate(Object.entries(rows).flatMap(([u, r]) => ruleOf(u, r) ?? []))}
            data-testid="alert-rules-save"
          >
            Save rules
          </Button>
        ) : null}
        <ErrorText error={save.error} testId="alert-rules-error" />
      </div>
    </Card>
  );
}
