/**
 * The cron jobs page's "Next run": the job's next scheduled time, except while a script has paused
 * it (DFF.CRON_JOB.pause), when the times inside the pause are skipped: then the end of the pause
 * (epoch seconds, as DataFlux Func answers it), or "paused" when it has none.
 */
import { formatTime, formatTimeS } from '../../ui/format';

export function cronNextRun(r: { nextRunTime: number | null; isPaused?: boolean | undefined; pauseExpireTime?: number | null | undefined }): string {
  if (r.isPaused === true) {
    const end = r.pauseExpireTime ?? null;
    if (end === null) return 'paused';
    // A scheduled time after the pause runs as usual.
    if (r.nextRunTime !== null && r.nextRunTime >= end * 1000) return formatTime(r.nextRunTime);
    return `not before ${formatTimeS(end)}`;
  }
  return r.nextRunTime !== null ? formatTime(r.nextRunTime) : '—';
}
