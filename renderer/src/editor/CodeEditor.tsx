/** The Python editor: Monaco with the theme, an error-line highlight and Ctrl/Cmd-S / Ctrl/Cmd-Enter. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import Editor, { type OnMount } from '@monaco-editor/react';
import { monaco } from './monaco-setup';
import { useTheme } from '../app/theme';

type StandaloneEditor = Parameters<OnMount>[0];

export interface CodeEditorProps {
  /** The text shown when the editor opens and whenever `revision` changes; the editor's own edits come back through onChange. */
  value: string;
  /**
   * Changes when `value` was replaced from outside the editor. `value` is not pushed into the editor
   * on every render: an update arriving after the next keystroke would replace the text and lose it.
   */
  revision?: number;
  onChange: (value: string) => void;
  errorLine: number | null;
  onSave?: () => void;
  onRun?: () => void;
  path: string;
  /** The user may not change scripts (no general_w). */
  readOnly?: boolean;
  /** Move the cursor to this line, centred and briefly highlighted (a new object each time: a traceback frame clicked). */
  reveal?: { line: number } | null;
}

export function CodeEditor({ value, revision = 0, onChange, errorLine, onSave, onRun, path, readOnly = false, reveal = null }: CodeEditorProps): ReactNode {
  const [theme] = useTheme();
  const editorRef = useRef<StandaloneEditor | null>(null);
  const decorations = useRef<ReturnType<StandaloneEditor['createDecorationsCollection']> | null>(null);
  const handlers = useRef({ onSave, onRun });
  useEffect(() => {
    handlers.current = { onSave, onRun };
  });

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    decorations.current ??= editor.createDecorationsCollection();
    decorations.current.set(
      errorLine
        ? [{ range: new monaco.Range(errorLine, 1, errorLine, 1), options: { isWholeLine: true, className: 'monaco-error-line', glyphMarginClassName: 'monaco-error-glyph' } }]
        : [],
    );
    if (errorLine) editor.revealLineInCenterIfOutsideViewport(errorLine);
  }, [errorLine, value]);

  const revealed = useRef<ReturnType<StandaloneEditor['createDecorationsCollection']> | null>(null);
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !reveal) return;
    const line = Math.min(Math.max(1, reveal.line), editor.getModel()?.getLineCount() ?? reveal.line);
    editor.revealLineInCenter(line);
    editor.setPosition({ lineNumber: line, column: 1 });
    editor.focus();
    revealed.current ??= editor.createDecorationsCollection();
    revealed.current.set([{ range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'monaco-revealed-line' } }]);
    const timer = setTimeout(() => revealed.current?.clear(), 1500);
    return () => clearTimeout(timer);
  }, [reveal, mounted]);

  // `value` into the editor when it opens (a model kept for this path may hold older text) and on each new revision.
  const latestValue = useRef(value);
  useEffect(() => {
    latestValue.current = value;
  });
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || model.getValue() === latestValue.current) return;
    if (editor.getOption(monaco.editor.EditorOption.readOnly)) editor.setValue(latestValue.current);
    else {
      editor.executeEdits('', [{ range: model.getFullModelRange(), text: latestValue.current, forceMoveMarkers: true }]);
      editor.pushUndoStop();
    }
  }, [revision, mounted]);

  const mount: OnMount = (editor) => {
    editorRef.current = editor;
    setMounted(true);
    decorations.current = editor.createDecorationsCollection();
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => handlers.current.onSave?.());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => handlers.current.onRun?.());
  };

  return (
    <div className="h-full min-h-0" data-testid="code-editor" data-error-line={errorLine ?? ''} data-revealed-line={reveal?.line ?? ''}>
      <Editor
        path={path}
        language="python"
        defaultValue={value}
        theme={theme === 'dark' ? 'vs-dark' : 'vs'}
        onChange={(v) => onChange(v ?? '')}
        onMount={mount}
        loading={<div className="p-4 text-sm text-zinc-500">Loading the editor…</div>}
        options={{
          readOnly,
          fontSize: 13,
          minimap: { enabled: false },
          glyphMargin: true,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          tabSize: 4,
          renderLineHighlight: 'line',
          fixedOverflowWidgets: true,
        }}
      />
    </div>
  );
}
