/** List, create, edit and delete one kind of entity, from its configuration. */
import { CopyButton } from '../../ui/CopyButton';
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../app/session';
import { usePermissions } from '../../app/permissions';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Page } from '../../ui/Page';
import { NoticeBody } from '../../ui/Table';
import { EmptyState, ErrorBanner, errorMessage, QueryList } from '../../ui/States';
import { inSentence } from '../../ui/format';
import type { BaseRow, EntityConfig, Row } from './entity-types';
import { EntityForm } from './EntityForm';
import { EntityTable } from './EntityTable';
import { Secret, str } from './cells';

export function EntityPage({ config }: { config: EntityConfig }): ReactNode {
  const api = useApi();
  const qc = useQueryClient();
  const ops = config.api(api);
  const list = useQuery({ queryKey: [config.queryKey], queryFn: () => ops.list(), refetchInterval: config.refreshMs ?? false });
  const [editing, setEditing] = useState<BaseRow | 'new' | null>(null);
  const [deleting, setDeleting] = useState<BaseRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Shown once after add (an access key's secret), then gone for good. */
  const [once, setOnce] = useState<string | null>(null);
  const { can, known } = usePermissions();
  const writable = config.write === null || can(config.write);
  const prefix = config.path;
  const refresh = (): Promise<void> => qc.invalidateQueries({ queryKey: [config.queryKey] });

  const save = useMutation({
    mutationFn: async (data: Row): Promise<Row | null> => {
      if (editing === 'new' || editing === null) return ops.add(data);
      await ops.modify(editing.id, data);
      return null;
    },
    onSuccess: async (result) => {
      const field = config.onceAfterAdd?.field;
      if (editing === 'new' && field !== undefined && result !== null && field in result) setOnce(str(result[field]));
      setEditing(null);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (row: BaseRow) => ops.remove(row.id),
    onSuccess: async () => {
      setDeleting(null);
      await refresh();
    },
  });
  const act = useMutation({
    mutationFn: (fn: () => Promise<string>) => fn(),
    onSuccess: async (msg) => {
      setNotice(msg);
      await refresh();
    },
    onError: (err) => setNotice(errorMessage(err)),
  });

  const open = (row: BaseRow | 'new'): void => {
    save.reset();
    setEditing(row);
  };

  const body = (
    <QueryList
      query={list}
      empty={
        <EmptyState title={`No ${inSentence(config.title)} yet`} testId={`${prefix}-empty`}>
          {config.emptyHint}
        </EmptyState>
      }
    >
      {(rows) => (
        <EntityTable
          config={config}
          rows={rows}
          readOnly={!writable}
          onEdit={open}
          onDelete={setDeleting}
          onAction={(action, row) => act.mutate(() => action.run(api, row))}
          onToggle={(row) =>
            act.mutate(async () => {
              await ops.modify(row.id, { isDisabled: row.isDisabled !== true });
              return `${row.id} ${row.isDisabled === true ? 'enabled' : 'disabled'}`;
            })
          }
        />
      )}
    </QueryList>
  );

  return (
    <Page
      title={config.title}
      description={config.description}
      testId={`${prefix}-page`}
      actions={
        writable ? (
          <Button variant="primary" onClick={() => open('new')} data-testid={`${prefix}-add`}>
            + New {config.singular}
          </Button>
        ) : known ? (
          <span className="text-xs text-zinc-500" data-testid={`${prefix}-read-only`}>
            Read only for your role
          </span>
        ) : null
      }
    >
      <NoticeBody notice={notice} onDismiss={() => setNotice(null)} noticeTestId={`${prefix}-notice`} padding="p-6">
        {body}
      </NoticeBody>
      <Dialog
        open={editing !== null}
        title={editing === 'new' ? `New ${config.singular}` : `Edit ${config.singular} ${editing ? (config.nameOf?.(editing) ?? editing.id) : ''}`}
        onClose={() => setEditing(null)}
        testId={`${prefix}-dialog`}
      >
        {editing !== null ? (
          <EntityForm
            fields={config.fields}
            row={editing === 'new' ? null : editing}
            pending={save.isPending}
            error={save.error}
            testIdPrefix={prefix}
            onCancel={() => setEditing(null)}
            onSubmit={(d) => save.mutate(d)}
          />
        ) : null}
      </Dialog>
      <Dialog
        open={once !== null}
        title={`${config.onceAfterAdd?.label ?? ''} of the new ${config.singular}`}
        onClose={() => setOnce(null)}
        testId={`${prefix}-once-dialog`}
        footer={
          <Button variant="primary" onClick={() => setOnce(null)} data-testid={`${prefix}-once-done`}>
            I have copied it
          </Button>
        }
      >
        <p className="mb-3 text-sm">Copy it now: it is shown this once and never again, to anyone. Lost, it cannot be recovered; delete the {config.singular} and add another.</p>
        <div className="flex items-center gap-2">
          <div className="min-w-0 flex-1">
            <Secret value={once ?? ''} testId={`${prefix}-once-value`} initiallyShown />
          </div>
          <CopyButton value={once ?? ''} testId={`${prefix}-once-copy`} />
        </div>
      </Dialog>
      <Dialog
        open={deleting !== null}
        title={`Delete ${config.singular}?`}
        onClose={() => setDeleting(null)}
        testId={`${prefix}-delete-dialog`}
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button variant="danger" disabled={remove.isPending} onClick={() => deleting && remove.mutate(deleting)} data-testid={`${prefix}-delete-confirm`}>
              Delete
            </Button>
          </>
        }
      >
        {remove.error ? <ErrorBanner error={remove.error} /> : null}
        <p className="text-sm">
          Delete <span className="font-mono font-medium">{deleting ? deleting.id : ''}</span>? This cannot be undone.
        </p>
      </Dialog>
    </Page>
  );
}
