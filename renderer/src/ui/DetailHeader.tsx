/** The header bar of a detail pane: its title (monospace, cut with an ellipsis, whole in the tooltip), its actions, and ✕. */
import type { ReactNode } from 'react';
import { Button } from './Button';

export function DetailHeader({
  title,
  tooltip,
  testId,
  onClose,
  children,
}: {
  title: ReactNode;
  tooltip: string;
  testId: string;
  onClose: () => void;
  children?: ReactNode;
}): ReactNode {
  return (
    <div className="flex items-center justify-between gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
      <h2 className="truncate font-mono text-sm font-semibold" title={tooltip} data-testid={testId}>
        {title}
      </h2>
      <div className="flex shrink-0 gap-2">
        {children}
        <Button size="sm" variant="ghost" onClick={onClose} aria-label="Close">
          ✕
        </Button>
      </div>
    </div>
  );
}
