/** Side-by-side diff of two versions of a script. */
import { useEffect, useRef, type ReactNode } from 'react';
import { monaco } from './monaco-setup';
import { useTheme } from '../app/theme';

type Mounted = { editor: monaco.editor.IStandaloneDiffEditor; view: monaco.editor.IDiffEditorViewModel };

const FRAME = 'overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-700';

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
function SideBySide({ original, modified, height }: DiffViewProps): ReactNode {
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

  return <div ref={host} className={FRAME} style={{ height }} data-testid="diff-view" />;
}

/** How the caption above a text shown alone reads: `new` (green, code added) or `neutral` (grey, e.g. the other side was cleared). */
export type EmptyOriginalTone = 'new' | 'neutral';

const TONE_CLASS: Record<EmptyOriginalTone, string> = {
  new: 'text-green-700 dark:text-green-400',
  neutral: 'text-zinc-600 dark:text-zinc-400',
};

/** Only the new text, read-only: nothing was there before (a script not published yet). */
function AllNew({ modified, height, label, tone }: { modified: string; height: number; label: string; tone: EmptyOriginalTone }): ReactNode {
  const [theme] = useTheme();
  const host = useRef<HTMLDivElement>(null);
  const mounted = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);

  useEffect(() => {
    const model = monaco.editor.createModel('', 'python');
    const editor = monaco.editor.create(host.current!, { ...OPTIONS, model });
    mounted.current = editor;
    return () => {
      mounted.current = null;
      editor.dispose();
      model.dispose();
    };
  }, []);

  useEffect(() => {
    const model = mounted.current?.getModel();
    if (model && model.getValue() !== modified) model.setValue(modified);
  }, [modified]);

  useEffect(() => monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs'), [theme]);

  // Lines as a text file counts them: a last newline ends the last line, it starts none.
  const lines = modified === '' ? 0 : modified.replace(/\n$/, '').split('\n').length;
  return (
    <div className="space-y-1" data-testid="diff-view" data-all-new="true">
      <p className={`text-xs ${TONE_CLASS[tone]}`} data-testid="diff-all-new" data-tone={tone}>
        {label}: {lines} line{lines === 1 ? '' : 's'}
      </p>
      <div ref={host} className={FRAME} style={{ height: height - 20 }} />
    </div>
  );
}

interface DiffViewProps {
  original: string;
  modified: string;
  height: number;
}

/**
 * The diff of two texts; an empty original (nothing published yet) shows the new text alone: Monaco
 * counts an empty text as one empty line and showed it removed (`1 −` in red) beside the new one.
 * `emptyOriginalLabel` names the new text then ("All new" unless the caller knows better: a conflict
 * whose other side was cleared is not new code) and `emptyOriginalTone` colours it (green `new`
 * unless said `neutral`).
 */
export function DiffView({
  original,
  modified,
  height = 420,
  emptyOriginalLabel = 'All new',
  emptyOriginalTone = 'new',
}: {
  original: string;
  modified: string;
  height?: number;
  emptyOriginalLabel?: string;
  emptyOriginalTone?: EmptyOriginalTone;
}): ReactNode {
  return original === '' ? (
    <AllNew modified={modified} height={height} label={emptyOriginalLabel} tone={emptyOriginalTone} />
  ) : (
    <SideBySide original={original} modified={modified} height={height} />
  );
}
