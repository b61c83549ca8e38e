/**
 * Import script sets from a file: Func's JSON bundle (preview the set and its scripts, choose
 * overwrite/publish, apply) or DataFlux Func's .zip archive (uploaded with checkOnly, the server's
 * preview of what it adds and replaces, then confirm-import).
 */
import { useState, type ChangeEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@contract/errors';
import type { ScriptSetBundle } from '@contract/operations/script-set-bundle';
import { funcDesktop } from '../../app/desktop';
import { useApi } from '../../app/session';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/States';
import { openWithDesktop, parseBundle, type OpenedFile } from './bundle-files';
import { asArchiveCheck, importedSummary, isZipBytes, previewGroups, requirementLines, type ArchiveCheck, type ArchiveFile } from './archive-files';

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

function Busy({ label, testId }: { label: string; testId: string }): ReactNode {
  return (
    <div className="flex items-center gap-2 rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-600 dark:bg-zinc-800/60 dark:text-zinc-300" role="status" data-testid={testId}>
      <span className="size-4 shrink-0 animate-spin rounded-full border-2 border-zinc-300 border-t-indigo-500" />
      {label}
    </div>
  );
}

function DiffBadge({ type }: { type: 'add' | 'replace' }): ReactNode {
  return type === 'add' ? (
    <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-[11px] font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">add</span>
  ) : (
    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-300">replace</span>
  );
}

function Requirements({ requirements }: { requirements: Record<string, string | null> }): ReactNode {
  const lines = requirementLines(requirements);
  if (lines.length === 0) return null;
  return (
    <div className="space-y-1 text-sm" data-testid="archive-requirements">
      <p className="font-medium">Python packages these script sets need</p>
      <pre className="rounded-md bg-zinc-50 px-3 py-2 font-mono text-[13px] dark:bg-zinc-800/60">{lines.join('\n')}</pre>
      <p className="text-xs text-zinc-500">
        Install them under{' '}
        <Link to="/python-packages" className="text-indigo-600 underline dark:text-indigo-400">
          Python packages
        </Link>{' '}
        if they are not there yet.
      </p>
    </div>
  );
}

/** What the server's check-only import answered: per kind each id added or replaced, the note. */
function ArchivePreview({ check, fileName }: { check: ArchiveCheck; fileName: string }): ReactNode {
  const groups = previewGroups(check.diff);
  const replacesSets = groups.some((g) => g.key === 'scriptSets' && g.replace > 0);
  return (
    <div className="space-y-3 text-sm" data-testid="archive-preview">
      <p>
        DataFlux Func archive <span className="font-mono text-[13px] text-zinc-500">{fileName}</span>. Nothing changes until you confirm.
      </p>
      {check.note ? (
        <blockquote className="whitespace-pre-wrap border-l-2 border-zinc-300 pl-3 text-zinc-600 dark:border-zinc-600 dark:text-zinc-400" data-testid="archive-note">
          {check.note}
        </blockquote>
      ) : null}
      {groups.length === 0 ? <p className="text-zinc-500">The archive holds nothing to import.</p> : null}
      {groups.map((g) => (
        <section key={g.key} data-testid={`archive-diff-${g.key}`}>
          <h3 className="mb-1 flex items-baseline gap-2 text-xs font-semibold uppercase tracking-wider text-zinc-500">
            {g.label}
            <span className="font-normal normal-case tracking-normal text-zinc-400">
              {[g.add > 0 ? `${g.add} to add` : '', g.replace > 0 ? `${g.replace} to replace` : ''].filter(Boolean).join(' · ')}
            </span>
          </h3>
          <ul className="max-h-40 divide-y divide-zinc-100 overflow-y-auto rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
            {g.rows.map((r) => (
              <li key={r.id} className="flex items-center gap-3 px-3 py-1.5" data-testid={`archive-diff-${g.key}-${r.id}`}>
                <code className="truncate font-mono text-[13px]">{r.id}</code>
                {r.detail ? <span className="truncate text-xs text-zinc-500">{r.detail}</span> : null}
                <span className="ml-auto">
                  <DiffBadge type={r.diffType} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {replacesSets ? (
        <p className="text-xs text-amber-700 dark:text-amber-400">A replaced script set loses its scripts that are not in the archive. A recover point is taken first.</p>
      ) : null}
      <Requirements requirements={check.requirements} />
    </div>
  );
}

/** A ConfirmingImportTimeout: the staged preview is gone, check the file again. */
function expired(err: unknown): boolean {
  return err instanceof ApiError && err.subReason === 'ConfirmingImportTimeout';
}

export function ImportDialog({ onClose }: { onClose: () => void }): ReactNode {
  const api = useApi();
  const qc = useQueryClient();
  const desktop = funcDesktop() !== undefined;
  const [file, setFile] = useState<OpenedFile | null>(null);
  const [archive, setArchive] = useState<ArchiveFile | null>(null);
  const [overwrite, setOverwrite] = useState(false);
  const [publish, setPublish] = useState(false);
  const [readError, setReadError] = useState<unknown>(null);
  const parsed = file ? parseBundle(file.content) : null;
  const refresh = async (): Promise<void> => {
    await Promise.all([
      qc.invalidateQueries({ queryKey: ['scriptSets'] }),
      qc.invalidateQueries({ queryKey: ['scripts'] }),
      qc.invalidateQueries({ queryKey: ['script'] }),
      qc.invalidateQueries({ queryKey: ['funcs'] }),
    ]);
  };
  const run = useMutation({
    mutationFn: (bundle: ScriptSetBundle) => api.importScriptSet({ body: { data: bundle, options: { overwrite, publish } } }),
    // A failed publish still imported the scripts: refresh either way.
    onSettled: refresh,
    onSuccess: () => onClose(),
  });
  const check = useMutation({
    mutationFn: async (a: ArchiveFile) =>
      asArchiveCheck(await api.importScriptSet({ body: { checkOnly: 'true', files: [{ fieldName: 'files', filename: a.name, contentType: 'application/zip', data: a.data }] } })),
  });
  const confirm = useMutation({
    mutationFn: (confirmId: string) => api.confirmImportScriptSets({ body: { confirmId } }),
    // An archive brings APIs, cron jobs, connectors and variables too: every cached list is read
    // again (a refused import is written back by the server; refresh either way).
    onSettled: () => qc.invalidateQueries(),
  });
  const choose = (opened: OpenedFile | null): void => {
    run.reset();
    check.reset();
    confirm.reset();
    setReadError(null);
    if (opened) {
      setArchive(null);
      setFile(opened);
    }
  };
  const chooseArchive = (a: ArchiveFile): void => {
    choose(null);
    setFile(null);
    setArchive(a);
    check.mutate(a);
  };
  const onInput = (e: ChangeEvent<HTMLInputElement>): void => {
    const f = e.target.files?.[0];
    if (!f) return;
    // Either kind is read as bytes: a zip (by its first bytes, whatever its name) is an archive, anything else a bundle's text.
    f.arrayBuffer().then((buf) => {
      const data = new Uint8Array(buf);
      if (isZipBytes(data)) chooseArchive({ name: f.name, data });
      else choose({ name: f.name, content: new TextDecoder().decode(data) });
    }, setReadError);
  };
  const checked = archive ? check.data : undefined;
  const imported = confirm.data;
  const busy = run.isPending || check.isPending || confirm.isPending;

  const footer = imported ? (
    <Button variant="primary" onClick={onClose} data-testid="archive-done">
      Close
    </Button>
  ) : archive ? (
    <>
      <Button onClick={onClose} data-testid="import-cancel">
        Cancel
      </Button>
      <Button variant="primary" disabled={!checked?.confirmId || busy} onClick={() => checked?.confirmId && confirm.mutate(checked.confirmId)} data-testid="archive-confirm">
        {confirm.isPending ? 'Importing…' : 'Confirm import'}
      </Button>
    </>
  ) : (
    <>
      <Button onClick={onClose} data-testid="import-cancel">
        Cancel
      </Button>
      <Button variant="primary" disabled={!parsed?.ok || busy} onClick={() => parsed?.ok && run.mutate(parsed.bundle)} data-testid="import-submit">
        {run.isPending ? 'Importing…' : 'Import'}
      </Button>
    </>
  );

  const body = (): ReactNode => {
    if (archive && imported)
      return (
        <div className="space-y-3 text-sm" data-testid="archive-imported">
          <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-300">
            Imported {importedSummary(checked ? previewGroups(checked.diff) : [])} from {archive.name}; the scripts are published.
          </p>
          <Requirements requirements={imported.requirements} />
        </div>
      );
    if (archive)
      return (
        <div className="space-y-3">
          {check.isPending ? <Busy label={`Uploading and checking ${archive.name}…`} testId="archive-checking" /> : null}
          {check.error ? <ErrorBanner error={check.error} /> : null}
          {checked ? <ArchivePreview check={checked} fileName={archive.name} /> : null}
          {confirm.isPending ? <Busy label="Importing: writing the script sets and publishing their scripts…" testId="archive-importing" /> : null}
          {confirm.error ? <ErrorBanner error={confirm.error} onRetry={expired(confirm.error) ? () => chooseArchive(archive) : undefined} /> : null}
          {confirm.error && expired(confirm.error) ? <p className="text-xs text-zinc-500">“Retry” uploads the archive again for a new preview.</p> : null}
        </div>
      );
    return (
      <>
        {parsed && !parsed.ok ? <ErrorBanner error={new Error(parsed.message)} /> : null}
        {parsed?.ok && file ? <Preview bundle={parsed.bundle} fileName={file.name} /> : null}
        <div className="space-y-2">
          <Check label="Overwrite the script set if it exists (scripts not in the file are deleted)" checked={overwrite} onChange={setOverwrite} testId="import-overwrite" />
          <Check label="Publish each script after importing" checked={publish} onChange={setPublish} testId="import-publish" />
        </div>
        {run.error ? <ErrorBanner error={run.error} /> : null}
      </>
    );
  };

  return (
    <Dialog open title="Import script sets" onClose={onClose} footer={footer} testId="import-dialog">
      <div className="space-y-4">
        {imported ? null : desktop ? (
          <div className="space-y-1">
            <Button onClick={() => void openWithDesktop().then(choose, setReadError)} data-testid="import-choose">
              Choose file…
            </Button>
            <p className="text-xs text-zinc-500">A Func bundle (.json). DataFlux Func archives (.zip) are imported from the console in a browser for now.</p>
          </div>
        ) : (
          <div className="space-y-1">
            <input
              type="file"
              accept=".json,.zip,application/json,application/zip"
              onChange={onInput}
              disabled={busy}
              className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-zinc-800 hover:file:bg-zinc-100 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100"
              data-testid="import-file"
            />
            <p className="text-xs text-zinc-500">A Func bundle (.json, one script set) or a DataFlux Func archive (.zip, several sets with their APIs and cron jobs).</p>
          </div>
        )}
        {readError ? <ErrorBanner error={readError} /> : null}
        {body()}
      </div>
    </Dialog>
  );
}
