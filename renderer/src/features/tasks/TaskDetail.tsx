/** One task record: timings, kwargs, result, logs, traceback; replay it in the editor; cancel it while it waits. */
import { useState, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { OutputOf } from '@contract/client/index';
import { usePageApi } from '../../app/permissions';
import { ErrorBanner } from '../../ui/States';
import { Badge, statusTone } from '../../ui/Page';
import { Button } from '../../ui/Button';
import { formatDuration, formatTime, toJson } from '../../ui/format';
import { DetailList } from '../../ui/Table';
import { DetailHeader } from '../../ui/DetailHeader';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { useLiveLogs } from './use-live-logs';
import { diffLink, replayLink, taskLink } from './links';

type Task = OutputOf<'getTask'>;

function Section({ label, children, testId, tone = 'plain' }: { label: string; children: string; testId: string; tone?: 'plain' | 'error' }): ReactNode {
  return (
    <div>
      <p className="mb-1 text-[11px] font-semibold uppercase tracking-wider text-zinc-500">{label}</p>
      <pre
        data-testid={testId}
        className={`max-h-64 overflow-auto whitespace-pre-wrap break-words rounded-md border px-3 py-2 font-mono text-xs ${tone === 'error' ? 'border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200' : 'border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950'}`}
      >
        {children}
      </pre>
    </div>
  );
}

export function TaskDetail({ task, onClose }: { task: Task; onClose: () => void }): ReactNode {
  const { api, qc, can } = usePageApi();
  // Cancelling cannot be undone: asked first (a click on the red button did it at once).
  const [confirming, setConfirming] = useState(false);
  // Queued covers delayed tasks too; the server refuses (403) one a worker took meanwhile.
  const cancel = useMutation({
    mutationFn: () => api.cancelTask({ params: { id: task.id } }),
    // A refusal (a worker took it meanwhile) shows in the pane, as before.
    onSettled: () => {
      setConfirming(false);
      return Promise.all([qc.invalidateQueries({ queryKey: ['task', task.id] }), qc.invalidateQueries({ queryKey: ['taskRecords'] })]);
    },
  });
  // A task still going: its lines as they are printed (its record has them once it ends).
  const unfinished = task.status === 'queued' || task.status === 'running';
  const live = useLiveLogs(unfinished ? task.id : null, () => void qc.invalidateQueries({ queryKey: ['task', task.id] }));
  const waited = task.startTimeMs !== null ? task.startTimeMs - task.triggerTimeMs : null;
  const ran = task.startTimeMs !== null && task.endTimeMs !== null ? task.endTimeMs - task.startTimeMs : null;
  const rows: [string, ReactNode][] = [
    [
      'Status',
      <Badge key="s" tone={statusTone(task.status)} testId="task-detail-status">
        {task.status}
      </Badge>,
    ],
    [
      'Function',
      <span key="f" className="font-mono">
        {task.funcId}
      </span>,
    ],
    ['Origin', `${task.origin} · ${task.originId}`],
    ['Queue', `#${task.queue}`],
    ['Triggered', formatTime(task.triggerTimeMs)],
    ['Waited', formatDuration(waited)],
    ['Ran', formatDuration(ran)],
  ];
  // While it waits: its place in the queue and when it should start (refreshed with the task).
  if (task.status === 'queued' && typeof task.queuePosition === 'number') {
    const start = task.predictedStartMs;
    rows.push([
      'In queue',
      <span key="q" data-testid="task-detail-position">
        #{task.queuePosition} of queue #{task.queue}
      </span>,
    ]);
    rows.push([
      'Starts',
      <span key="p" data-testid="task-detail-predicted-start">
        {typeof start === 'number' ? `at about ${formatTime(start)}` : 'unknown: no measured task duration yet'}
      </span>,
    ]);
  }
  if (task.replayOf)
    rows.push([
      'Re-run of',
      <Link key="r" to={taskLink(task.replayOf)} className="font-mono text-indigo-700 hover:underline dark:text-indigo-300" data-testid="task-detail-replay-of">
        {task.replayOf}
      </Link>,
    ]);
  const attempts = task.attempts ?? [];
  return (
    <div className="flex h-full flex-col" data-testid="task-detail">
      <DetailHeader title={task.id} tooltip={task.id} testId="task-detail-id" onClose={onClose}>
        {task.status === 'queued' && can('general_w') ? (
          <Button size="sm" variant="danger" disabled={cancel.isPending} onClick={() => setConfirming(true)} data-testid="task-cancel">
            Cancel task
          </Button>
        ) : null}
        {task.replayOf ? (
          <Link to={diffLink(task.replayOf, task.id)} data-testid="task-compare-original">
            <Button size="sm" tabIndex={-1}>
              Compare with original
            </Button>
          </Link>
        ) : null}
        {/* The editor's replay bar and run panel need general_w: without it the button would lead nowhere. */}
        {can('general_w') ? (
          <Link to={replayLink(task)} data-testid="task-open-in-editor">
            <Button size="sm" tabIndex={-1}>
              Replay in editor
            </Button>
          </Link>
        ) : null}
      </DetailHeader>
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto p-4">
        {cancel.error ? <ErrorBanner error={cancel.error} /> : null}
        <DetailList rows={rows} />
        {attempts.length > 0 ? (
          <div>
            <p className="mb-1 text-[11px] font-semibold uppercase tracking-wider text-zinc-500">Earlier attempts</p>
            <ol className="divide-y divide-zinc-100 rounded-md border border-zinc-200 text-xs dark:divide-zinc-800 dark:border-zinc-800" data-testid="task-detail-attempts">
              {attempts.map((a) => (
                <li key={a.attempt} className="flex min-w-0 items-baseline gap-2 px-3 py-1.5" data-testid="task-detail-attempt">
                  <span className="w-5 shrink-0 text-right tabular-nums text-zinc-400">#{a.attempt}</span>
                  <Badge tone={statusTone(a.status)}>{a.status}</Badge>
                  <span className="min-w-0 flex-1 truncate font-mono" title={a.exceptionTEXT ?? ''}>
                    {a.exceptionType ? `${a.exceptionType}: ${a.exceptionTEXT ?? ''}` : (a.reason ?? '')}
                  </span>
                  <span className="shrink-0 tabular-nums text-zinc-500" title="When the next attempt was due">
                    retried {formatTime(a.retryAtMs).slice(11)}
                  </span>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
        <Section label="kwargs" testId="task-detail-kwargs">
          {toJson(task.funcCallKwargsJSON)}
        </Section>
        {task.status === 'success' ? (
          <Section label="Return value" testId="task-detail-result">
            {toJson(task.returnValueJSON)}
          </Section>
        ) : null}
        {task.tracebackTEXT || task.exceptionTEXT ? (
          <Section label={task.exceptionType ?? 'Error'} testId="task-detail-traceback" tone="error">
            {task.tracebackTEXT ?? task.exceptionTEXT ?? ''}
          </Section>
        ) : null}
        {unfinished ? (
          <Section label={`Print logs (live${live.failed ? ': unavailable, shown when it ends' : ''})`} testId="task-detail-live-logs">
            {(live.trimmed > 0 ? `[… ${live.trimmed} earlier lines not kept here]\n` : '') + (live.lines.length ? live.lines.join('\n') : '(nothing printed yet)')}
          </Section>
        ) : (
          <Section label="Print logs" testId="task-detail-logs">
            {task.printLogsTEXT || '(nothing printed)'}
          </Section>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        title="Cancel this task?"
        confirmLabel="Cancel task"
        closeLabel="Keep it"
        onConfirm={() => cancel.mutate()}
        onClose={() => setConfirming(false)}
        pending={cancel.isPending}
        testId="task-cancel-dialog"
      >
        <p>
          <span className="font-mono">{task.funcId}</span> will not run: the task ends as cancelled. This cannot be undone; call the function again to run it.
        </p>
      </ConfirmDialog>
    </div>
  );
}
