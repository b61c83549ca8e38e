/** Side-by-side diff of two versions of a script. */
import { useEffect, useRef, type ReactNode } from 'react';
import { monaco } from './monaco-setup';
import { useTheme } from '../app/theme';

type Mounted = { editor: monaco.editor.IStandaloneDiffEditor; view: monaco.editor.IDiffEditorViewModel };

const OPTIONS: monaco.editor.IStandaloneDiffEditorConstructionOptions = {
  readOnly: true,
  renderSideBySide: true,
  minimap: { enabled: false },
  fontSize: 12,
  scrollBeyondLastLine: false,
  automaticLayout: true,
};

/**
 * The diff editor is made here rather than through @monaco-editor/react: given two texts, Monaco
 * makes a diff computation of its own that nothing can stop, and when it was still waiting for the
 * editor worker as the dialog closed, it found the texts gone and threw "no diff result available"
 * (a flaky e2e, reproduced by closing a large diff at once). The computation here belongs to a view
 * model of our own, stopped before its texts are disposed; the widget lets go of it before that, so
 * Monaco never sees a text disposed under it either.
 */
export function DiffView({ original, modified, height = 420 }: { original: string; modified: string; height?: number }): ReactNode {
  const [theme] = useTheme();
  const host = useRef<HTMLDivElement>(null);
  const mounted = useRef<Mounted | null>(null);

  useEffect(() => {
    const editor = monaco.editor.createDiffEditor(host.current!, OPTIONS);
    const model = {
      original: monaco.editor.createModel('', 'python'),
      modified: monaco.editor.createModel('', 'python'),
    };
    const view = editor.createViewModel(model);
    editor.setModel(view);
    mounted.current = { editor, view };
    return () => {
      mounted.current = null;
      editor.setModel(null);
      view.dispose();
      editor.dispose();
      model.original.dispose();
      model.modified.dispose();
    };
  }, []);

  // Runs after the effect above on mount too: it gives the new texts their values.
  useEffect(() => {
    const view = mounted.current?.view;
    if (!view) return;
    if (view.model.original.getValue() !== original) view.model.original.setValue(original);
    if (view.model.modified.getValue() !== modified) view.model.modified.setValue(modified);
  }, [original, modified]);

  useEffect(() => monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs'), [theme]);

  return <div ref={host} className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-700" style={{ height }} data-testid="diff-view" />;
}
