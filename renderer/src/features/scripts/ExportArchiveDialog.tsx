/**
 * Export several script sets as DataFlux Func's .zip archive (`exportScriptSets`): choose the sets,
 * optionally their sync APIs, async APIs and cron jobs, and a note; the zip is downloaded.
 */
import { useState, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useApi } from '../../app/session';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Field, TextInput } from '../../ui/Field';
import { ErrorBanner } from '../../ui/States';
import { archiveFileName } from './archive-files';
import { downloadBlob } from './bundle-files';

function Check({ label, checked, onChange, testId, hint }: { label: ReactNode; checked: boolean; onChange: (v: boolean) => void; testId: string; hint?: string }): ReactNode {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" className="size-4 accent-indigo-600" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      {label}
      {hint ? <span className="truncate text-xs text-zinc-400">{hint}</span> : null}
    </label>
  );
}

export function ExportArchiveDialog({ sets, onClose }: { sets: { id: string; title: string | null }[]; onClose: () => void }): ReactNode {
  const api = useApi();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [syncAPIs, setSyncAPIs] = useState(false);
  const [asyncAPIs, setAsyncAPIs] = useState(false);
  const [cronJobs, setCronJobs] = useState(false);
  const [note, setNote] = useState('');
  const toggle = (id: string, on: boolean): void => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };
  const run = useMutation({
    mutationFn: async () => {
      const file = await api.download('exportScriptSets', {
        body: {
          scriptSetIds: sets.map((s) => s.id).filter((id) => chosen.has(id)),
          includeSyncAPIs: syncAPIs,
          includeAsyncAPIs: asyncAPIs,
          includeCronJobs: cronJobs,
          ...(note.trim() === '' ? {} : { note: note.trim() }),
        },
      });
      downloadBlob(archiveFileName(file.filename), new Blob([file.data], { type: file.contentType || 'application/zip' }));
    },
    onSuccess: () => onClose(),
  });
  const all = sets.length > 0 && chosen.size === sets.length;
  const footer = (
    <>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" disabled={chosen.size === 0 || run.isPending} onClick={() => run.mutate()} data-testid="export-archive-submit">
        {run.isPending ? 'Exporting…' : chosen.size === 0 ? 'Export .zip' : `Export ${chosen.size} ${chosen.size === 1 ? 'set' : 'sets'} as .zip`}
      </Button>
    </>
  );
  return (
    <Dialog open title="Export as DataFlux Func archive (.zip)" onClose={onClose} footer={footer} testId="export-archive-dialog">
      <div className="space-y-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          One .zip of several script sets with their published code, as DataFlux Func exports them: it imports here or into DataFlux Func. Secrets are left out.
        </p>
        <fieldset className="space-y-1">
          <legend className="mb-1 flex w-full items-center justify-between text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Script sets
            <button
              type="button"
              className="font-normal text-indigo-600 hover:underline dark:text-indigo-400"
              onClick={() => setChosen(all ? new Set() : new Set(sets.map((s) => s.id)))}
              data-testid="export-archive-all"
            >
              {all ? 'Select none' : 'Select all'}
            </button>
          </legend>
          <div className="max-h-48 space-y-1 overflow-y-auto rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800">
            {sets.map((s) => (
              <Check
                key={s.id}
                label={<span className="font-mono text-[13px]">{s.id}</span>}
                hint={s.title ?? undefined}
                checked={chosen.has(s.id)}
                onChange={(on) => toggle(s.id, on)}
                testId={`export-archive-set-${s.id}`}
              />
            ))}
          </div>
        </fieldset>
        <fieldset className="space-y-1.5">
          <legend className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Also include, for the functions of these sets</legend>
          <Check label="Sync APIs" checked={syncAPIs} onChange={setSyncAPIs} testId="export-archive-sync-apis" />
          <Check label="Async APIs" checked={asyncAPIs} onChange={setAsyncAPIs} testId="export-archive-async-apis" />
          <Check label="Cron jobs" checked={cronJobs} onChange={setCronJobs} testId="export-archive-cron-jobs" />
        </fieldset>
        <Field label="Note (optional)" hint="Kept in the archive and shown when it is imported">
          <TextInput
            value={note}
            maxLength={5000}
            onChange={(e) => setNote(e.target.value)}
            placeholder="e.g. Release 1.4 of the billing scripts"
            data-testid="export-archive-note"
          />
        </Field>
        {run.error ? <ErrorBanner error={run.error} /> : null}
      </div>
    </Dialog>
  );
}
