/**
 * Alerts per worker unit: the predicted p95 wait of its queues and the dead letters of its queues
 * within a window, against thresholds. Active alerts come as `alert` events on /api/v1/events, as
 * the `func_alert_active` metric and in the console's banner.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { UNIT_NAME } from './stack.js';

export const alertRule = z
  .object({
    unit: z.string().regex(UNIT_NAME, 'must be a unit name'),
    maxWaitMs: z.number().int().min(100).max(86_400_000).optional(),
    maxDeadLetters: z.number().int().min(0).max(1_000_000).optional(),
    /** 0–1: more than this fraction of the tasks ended in the window failed or timed out (at least 10 ended). */
    maxFailureRate: z.number().min(0).max(1).optional(),
    windowMinutes: z.number().int().min(1).max(1440).optional(),
  })
  .strict()
  .refine((r) => r.maxWaitMs !== undefined || r.maxDeadLetters !== undefined || r.maxFailureRate !== undefined, {
    error: 'give maxWaitMs, maxDeadLetters or maxFailureRate',
    path: ['maxWaitMs'],
  });

export const alert = z.object({
  id: z.string(),
  unit: z.string(),
  kind: z.enum(['queueWait', 'deadLetters', 'failureRate']),
  value: z.number(),
  threshold: z.number(),
  since: z.number(),
  message: z.string(),
});
export type AlertView = z.output<typeof alert>;

const alertsOutput = z.object({ rules: z.array(alertRule), active: z.array(alert) });

export const getAlerts = operation('getAlerts', 'GET /api/v1/alerts', 'general_r', {
  summary: 'The alert rules per unit and the alerts active now (evaluated at most every 5 s)',
  output: alertsOutput,
});

export const setAlertRules = operation('setAlertRules', 'POST /api/v1/alerts/do/set-rules', 'stack_w', {
  summary: 'Replace the alert rules (per unit: maxWaitMs, maxDeadLetters within windowMinutes)',
  body: z
    .object({
      // One rule per unit (it holds every threshold of that unit): a second would silently win or lose.
      rules: z
        .array(alertRule)
        .max(200)
        .superRefine((rules, ctx) => {
          const seen = new Set<string>();
          rules.forEach((r, i) => {
            if (seen.has(r.unit)) ctx.addIssue({ code: 'custom', path: [i, 'unit'], message: `a second rule for unit ${r.unit}: one rule per unit holds all its thresholds` });
            seen.add(r.unit);
          });
        }),
    })
    .strict(),
  output: alertsOutput,
});
