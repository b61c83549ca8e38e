/**
 * A cron job's next run, as `cronNextRun` says it, against a clock ticking each second; once the
 * time has passed, the cron jobs list is read again a second later (the beat has moved it on by
 * then), once per time the server gave, so a job firing every 5 s shows its next run, not the last.
 */
import { useEffect, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNow } from '../../ui/use-now';
import { cronNextRun, type CronRunTimes } from './cron-next-run';

/** After a next run time passed, the list is read again this much later. */
const REREAD_AFTER_MS = 1000;

export function CronNextRun({ row }: { row: CronRunTimes }): ReactNode {
  const now = useNow();
  const qc = useQueryClient();
  const passed = row.nextRunTime !== null && row.nextRunTime <= now && row.isDisabled !== true;
  useEffect(() => {
    if (!passed) return;
    const timer = setTimeout(() => void qc.invalidateQueries({ queryKey: ['cronJobs'] }), REREAD_AFTER_MS);
    return () => clearTimeout(timer);
  }, [passed, row.nextRunTime, qc]);
  return cronNextRun(row, now);
}
