/**
 * The IPC transport: the same `FuncApi` as the HTTP client, each operation handed to a function
 * that answers the bridge's result envelope (the Electron preload's `ops`). The envelope is plain
 * data, so the ApiError is rebuilt here, in the caller's world (an error thrown across Electron's
 * context bridge keeps only its message). DOM- and Node-free: no fetch, no ipcRenderer here.
 */
import { operations, type OperationId } from '../index.js';
import { ApiError, isErrorCode } from '../errors.js';
import type { HttpFuncApi, TaskLogHandlers, TopologySubscription } from './http-client.js';
import type { TopologyStatus } from '../operations/topology.js';

export type IpcEnvelope = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; detail: Record<string, unknown> } };

/** Sends one operation (id and input) and answers the envelope. */
export type OpInvoker = (id: OperationId, input: unknown) => Promise<unknown>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function unwrapEnvelope(result: unknown): unknown {
  if (!isRecord(result) || typeof result.ok !== 'boolean') throw new ApiError('ESys', 'the desktop bridge answered no result envelope');
  if (result.ok) return result.data;
  const error = isRecord(result.error) ? result.error : {};
  const code = typeof error.code === 'string' && isErrorCode(error.code) ? error.code : 'ESys';
  throw new ApiError(code, typeof error.message === 'string' ? error.message : undefined, isRecord(error.detail) ? error.detail : {});
}

export function createIpcClient(invoke: OpInvoker): HttpFuncApi {
  const api: Record<string, unknown> = {};
  for (const id of Object.keys(operations) as OperationId[]) {
    if (id === 'events' || id === 'streamTaskLogs') continue;
    // Call options (an AbortSignal) do not cross IPC: a call runs to its end.
    api[id] = async (input?: unknown) => unwrapEnvelope(await invoke(id, input ?? {}));
  }
  // The event stream does not cross the bridge: report it down at once, so callers poll instead.
  api.subscribeTopology = (_onTopology: (t: TopologyStatus) => void, onError?: () => void): TopologySubscription => {
    let closed = false;
    void Promise.resolve().then(() => {
      if (!closed) onError?.();
    });
    return { close: () => (closed = true) };
  };
  // Live lines neither: the task's record shows them when it ends.
  api.subscribeTaskLogs = (_id: string, handlers: TaskLogHandlers): TopologySubscription => {
    let closed = false;
    void Promise.resolve().then(() => {
      if (!closed) handlers.onError?.();
    });
    return { close: () => (closed = true) };
  };
  api.streamTaskLogs = () => Promise.reject(new ApiError('EClientNotFound', 'live task logs are not available over the desktop bridge'));
  // Downloads are links to the stack's own URL: a stack behind the bridge has none the page can open.
  api.rawUrl = () => Promise.reject(new ApiError('EClientNotFound', 'downloads are not available over the desktop bridge'));
  // A file answer would need bytes across the bridge, which its operations envelope does not carry yet.
  api.download = () => Promise.reject(new ApiError('EClientNotFound', 'file downloads (the .zip archive) are not available over the desktop bridge yet'));
  api.events = () => Promise.reject(new ApiError('EClientNotFound', 'the event stream is not available over the desktop bridge'));
  return api as HttpFuncApi;
}
