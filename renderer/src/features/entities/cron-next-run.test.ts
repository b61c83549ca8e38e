import { describe, expect, it } from 'vitest';
import { formatTime, formatTimeS } from '../../ui/format';
import { cronNextRun } from './cron-next-run';

const at = Date.UTC(2026, 11, 6, 9, 0, 0);
const before = at - 1000;

describe('cronNextRun', () => {
  it('shows the next scheduled time of a job that is not paused, and a dash when there is none', () => {
    expect(cronNextRun({ nextRunTime: at }, before)).toBe(formatTime(at));
    expect(cronNextRun({ nextRunTime: at, isPaused: false, pauseExpireTime: null }, before)).toBe(formatTime(at));
    expect(cronNextRun({ nextRunTime: null }, before)).toBe('—');
  });

  it('shows the end of a pause instead of the times it skips, and "paused" for a pause without an end', () => {
    const end = at / 1000 + 3600;
    expect(cronNextRun({ nextRunTime: at + 60_000, isPaused: true, pauseExpireTime: end }, before)).toBe(`not before ${formatTimeS(end)}`);
    expect(cronNextRun({ nextRunTime: at + 60_000, isPaused: true, pauseExpireTime: null }, before)).toBe('paused');
    // A next time past the end of the pause runs as scheduled.
    expect(cronNextRun({ nextRunTime: end * 1000 + 60_000, isPaused: true, pauseExpireTime: end }, before)).toBe(formatTime(end * 1000 + 60_000));
  });

  it('never shows a time already past as the next run: "due now", or a dash for a disabled job', () => {
    expect(cronNextRun({ nextRunTime: at }, at)).toBe('due now');
    expect(cronNextRun({ nextRunTime: at }, at + 3000)).toBe('due now');
    expect(cronNextRun({ nextRunTime: at, isDisabled: true }, at + 3000)).toBe('—');
  });
});
