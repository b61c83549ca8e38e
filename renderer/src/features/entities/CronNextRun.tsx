/**
 * A cron job's next run, as `cronNextRun` says it, shown again when that time comes (one timer a
 * row, not a clock ticking each second); once it has passed, the cron jobs list is read again a
 * second later (the beat has moved it on by then), once per time the server gave, so a job firing
 * every 5 s shows its next run, not the last. Rows due together share one read (a read in flight
 * is not started again).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { cronNextRun, type CronRunTimes } from './cron-next-run';

/** After a next run time passed, the list is read again this much later. */
const REREAD_AFTER_MS = 1000;
/** setTimeout's longest wait; a time further away gets no timer (no page stays open that long). */
const MAX_TIMER_MS = 2_147_483_647;

export function CronNextRun({ row }: { row: CronRunTimes }): ReactNode {
  const qc = useQueryClient();
  const [now, setNow] = useState(Date.now);
  const at = row.nextRunTime;
  useEffect(() => {
    if (at === null) return;
    const wait = Math.max(0, at - Date.now());
    if (wait > MAX_TIMER_MS) return;
    const timer = setTimeout(() => setNow(Math.max(Date.now(), at)), wait);
    return () => clearTimeout(timer);
  }, [at]);
  const passed = at !== null && at <= now && row.isDisabled !== true;
  useEffect(() => {
    if (!passed) return;
    const timer = setTimeout(() => void qc.invalidateQueries({ queryKey: ['cronJobs'] }, { cancelRefetch: false }), REREAD_AFTER_MS);
    return () => clearTimeout(timer);
  }, [passed, at, qc]);
  return cronNextRun(row, now);
}
