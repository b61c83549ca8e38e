/** The Python editor: Monaco with the theme, an error-line highlight and Ctrl/Cmd-S / Ctrl/Cmd-Enter. */
import { useEffect, useRef, type ReactNode } from 'react';
import Editor, { type OnMount } from '@monaco-editor/react';
import { monaco } from './monaco-setup';
import { useTheme } from '../app/theme';

type StandaloneEditor = Parameters<OnMount>[0];

export interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  errorLine: number | null;
  onSave?: () => void;
  onRun?: () => void;
  path: string;
  /** The user may not change scripts (no general_w). */
  readOnly?: boolean;
}

export function CodeEditor({ value, onChange, errorLine, onSave, onRun, path, readOnly = false }: CodeEditorProps): ReactNode {
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

  const mount: OnMount = (editor) => {
    editorRef.current = editor;
    decorations.current = editor.createDecorationsCollection();
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => handlers.current.onSave?.());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => handlers.current.onRun?.());
  };

  return (
    <div className="h-full min-h-0" data-testid="code-editor" data-error-line={errorLine ?? ''}>
      <Editor
        path={path}
        language="python"
        value={value}
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
