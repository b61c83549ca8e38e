import { describe, expect, it } from 'vitest';
import { evaluateAlerts, type AlertRule } from './alerts.js';

const RULES: AlertRule[] = [
  { unit: 'w1', maxWaitMs: 2000, maxDeadLetters: 0 },
  { unit: 'w2', maxWaitMs: 5000 },
];

describe('evaluateAlerts', () => {
  it('fires above a threshold, keeps its start while it lasts, resolves below it', () => {
    const first = evaluateAlerts(
      RULES,
      [
        { unit: 'w1', waitP95Ms: 3000, deadLetters: 0 },
        { unit: 'w2', waitP95Ms: 100, deadLetters: 9 },
      ],
      [],
      1000,
    );
    expect(first.active).toEqual([
      { id: 'w1:queueWait', unit: 'w1', kind: 'queueWait', value: 3000, threshold: 2000, since: 1000, message: 'w1: predicted queue wait p95 3.0 s is above 2.0 s' },
    ]);
    expect(first.fired.map((a) => a.id)).toEqual(['w1:queueWait']);
    const second = evaluateAlerts(RULES, [{ unit: 'w1', waitP95Ms: 4000, deadLetters: 2 }], first.active, 6000);
    expect(second.active.map((a) => [a.id, a.since])).toEqual([
      ['w1:queueWait', 1000],
      ['w1:deadLetters', 6000],
    ]);
    expect(second.fired.map((a) => a.id)).toEqual(['w1:deadLetters']);
    expect(second.active[1]?.message).toBe('w1: 2 dead letter(s) in 10 min, above 0');
    const third = evaluateAlerts(RULES, [{ unit: 'w1', waitP95Ms: 1000, deadLetters: 0 }], second.active, 11000);
    expect(third.active).toEqual([]);
    expect(third.resolved.map((a) => a.id)).toEqual(['w1:queueWait', 'w1:deadLetters']);
  });

  it('fires on a failure rate only over enough ended tasks', () => {
    const rules: AlertRule[] = [{ unit: 'w1', maxFailureRate: 0.2 }];
    expect(evaluateAlerts(rules, [{ unit: 'w1', waitP95Ms: null, deadLetters: 0, ended: 5, failed: 5 }], [], 1).active).toEqual([]);
    const e = evaluateAlerts(rules, [{ unit: 'w1', waitP95Ms: null, deadLetters: 0, ended: 20, failed: 6 }], [], 1);
    expect(e.active.map((a) => [a.id, a.value, a.message])).toEqual([['w1:failureRate', 0.3, 'w1: 30 % of 20 tasks failed in 10 min, above 20 %']]);
    expect(evaluateAlerts(rules, [{ unit: 'w1', waitP95Ms: null, deadLetters: 0, ended: 20, failed: 4 }], [], 1).active).toEqual([]);
  });

  it('says nothing without a measurement or a rule', () => {
    expect(evaluateAlerts(RULES, [{ unit: 'w1', waitP95Ms: null, deadLetters: 0 }], [], 1).active).toEqual([]);
    expect(evaluateAlerts([], [{ unit: 'w1', waitP95Ms: 1e9, deadLetters: 1e9 }], [], 1).active).toEqual([]);
  });
});
