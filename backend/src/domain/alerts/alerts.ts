/**
 * Alerts operators expect, per worker unit: the predicted p95 wait of its queues above a threshold,
 * and dead letters of its queues within a window above a threshold. Pure: the monitor
 * (alert-monitor.ts) measures, this decides which alerts are active, which fired and which resolved.
 */

export interface AlertRule {
  unit: string;
  /** Alert when the predicted p95 wait of the unit's queues exceeds this (ms). */
  maxWaitMs?: number | undefined;
  /** Alert when more than this many tasks of the unit's queues were dead-lettered within the window. */
  maxDeadLetters?: number | undefined;
  /** Alert when more than this fraction (0–1) of the tasks of the unit's queues that ended within the window failed or timed out (at least MIN_TASKS ended). */
  maxFailureRate?: number | undefined;
  /** The dead-letter and failure-rate window, minutes (default 10). */
  windowMinutes?: number | undefined;
}

/** A failure rate needs this many ended tasks in the window to mean something. */
export const MIN_TASKS_FOR_RATE = 10;

export interface UnitMeasure {
  unit: string;
  /** Predicted p95 wait (autoscale-policy's signalAt), null when unknown. */
  waitP95Ms: number | null;
  /** Dead letters of its queues within the rule's window. */
  deadLetters: number;
  /** Tasks of its queues that ended within the window, and how many of them failed or timed out. */
  ended?: number;
  failed?: number;
}

export type AlertKind = 'queueWait' | 'deadLetters' | 'failureRate';

export interface Alert {
  /** `unit:kind`. */
  id: string;
  unit: string;
  kind: AlertKind;
  value: number;
  threshold: number;
  /** When it became active (epoch ms). */
  since: number;
  message: string;
}

export interface AlertEvaluation {
  active: Alert[];
  fired: Alert[];
  resolved: Alert[];
}

function fmtMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function evaluateAlerts(rules: readonly AlertRule[], measures: readonly UnitMeasure[], previous: readonly Alert[], now: number): AlertEvaluation {
  const before = new Map(previous.map((a) => [a.id, a]));
  const active: Alert[] = [];
  for (const rule of rules) {
    const m = measures.find((x) => x.unit === rule.unit);
    if (!m) continue;
    const add = (kind: AlertKind, value: number, threshold: number, message: string): void => {
      const id = `${rule.unit}:${kind}`;
      active.push({ id, unit: rule.unit, kind, value, threshold, since: before.get(id)?.since ?? now, message });
    };
    if (rule.maxWaitMs !== undefined && m.waitP95Ms !== null && m.waitP95Ms > rule.maxWaitMs) {
      add('queueWait', m.waitP95Ms, rule.maxWaitMs, `${rule.unit}: predicted queue wait p95 ${fmtMs(m.waitP95Ms)} is above ${fmtMs(rule.maxWaitMs)}`);
    }
    if (rule.maxDeadLetters !== undefined && m.deadLetters > rule.maxDeadLetters) {
      add('deadLetters', m.deadLetters, rule.maxDeadLetters, `${rule.unit}: ${m.deadLetters} dead letter(s) in ${rule.windowMinutes ?? 10} min, above ${rule.maxDeadLetters}`);
    }
    const ended = m.ended ?? 0;
    if (rule.maxFailureRate !== undefined && ended >= MIN_TASKS_FOR_RATE) {
      const rate = (m.failed ?? 0) / ended;
      if (rate > rule.maxFailureRate)
        add(
          'failureRate',
          rate,
          rule.maxFailureRate,
          `${rule.unit}: ${Math.round(rate * 100)} % of ${ended} tasks failed in ${rule.windowMinutes ?? 10} min, above ${Math.round(rule.maxFailureRate * 100)} %`,
        );
    }
  }
  const now_ = new Set(active.map((a) => a.id));
  return { active, fired: active.filter((a) => !before.has(a.id)), resolved: previous.filter((a) => !now_.has(a.id)) };
}
