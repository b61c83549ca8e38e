/** Alert rules and active alerts (one monitor per server, evaluated on demand; domain/alerts/). */
import { AlertMonitor, ALERT_RULES_SETTING, parseAlertRules } from '../../domain/alerts/alert-monitor.js';
import { perContext } from '../app-context.js';
import type { Handlers } from '../handler.js';

export const alertMonitor = perContext((ctx): AlertMonitor => {
  const monitor = new AlertMonitor({
    rules: async () => parseAlertRules((await ctx.store.settings.all())[ALERT_RULES_SETTING]),
    units: async () => ((await ctx.stack?.deployed.get()) ?? ctx.topology).units,
    broker: ctx.broker,
    timingsSince: (since, limit) => ctx.store.taskRecords.timingsSince(since, limit),
    failedSince: (since, limit) => ctx.store.taskRecords.list({ status: ['failure', 'timeout'], since }, { limit }),
    now: ctx.now,
  });
  ctx.metrics.watchAlerts(() => monitor.current());
  return monitor;
});

export const alertHandlers: Pick<Handlers, 'getAlerts' | 'setAlertRules'> = {
  getAlerts: async (_input, { ctx }) => {
    const rules = parseAlertRules((await ctx.store.settings.all())[ALERT_RULES_SETTING]);
    return { rules, active: await alertMonitor(ctx).current() };
  },
  setAlertRules: async ({ body }, { ctx }) => {
    await ctx.store.settings.set(ALERT_RULES_SETTING, body.rules, ctx.now());
    return { rules: body.rules, active: await alertMonitor(ctx).current() };
  },
};
