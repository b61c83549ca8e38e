/**
 * The cron jobs page's "Next run": the job's next scheduled time, except while a script has paused
 * it (DFF.CRON_JOB.pause), when the times inside the pause are skipped: then the end of the pause
 * (epoch seconds, as DataFlux Func answers it), or "paused" when it has none. A time already past
 * (the job fired, or fires now, and the list has not been read since) is never shown as the next
 * one: "due now" until the list is read again (a disabled job, which does not fire: "—").
 */
import { formatTime, formatTimeS } from '../../ui/format';

export interface CronRunTimes {
  nextRunTime: number | null;
  isDisabled?: boolean | undefined;
  isPaused?: boolean | undefined;
  pauseExpireTime?: number | null | undefined;
}

function scheduled(r: CronRunTimes, now: number): string {
  if (r.nextRunTime === null) return '—';
  if (r.nextRunTime > now) return formatTime(r.nextRunTime);
  return r.isDisabled === true ? '—' : 'due now';
}

export function cronNextRun(r: CronRunTimes, now: number): string {
  if (r.isPaused === true) {
    const end = r.pauseExpireTime ?? null;
    if (end === null) return 'paused';
    // A scheduled time after the pause runs as usual.
    if (r.nextRunTime !== null && r.nextRunTime >= end * 1000) return scheduled(r, now);
    return `not before ${formatTimeS(end)}`;
  }
  return scheduled(r, now);
}
