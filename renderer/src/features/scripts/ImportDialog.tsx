/** Import a script-set bundle: choose a file, preview the set and its scripts, choose overwrite/publish, apply. */
import { useState, type ChangeEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ScriptSetBundle } from '@contract/operations/script-set-bundle';
import { funcDesktop } from '../../app/desktop';
import { useApi } from '../../app/session';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/States';
import { openWithDesktop, parseBundle, type OpenedFile } from './bundle-files';

function Check({ label, checked, onChange, testId }: { label: string; checked: boolean; onChange: (v: boolean) => void; testId: string }): ReactNode {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" className="size-4 accent-indigo-600" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      {label}
    </label>
  );
}

function Preview({ bundle, fileName }: { bundle: ScriptSetBundle; fileName: string }): ReactNode {
  return (
    <div className="space-y-2 text-sm" data-testid="import-preview">
      <p>
        Script set{' '}
        <code className="font-mono font-semibold" data-testid="import-set-id">
          {bundle.scriptSet.id}
        </code>
        {bundle.scriptSet.title ? ` — ${bundle.scriptSet.title}` : ''} <span className="text-zinc-500">from {fileName}</span>
      </p>
      <ul className="max-h-48 overflow-y-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        {bundle.scripts.map((s) => (
          <li key={s.id} className="flex justify-between px-3 py-1 font-mono text-[13px]" data-testid={`import-script-${s.id}`}>
            <span>{s.id}</span>
            <span className="text-xs text-zinc-400">{s.code === null ? 'draft only' : 'published'}</span>
          </li>
        ))}
        {bundle.scripts.length === 0 ? <li className="px-3 py-1 text-xs text-zinc-400">No scripts</li> : null}
      </ul>
    </div>
  );
}

export function ImportDialog({ onClose }: { onClose: () => void }): ReactNode {
  const api = useApi();
  const qc = useQueryClient();
  const desktop = funcDesktop() !== undefined;
  const [file, setFile] = useState<OpenedFile | null>(null);
  const [overwrite, setOverwrite] = useState(false);
  const [publish, setPublish] = useState(false);
  const [readError, setReadError] = useState<unknown>(null);
  const parsed = file ? parseBundle(file.content) : null;
  const run = useMutation({
    mutationFn: (bundle: ScriptSetBundle) => api.importScriptSet({ body: { data: bundle, options: { overwrite, publish } } }),
    onSettled: async () => {
      // A failed publish still imported the scripts: refresh either way.
      await Promise.all([qc.invalidateQueries({ queryKey: ['scriptSets'] }), qc.invalidateQueries({ queryKey: ['scripts'] }), qc.invalidateQueries({ queryKey: ['script'] })]);
    },
    onSuccess: () => onClose(),
  });
  const choose = (opened: OpenedFile | null): void => {
    run.reset();
    setReadError(null);
    if (opened) setFile(opened);
  };
  const onInput = (e: ChangeEvent<HTMLInputElement>): void => {
    const f = e.target.files?.[0];
    if (f) f.text().then((content) => choose({ name: f.name, content }), setReadError);
  };
  const footer = (
    <>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" disabled={!parsed?.ok || run.isPending} onClick={() => parsed?.ok && run.mutate(parsed.bundle)} data-testid="import-submit">
        {run.isPending ? 'Importing…' : 'Import'}
      </Button>
    </>
  );
  return (
    <Dialog open title="Import script set" onClose={onClose} footer={footer} testId="import-dialog">
      <div className="space-y-4">
        {desktop ? (
          <Button onClick={() => void openWithDesktop().then(choose, setReadError)} data-testid="import-choose">
            Choose file…
          </Button>
        ) : (
          <input type="file" accept=".json,application/json" onChange={onInput} className="block text-sm" data-testid="import-file" />
        )}
        {readError ? <ErrorBanner error={readError} /> : null}
        {parsed && !parsed.ok ? <ErrorBanner error={new Error(parsed.message)} /> : null}
        {parsed?.ok && file ? <Preview bundle={parsed.bundle} fileName={file.name} /> : null}
        <div className="space-y-2">
          <Check label="Overwrite the script set if it exists (scripts not in the file are deleted)" checked={overwrite} onChange={setOverwrite} testId="import-overwrite" />
          <Check label="Publish each script after importing" checked={publish} onChange={setPublish} testId="import-publish" />
        </div>
        {run.error ? <ErrorBanner error={run.error} /> : null}
      </div>
    </Dialog>
  );
}
