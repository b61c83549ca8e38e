/**
 * Replaying a recorded task in the editor: the task's kwargs (and the HTTP request an API call
 * came with, credentials masked) run again against the draft or a chosen published version.
 */
import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../../app/session';
import { Button } from '../../ui/Button';
import { Select } from '../../ui/Field';
import { ErrorBanner } from '../../ui/States';
import { formatTime, toJson } from '../../ui/format';
import { usePublishHistory } from './queries';
import { taskLink } from '../tasks/links';

export type ReplayAgainst = 'draft' | number;

export function ReplayBar({ scriptId, taskId, running, onReplay }: { scriptId: string; taskId: string; running: boolean; onReplay: (against: ReplayAgainst) => void }): ReactNode {
  const api = useApi();
  const task = useQuery({ queryKey: ['task', taskId], queryFn: () => api.getTask({ params: { id: taskId } }) });
  const history = usePublishHistory(scriptId, true);
  const [against, setAgainst] = useState<string>('draft');
  const request = task.data?.httpRequest;
  return (
    <div className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50/60 p-3 text-xs dark:border-indigo-900 dark:bg-indigo-950/30" data-testid="replay-bar">
      <p className="text-zinc-700 dark:text-zinc-300">
        Replaying task{' '}
        <Link className="font-mono text-indigo-700 hover:underline dark:text-indigo-300" to={taskLink(taskId)}>
          {taskId}
        </Link>
        {task.data ? (
          <span className="text-zinc-500">
            {' '}
            · {task.data.origin} · {formatTime(task.data.triggerTimeMs)} · was {task.data.status}
          </span>
        ) : null}
      </p>
      {task.error ? <ErrorBanner error={task.error} /> : null}
      <div className="flex items-center gap-2">
        <Select aria-label="Replay against" value={against} onChange={(e) => setAgainst(e.target.value)} data-testid="replay-against">
          <option value="draft">the saved draft</option>
          {(history.data ?? []).map((h) => (
            <option key={h.publishVersion} value={String(h.publishVersion)}>
              published v{h.publishVersion}
            </option>
          ))}
        </Select>
        <Button variant="primary" size="sm" disabled={running || !task.data} onClick={() => onReplay(against === 'draft' ? 'draft' : Number(against))} data-testid="replay-button">
          {running ? 'Replaying…' : '↻ Replay'}
        </Button>
      </div>
      {request ? (
        <details data-testid="replay-request">
          <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">HTTP request it came with (credentials masked)</summary>
          <pre className="mt-1 max-h-40 overflow-auto rounded border border-zinc-200 bg-white p-2 font-mono dark:border-zinc-800 dark:bg-zinc-950">{toJson(request)}</pre>
        </details>
      ) : null}
    </div>
  );
}
