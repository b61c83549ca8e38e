import { describe, expect, it } from 'vitest';
import { checkCronExpr, nextFireTime } from './cron-expr.js';

describe('cron expressions', () => {
  it('accepts 5 fields and 6 with seconds first; refuses others with a reason', () => {
    expect(checkCronExpr('*/5 * * * *').ok).toBe(true);
    expect(checkCronExpr('30 */5 * * * *').ok).toBe(true);
    expect(checkCronExpr('* * *')).toMatchObject({ ok: false, message: expect.stringMatching(/5 fields/) as unknown });
    expect(checkCronExpr('61 * * * *').ok).toBe(false);
    expect(checkCronExpr('* * * * *', 'No/Where')).toMatchObject({ ok: false, message: expect.stringMatching(/time zone/) as unknown });
  });

  it('computes the next fire time in a time zone', () => {
    const t = Date.UTC(2026, 5, 1, 0, 0, 0);
    expect(nextFireTime('0 9 * * *', 'UTC', t)).toBe(Date.UTC(2026, 5, 1, 9));
    expect(nextFireTime('0 9 * * *', 'Asia/Shanghai', t)).toBe(Date.UTC(2026, 5, 1, 1));
    expect(nextFireTime('*/15 * * * * *', null, t)).toBe(t + 15_000);
  });
});
