/** Side-by-side diff of two versions of a script. */
import { useEffect, useRef, type ReactNode } from 'react';
import { DiffEditor, type DiffOnMount } from '@monaco-editor/react';
import './monaco-setup';
import { useTheme } from '../app/theme';

type StandaloneDiffEditor = Parameters<DiffOnMount>[0];

export function DiffView({ original, modified, height = 420 }: { original: string; modified: string; height?: number }): ReactNode {
  const [theme] = useTheme();
  // The library disposes the two texts before the widget, which throws "TextModel got disposed before
  // DiffEditorWidget model got reset" on every close: they are kept from it, and disposed here after
  // the widget has let go of them.
  const mounted = useRef<{ editor: StandaloneDiffEditor; models: ReturnType<StandaloneDiffEditor['getModel']> } | null>(null);
  useEffect(
    () => () => {
      const m = mounted.current;
      if (!m) return;
      m.editor.setModel(null);
      m.models?.original.dispose();
      m.models?.modified.dispose();
    },
    [],
  );
  return (
    <div className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-700" style={{ height }} data-testid="diff-view">
      <DiffEditor
        original={original}
        modified={modified}
        language="python"
        theme={theme === 'dark' ? 'vs-dark' : 'vs'}
        keepCurrentOriginalModel
        keepCurrentModifiedModel
        onMount={(editor) => {
          mounted.current = { editor, models: editor.getModel() };
        }}
        options={{ readOnly: true, renderSideBySide: true, minimap: { enabled: false }, fontSize: 12, scrollBeyondLastLine: false, automaticLayout: true }}
      />
    </div>
  );
}
