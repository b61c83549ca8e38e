/** The sandboxed preload (built to CommonJS): exposes `window.funcDesktop` = { api, ops, desktop, version }. */
import { contextBridge, ipcRenderer } from 'electron';
import { buildDesktopSurface, buildOperationBridge, buildOperationEnvelopes, type Invoke } from './bridge.js';

// Only these functions cross the bridge; ipcRenderer itself is never exposed.
const invoke: Invoke = (channel, ...args) => ipcRenderer.invoke(channel, ...args);

contextBridge.exposeInMainWorld('funcDesktop', {
  version: 1,
  api: buildOperationBridge(invoke),
  ops: buildOperationEnvelopes(invoke),
  desktop: buildDesktopSurface(invoke),
});
