/** Side-by-side diff of two versions of a script. */
import type { ReactNode } from 'react';
import { DiffEditor } from '@monaco-editor/react';
import './monaco-setup';
import { useTheme } from '../app/theme';

export function DiffView({ original, modified, height = 420 }: { original: string; modified: string; height?: number }): ReactNode {
  const [theme] = useTheme();
  return (
    <div className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-700" style={{ height }} data-testid="diff-view">
      <DiffEditor
        original={original}
        modified={modified}
        language="python"
        theme={theme === 'dark' ? 'vs-dark' : 'vs'}
        options={{ readOnly: true, renderSideBySide: true, minimap: { enabled: false }, fontSize: 12, scrollBeyondLastLine: false, automaticLayout: true }}
      />
    </div>
  );
}
