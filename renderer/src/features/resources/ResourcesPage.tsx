/**
 * The resources folder (`FUNC_HOME/resources`, what scripts read and write with DFF.RSRC): browse
 * folders, upload, download, new folder, rename, delete, zip and unzip.
 */
import { useRef, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { InputOf, OutputOf } from '@contract/client/index';
import { usePageApi } from '../../app/permissions';
import { Page } from '../../ui/Page';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Field, TextInput } from '../../ui/Field';
import { Icon } from '../../ui/Icon';
import { EmptyState, ErrorBanner, errorMessage, QueryList } from '../../ui/States';
import { errorFor, fieldOf } from '../../ui/field-errors';
import { NoticeBody, Table, cellClass, mutedCellClass } from '../../ui/Table';
import { formatBytes, formatTime } from '../../ui/format';
import { crumbsOf, isZip, joinPath, nameProblem, normalizeFolder } from './resource-paths';

type Entry = OutputOf<'listResources'>[number];
type Operate = InputOf<'operateResource'>['body'];

/** Asks for a name (new folder, rename); the server's refusal stays in the dialog. */
function NameDialog({
  title,
  initial,
  confirmLabel,
  pending,
  error,
  nameField,
  onSubmit,
  onClose,
}: {
  title: string;
  initial: string;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  /** The request field the server names when it refuses the name (shown at the Name field, not as a banner). */
  nameField: string;
  onSubmit: (name: string) => void;
  onClose: () => void;
}): ReactNode {
  const [name, setName] = useState(initial);
  const problem = nameProblem(name);
  const submit = (): void => {
    if (!problem) onSubmit(name.trim());
  };
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      testId="resource-name-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={pending || problem !== null} onClick={submit} data-testid="resource-name-confirm">
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {error && fieldOf(error) !== nameField ? <ErrorBanner error={error} /> : null}
        <Field label="Name" error={(name !== initial && name !== '' ? problem : null) ?? errorFor(error, nameField)} testId="resource-name">
          <TextInput autoFocus value={name} onChange={(e) => setName(e.target.value)} data-testid="resource-name" />
        </Field>
      </form>
    </Dialog>
  );
}

type Asking = { kind: 'mkdir' } | { kind: 'rename'; entry: Entry } | null;

/** Folders first, then files, each by name. */
function byKindAndName(entries: Entry[]): Entry[] {
  return [...entries].sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'folder' ? -1 : 1));
}

export function ResourcesPage(): ReactNode {
  const { api, qc, can } = usePageApi();
  const writable = can('general_w');
  const [params, setParams] = useSearchParams();
  const folder = normalizeFolder(params.get('folder') ?? '/');
  const [asking, setAsking] = useState<Asking>(null);
  const [deleting, setDeleting] = useState<Entry | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const list = useQuery({ queryKey: ['resources', folder], queryFn: () => api.listResources({ query: { folder } }) });
  const refresh = (): Promise<void> => qc.invalidateQueries({ queryKey: ['resources'] });
  const open = (path: string): void => setParams(path === '/' ? {} : { folder: path });

  const operate = useMutation({
    mutationFn: (body: Operate & { done: string }) =>
      api.operateResource({ body: { targetPath: body.targetPath, operation: body.operation, operationArgument: body.operationArgument ?? null } }),
    onSuccess: async (_r, body) => {
      setAsking(null);
      setDeleting(null);
      setNotice(body.done);
      await refresh();
    },
  });
  // Zip and unzip run from the row: their errors show in the notice, not a dialog.
  const archive = useMutation({
    mutationFn: (body: Operate & { done: string }) => api.operateResource({ body: { targetPath: body.targetPath, operation: body.operation } }),
    onSuccess: async (_r, body) => {
      setNotice(body.done);
      await refresh();
    },
    onError: (err) => setNotice(errorMessage(err)),
  });
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const data = new Uint8Array(await file.arrayBuffer());
      await api.uploadResource({ body: { folder, files: [{ fieldName: 'files', filename: file.name, contentType: file.type || 'application/octet-stream', data }] } });
      return file.name;
    },
    onSuccess: async (name) => {
      setNotice(`Uploaded ${name}.`);
      await refresh();
    },
    onError: (err) => setNotice(`Upload failed: ${errorMessage(err)}`),
  });
  const download = useMutation({
    mutationFn: async (entry: Entry) => {
      const a = document.createElement('a');
      a.href = await api.rawUrl('downloadResource', { query: { filePath: joinPath(folder, entry.name) } });
      a.download = entry.name;
      a.rel = 'noopener';
      document.body.append(a);
      a.click();
      a.remove();
    },
    onError: (err) => setNotice(`Download failed: ${errorMessage(err)}`),
  });

  const body = (
    <QueryList
      query={list}
      empty={
        <EmptyState title={folder === '/' ? 'The resources folder is empty' : 'This folder is empty'} testId="resources-empty">
          Upload files scripts read with <span className="font-mono">DFF.RSRC(path)</span>, or wheels to install as Python packages.
        </EmptyState>
      }
    >
      {(rows) => (
        <Table headers={['Name', 'Size', 'Modified', '']} testId="resources-table">
          {byKindAndName(rows).map((e) => {
            const path = joinPath(folder, e.name);
            return (
              <tr key={e.name} data-testid={`resource-${e.name}`} data-type={e.type} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
                <td className={cellClass}>
                  {e.type === 'folder' ? (
                    <button
                      type="button"
                      className="flex items-center gap-2 font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                      onClick={() => open(path)}
                      data-testid={`resource-open-${e.name}`}
                    >
                      <Icon name="folder" className="size-4 text-amber-500" />
                      {e.name}
                    </button>
                  ) : (
                    <span className="flex items-center gap-2">
                      <Icon name="tasks" className="size-4 text-zinc-400" />
                      <span className="font-mono text-[13px]">{e.name}</span>
                    </span>
                  )}
                </td>
                <td className={mutedCellClass}>{e.type === 'folder' ? '—' : formatBytes(e.size)}</td>
                <td className={mutedCellClass}>{formatTime(e.updateTime)}</td>
                <td className={`${cellClass} text-right`}>
                  <div className="flex justify-end gap-1">
                    {e.type === 'file' ? (
                      <Button size="sm" variant="ghost" onClick={() => download.mutate(e)} data-testid={`resource-download-${e.name}`}>
                        Download
                      </Button>
                    ) : null}
                    {writable ? (
                      <>
                        {e.type === 'file' && isZip(e.name) ? (
                          <Button
                            size="sm"
                            variant="ghost"
                            disabled={archive.isPending}
                            onClick={() => archive.mutate({ targetPath: path, operation: 'unarchive', done: `Unzipped ${e.name}.` })}
                            data-testid={`resource-unzip-${e.name}`}
                          >
                            Unzip
                          </Button>
                        ) : (
                          <Button
                            size="sm"
                            variant="ghost"
                            disabled={archive.isPending}
                            onClick={() => archive.mutate({ targetPath: path, operation: 'zip', done: `Zipped ${e.name} into ${e.name}.zip.` })}
                            data-testid={`resource-zip-${e.name}`}
                          >
                            Zip
                          </Button>
                        )}
                        <Button size="sm" variant="ghost" onClick={() => (operate.reset(), setAsking({ kind: 'rename', entry: e }))} data-testid={`resource-rename-${e.name}`}>
                          Rename
                        </Button>
                        <Button size="sm" variant="dangerGhost" onClick={() => (operate.reset(), setDeleting(e))} data-testid={`resource-delete-${e.name}`}>
                          Delete
                        </Button>
                      </>
                    ) : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </Table>
      )}
    </QueryList>
  );

  return (
    <Page
      title="Resources"
      description="Files scripts read and write with DFF.RSRC, served by file services, and wheels for Python packages."
      actions={
        writable ? (
          <>
            <Button onClick={() => (operate.reset(), setAsking({ kind: 'mkdir' }))} data-testid="resource-mkdir">
              New folder
            </Button>
            <Button variant="primary" disabled={upload.isPending} onClick={() => fileInput.current?.click()} data-testid="resource-upload">
              {upload.isPending ? 'Uploading…' : 'Upload file'}
            </Button>
            <input
              ref={fileInput}
              type="file"
              className="hidden"
              data-testid="resource-upload-input"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) upload.mutate(file);
                e.target.value = '';
              }}
            />
          </>
        ) : null
      }
    >
      <nav className="flex items-center gap-1 border-b border-zinc-200 px-6 py-2.5 text-sm dark:border-zinc-800" aria-label="Folder" data-testid="resource-crumbs">
        {crumbsOf(folder).map((c, i, all) => (
          <span key={c.path} className="flex items-center gap-1">
            {i > 0 ? <span className="text-zinc-400">/</span> : null}
            {i === all.length - 1 ? (
              <span className="font-medium" data-testid="resource-folder">
                {c.name}
              </span>
            ) : (
              <button type="button" className="text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => open(c.path)}>
                {c.name}
              </button>
            )}
          </span>
        ))}
      </nav>
      <NoticeBody notice={notice} onDismiss={() => setNotice(null)} noticeTestId="resources-notice">
        {body}
      </NoticeBody>
      {asking ? (
        <NameDialog
          title={asking.kind === 'mkdir' ? 'New folder' : `Rename ${asking.entry.name}`}
          initial={asking.kind === 'mkdir' ? '' : asking.entry.name}
          confirmLabel={asking.kind === 'mkdir' ? 'Create' : 'Rename'}
          nameField={asking.kind === 'mkdir' ? 'targetPath' : 'operationArgument'}
          pending={operate.isPending}
          error={operate.error}
          onClose={() => setAsking(null)}
          onSubmit={(name) =>
            asking.kind === 'mkdir'
              ? operate.mutate({ targetPath: joinPath(folder, name), operation: 'mkdir', done: `Created the folder ${name}.` })
              : operate.mutate({ targetPath: joinPath(folder, asking.entry.name), operation: 'mv', operationArgument: name, done: `Renamed ${asking.entry.name} to ${name}.` })
          }
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title={deleting?.type === 'folder' ? 'Delete the folder?' : 'Delete the file?'}
        confirmLabel="Delete"
        onConfirm={() => deleting && operate.mutate({ targetPath: joinPath(folder, deleting.name), operation: 'rm', done: `Deleted ${deleting.name}.` })}
        onClose={() => setDeleting(null)}
        pending={operate.isPending}
        error={operate.error}
        testId="resource-delete-dialog"
      >
        <p>
          Delete <span className="font-mono font-medium">{deleting ? joinPath(folder, deleting.name) : ''}</span>
          {deleting?.type === 'folder' ? ' and everything in it' : ''}? This cannot be undone.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
