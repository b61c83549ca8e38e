/** Script recover points: snapshots of every script set and script; take one by hand (with a note), write one back. */
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { OutputOf } from '@contract/client/index';
import { usePageApi } from '../../app/permissions';
import { Badge, Page } from '../../ui/Page';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Field, TextArea } from '../../ui/Field';
import { EmptyState, ErrorBanner } from '../../ui/States';
import { NoticeBody, QueryTable, cellClass, mutedCellClass } from '../../ui/Table';
import { formatTime } from '../../ui/format';
import { errorFor } from '../../ui/field-errors';

type RecoverPoint = OutputOf<'listScriptRecoverPoints'>[number];

const TYPE_LABEL: Record<RecoverPoint['type'], string> = { manual: 'by hand', import: 'before an import', recover: 'before a recover' };

function Progress({ label }: { label: string }): ReactNode {
  return (
    <div className="space-y-2" role="status" data-testid="recover-progress">
      <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-300">
        <span className="size-4 animate-spin rounded-full border-2 border-zinc-300 border-t-indigo-500" />
        {label}
      </p>
      <div className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
        <div className="h-full w-1/3 animate-pulse rounded-full bg-indigo-500" />
      </div>
    </div>
  );
}

export function RecoverPointsPage(): ReactNode {
  const { api, qc, can } = usePageApi();
  const writable = can('general_w');
  const points = useQuery({ queryKey: ['recoverPoints'], queryFn: () => api.listScriptRecoverPoints({ query: { pageSize: 200 } }) });
  const [adding, setAdding] = useState(false);
  const [note, setNote] = useState('');
  const [recovering, setRecovering] = useState<RecoverPoint | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = (): Promise<void> => qc.invalidateQueries({ queryKey: ['recoverPoints'] });

  const add = useMutation({
    mutationFn: () => api.addScriptRecoverPoint({ body: { data: { note } } }),
    onSuccess: async () => {
      setAdding(false);
      setNote('');
      setNotice('Recover point taken.');
      await refresh();
    },
  });
  const recover = useMutation({
    mutationFn: (p: RecoverPoint) => api.recoverScriptRecoverPoint({ params: { id: p.id } }),
    onSuccess: async (_r, p) => {
      setRecovering(null);
      setNotice(
        `Scripts recovered to the point of ${formatTime(p.createTime)} (${p.scriptSetCount} script sets, ${p.scriptCount} scripts). The scripts as they were before are kept as a new recover point.`,
      );
      // Scripts, their functions and the APIs built on them may all have changed.
      await qc.invalidateQueries();
    },
  });

  const body = (
    <QueryTable
      query={points}
      empty={
        <EmptyState title="No recover points yet" testId="recover-points-empty">
          One is taken before every import and every recover; take one by hand before a risky change.
        </EmptyState>
      }
      headers={['Taken', 'Why', 'Note', 'Contents', '']}
      testId="recover-points-table"
      row={(p) => (
        <tr key={p.id} data-testid={`recover-point-${p.id}`} data-note={p.note ?? ''}>
          <td className={mutedCellClass}>{formatTime(p.createTime)}</td>
          <td className={`${cellClass} whitespace-nowrap`}>
            <Badge tone={p.type === 'manual' ? 'indigo' : 'zinc'}>{TYPE_LABEL[p.type]}</Badge>
          </td>
          <td className={`${cellClass} max-w-md truncate`} title={p.note ?? ''}>
            {p.note || <span className="text-zinc-400">—</span>}
          </td>
          <td className={mutedCellClass}>
            {p.scriptSetCount} script sets · {p.scriptCount} scripts
          </td>
          <td className={`${cellClass} text-right`}>
            {writable ? (
              <Button size="sm" onClick={() => (recover.reset(), setRecovering(p))} data-testid={`recover-point-recover-${p.id}`}>
                Recover…
              </Button>
            ) : null}
          </td>
        </tr>
      )}
    />
  );

  return (
    <Page
      title="Recover points"
      description="Snapshots of every script set and script, taken by hand and before every import and recover. Recovering one writes its scripts back."
      actions={
        writable ? (
          <Button variant="primary" onClick={() => (add.reset(), setAdding(true))} data-testid="recover-point-add">
            Take recover point
          </Button>
        ) : null
      }
    >
      <NoticeBody notice={notice} onDismiss={() => setNotice(null)} noticeTestId="recover-points-notice">
        {body}
      </NoticeBody>
      <Dialog
        open={adding}
        title="Take a recover point"
        onClose={() => setAdding(false)}
        testId="recover-point-add-dialog"
        footer={
          <>
            <Button onClick={() => setAdding(false)}>Cancel</Button>
            <Button variant="primary" disabled={add.isPending || note.trim() === ''} onClick={() => add.mutate()} data-testid="recover-point-add-confirm">
              {add.isPending ? 'Taking…' : 'Take it'}
            </Button>
          </>
        }
      >
        <div className="space-y-3">
          {add.error && !errorFor(add.error, 'note') ? <ErrorBanner error={add.error} /> : null}
          <Field label="Note" hint="What this snapshot is for (required)" error={errorFor(add.error, 'note')} testId="recover-point-note">
            <TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="recover-point-note" className="font-sans" />
          </Field>
        </div>
      </Dialog>
      <ConfirmDialog
        open={recovering !== null}
        title="Recover the scripts?"
        confirmLabel={recover.isPending ? 'Recovering…' : 'Recover'}
        onConfirm={() => recovering && recover.mutate(recovering)}
        onClose={() => !recover.isPending && setRecovering(null)}
        pending={recover.isPending}
        error={recover.error}
        testId="recover-confirm"
      >
        {recovering ? (
          <>
            <p>
              Each script set of the point goes back to how it was at <span className="font-medium">{formatTime(recovering.createTime)}</span> ({recovering.scriptSetCount} script
              sets, {recovering.scriptCount} scripts){recovering.note ? <> — “{recovering.note}”</> : null}: its scripts get that draft and published code (published again where it
              differs), and its scripts added since are deleted. Script sets added since stay as they are.
            </p>
            <p className="text-zinc-500">The scripts as they are now are kept first as a new recover point, so this can be undone.</p>
            {recover.isPending ? <Progress label="Writing the scripts back and publishing them…" /> : null}
          </>
        ) : null}
      </ConfirmDialog>
    </Page>
  );
}
