/**
 * Measures what the alert rules need and keeps the active alerts of one server: evaluated on
 * demand, at most every EVERY_MS (the event stream, the alerts route and a metrics scrape ask;
 * nothing runs while nobody looks). The rules live in the system settings (`alertRules`).
 */
import type { Broker } from '../ports/broker.js';
import type { TaskRecordRow, TaskTiming } from '../ports/store.js';
import { signalAt } from '../stack/autoscale-policy.js';
import { measure } from '../stack/autoscaler.js';
import type { Topology } from '../topology/topology.js';
import { evaluateAlerts, type Alert, type AlertRule } from './alerts.js';

export const ALERT_RULES_SETTING = 'alertRules';
const EVERY_MS = 5_000;
const T_WINDOW_MS = 10 * 60_000;
const MAX_TIMINGS = 20_000;

export interface AlertMonitorDeps {
  rules: () => Promise<AlertRule[]>;
  units: () => Promise<Topology['units']>;
  broker: Pick<Broker, 'stats' | 'deadLetters'>;
  timingsSince: (since: number, limit: number) => Promise<TaskTiming[]>;
  /** Records that ended failed or timed out, triggered since (only asked when a rule has maxFailureRate). */
  failedSince: (since: number, limit: number) => Promise<Pick<TaskRecordRow, 'queue' | 'endTimeMs'>[]>;
  now: () => number;
}

/** Rules as stored: anything not shaped like a rule is left out. */
export function parseAlertRules(value: unknown): AlertRule[] {
  if (!Array.isArray(value)) return [];
  return value.filter((r): r is AlertRule => typeof r === 'object' && r !== null && typeof (r as { unit?: unknown }).unit === 'string');
}

export class AlertMonitor {
  private active: Alert[] = [];
  private evaluatedAt = 0;
  private running: Promise<Alert[]> | undefined;
  private readonly listeners = new Set<(e: { fired: Alert[]; resolved: Alert[] }) => void>();

  constructor(private readonly deps: AlertMonitorDeps) {}

  /** Told about alerts that fire or resolve. Returns an unsubscribe. */
  onChange(listener: (e: { fired: Alert[]; resolved: Alert[] }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The active alerts, evaluated again when the last evaluation is EVERY_MS old. */
  current(): Promise<Alert[]> {
    if (this.running) return this.running;
    if (this.deps.now() - this.evaluatedAt < EVERY_MS) return Promise.resolve(this.active);
    this.running = this.evaluate().finally(() => (this.running = undefined));
    return this.running;
  }

  private async evaluate(): Promise<Alert[]> {
    const now = this.deps.now();
    this.evaluatedAt = now;
    const rules = await this.deps.rules();
    if (rules.length === 0) return this.apply({ active: [], fired: [], resolved: this.active });
    const longest = Math.max(T_WINDOW_MS, ...rules.map((r) => (r.windowMinutes ?? 10) * 60_000));
    const rates = rules.some((r) => r.maxFailureRate !== undefined);
    const [units, stats, timings, dead, failed] = await Promise.all([
      this.deps.units(),
      this.deps.broker.stats().catch(() => null),
      this.deps.timingsSince(now - longest, MAX_TIMINGS).catch(() => null),
      this.deps.broker.deadLetters(1000).catch(() => []),
      rates ? this.deps.failedSince(now - longest, MAX_TIMINGS).catch(() => []) : Promise.resolve([]),
    ]);
    const measures = rules.flatMap((rule) => {
      const unit = units.find((u) => u.name === rule.unit);
      if (!unit) return [];
      const m = measure(unit, stats, timings?.filter((t) => t.endTimeMs >= now - T_WINDOW_MS) ?? null, T_WINDOW_MS);
      const since = now - (rule.windowMinutes ?? 10) * 60_000;
      const deadLetters = dead.filter((d) => d.at >= since && unit.queues.includes(d.queue)).length;
      const ended = (timings ?? []).filter((t) => t.endTimeMs >= since && unit.queues.includes(t.queue)).length;
      const failedHere = failed.filter((r) => (r.endTimeMs ?? 0) >= since && unit.queues.includes(r.queue)).length;
      return [{ unit: unit.name, waitP95Ms: signalAt({ kind: 'wait', waitMs: 0 }, m, unit.replicas), deadLetters, ended, failed: failedHere }];
    });
    return this.apply(evaluateAlerts(rules, measures, this.active, now));
  }

  private apply(next: ReturnType<typeof evaluateAlerts>): Alert[] {
    this.active = next.active;
    if (next.fired.length > 0 || next.resolved.length > 0) for (const l of this.listeners) l({ fired: next.fired, resolved: next.resolved });
    return this.active;
  }
}
