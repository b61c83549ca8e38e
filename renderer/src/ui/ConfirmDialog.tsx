/** "Are you sure?" before a destructive action: the action's error stays in the dialog. */
import type { ReactNode } from 'react';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { ErrorBanner } from './States';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  pending?: boolean;
  error?: unknown;
  danger?: boolean;
  /** The button that leaves things as they are ("Cancel" reads as the action when the action is a cancel). */
  closeLabel?: string;
  testId: string;
  children: ReactNode;
}

export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  onConfirm,
  onClose,
  pending = false,
  error,
  danger = true,
  closeLabel = 'Cancel',
  testId,
  children,
}: ConfirmDialogProps): ReactNode {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      testId={testId}
      footer={
        <>
          <Button onClick={onClose} disabled={pending}>
            {closeLabel}
          </Button>
          <Button variant={danger ? 'danger' : 'primary'} disabled={pending} onClick={onConfirm} data-testid={`${testId}-confirm`}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="space-y-3 text-sm">
        {error ? <ErrorBanner error={error} /> : null}
        {children}
      </div>
    </Dialog>
  );
}
