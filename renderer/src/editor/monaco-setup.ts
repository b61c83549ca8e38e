/**
 * Monaco bundled locally: the editor API, its features, Python only, and the editor worker
 * bundled by Vite. No CDN (the console must work offline).
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/python/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { loader } from '@monaco-editor/react';
import { registerDffLanguageFeatures } from './dff-language';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });
registerDffLanguageFeatures(monaco);

export { monaco };
