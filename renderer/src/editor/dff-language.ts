/** Completions after `DFF.` and in `DFF.CONN(…)`, hover docs for DFF members, in Python files. */
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { connCompletion, knownConnectors } from './conn-completions';
import { DFF_MEMBERS } from './dff-docs';

export function registerDffLanguageFeatures(monaco: typeof Monaco): void {
  monaco.languages.registerCompletionItemProvider('python', {
    triggerCharacters: ['.', '(', "'", '"'],
    provideCompletionItems: (model, position) => {
      const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const conn = connCompletion(before, model.getValue(), knownConnectors());
      if (conn?.kind === 'ids') {
        return {
          suggestions: conn.connectors.map((c) => ({
            label: c.id,
            kind: monaco.languages.CompletionItemKind.Value,
            detail: `${c.type} connector${c.title ? ` · ${c.title}` : ''}`,
            insertText: conn.quoted ? c.id : `'${c.id}'`,
            range,
          })),
        };
      }
      if (conn?.kind === 'methods') {
        return {
          suggestions: conn.methods.map((m) => ({
            label: m.name,
            kind: monaco.languages.CompletionItemKind.Method,
            detail: `${m.name}(${m.params}) · ${conn.connector.type}`,
            documentation: { value: m.doc },
            insertText: m.name,
            range,
          })),
        };
      }
      if (!/\bDFF\.\w*$/.test(before)) return { suggestions: [] };
      return {
        suggestions: DFF_MEMBERS.map((m) => ({
          label: m.name,
          kind: monaco.languages.CompletionItemKind.Function,
          detail: m.signature,
          documentation: { value: m.doc },
          insertText: m.snippet ?? m.name,
          insertTextRules: m.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : monaco.languages.CompletionItemInsertTextRule.None,
          range,
        })),
      };
    },
  });
  monaco.languages.registerHoverProvider('python', {
    provideHover: (model, position) => {
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      const line = model.getLineContent(position.lineNumber);
      if (line.slice(Math.max(0, word.startColumn - 5), word.startColumn - 1) !== 'DFF.') return null;
      const member = DFF_MEMBERS.find((m) => m.name === word.word);
      if (!member) return null;
      return {
        range: new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn),
        contents: [{ value: '```python\n' + member.signature + '\n```' }, { value: member.doc }],
      };
    },
  });
}
