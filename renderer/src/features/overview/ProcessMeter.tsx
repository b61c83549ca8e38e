/** A worker's processes as a bar (busy, started and idle, not started) and its counts. */
import type { ReactNode } from 'react';
import { processCountsText, type ProcessCounts } from './process-counts';

/** At most this many segments: a bigger unit's bar would be hairlines. */
const MAX_SEGMENTS = 40;

function segmentClass(i: number, c: ProcessCounts): string {
  if (i < c.busy) return 'bg-indigo-500';
  if (i < c.started) return 'bg-zinc-300 dark:bg-zinc-600';
  // Not started: free capacity, drawn hollow.
  return 'border border-zinc-300 dark:border-zinc-700';
}

export function ProcessBar({ counts }: { counts: ProcessCounts }): ReactNode {
  const n = Math.min(counts.max, MAX_SEGMENTS);
  return (
    <div className="flex gap-0.5" role="img" aria-label={`processes: ${processCountsText(counts)}`} title={`processes: ${processCountsText(counts)}`}>
      {Array.from({ length: n }, (_, i) => (
        <span key={i} className={`h-1.5 flex-1 rounded-full ${segmentClass(i, counts)}`} />
      ))}
    </div>
  );
}

/** "0 busy · 0 of 2 started". */
export function ProcessCountsText({ counts, testId }: { counts: ProcessCounts; testId: string }): ReactNode {
  return <span data-testid={testId}>{processCountsText(counts)}</span>;
}
