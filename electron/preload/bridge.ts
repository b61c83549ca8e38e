/**
 * The renderer-facing API, built from the contract's operations table: one function per
 * operation id, each calling `func:op` with its id. The renderer never sees ipcRenderer.
 */
import { operations, type OperationId } from '../../contract/index.js';
import { ApiError, isErrorCode } from '../../contract/errors.js';
import type { FuncApi } from '../../contract/client/types.js';
import { DESKTOP_CHANNELS, OP_CHANNEL, type IpcResult } from '../common/channels.js';

export type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;

function unwrap(result: unknown): unknown {
  const r = result as IpcResult;
  if (r.ok) return r.data;
  throw new ApiError(isErrorCode(r.error.code) ? r.error.code : 'ESys', r.error.message, r.error.detail);
}

export function buildOperationBridge(invoke: Invoke): FuncApi {
  const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
  for (const id of Object.keys(operations) as OperationId[]) {
    if (id === 'events') continue;
    // Options (an AbortSignal) cannot cross the context bridge; they are dropped.
    api[id] = async (input?: unknown) => unwrap(await invoke(OP_CHANNEL, id, input ?? {}));
  }
  return api as unknown as FuncApi;
}

/**
 * One function per operation answering the IPC envelope as plain data, with the connection
 * profile the call is for (absent = the local stack). The console builds its client on these with
 * `createIpcClient` (contract/client/ipc-transport.ts): an error thrown across the context bridge
 * would keep only its message, the envelope keeps code and detail. Secrets never pass here: main
 * looks the profile's access key up itself.
 */
export function buildOperationEnvelopes(invoke: Invoke): Record<string, (input?: unknown, profileId?: string) => Promise<unknown>> {
  const ops: Record<string, (input?: unknown, profileId?: string) => Promise<unknown>> = {};
  for (const id of Object.keys(operations) as OperationId[]) {
    if (id === 'events') continue;
    ops[id] = (input?: unknown, profileId?: string) => invoke(OP_CHANNEL, id, input ?? {}, typeof profileId === 'string' ? profileId : undefined);
  }
  return ops;
}

export interface DesktopSurface {
  listProfiles(): Promise<unknown>;
  saveProfile(profile: unknown): Promise<unknown>;
  removeProfile(id: string): Promise<unknown>;
  activateProfile(id: string): Promise<unknown>;
  saveFile(defaultName: string, content: string): Promise<unknown>;
  openFile(): Promise<unknown>;
  openLogsFolder(): Promise<unknown>;
}

export function buildDesktopSurface(invoke: Invoke): DesktopSurface {
  const call = async (channel: string, input?: unknown): Promise<unknown> => unwrap(await invoke(channel, input));
  return {
    listProfiles: () => call(DESKTOP_CHANNELS.listProfiles),
    saveProfile: (profile) => call(DESKTOP_CHANNELS.saveProfile, profile),
    removeProfile: (id) => call(DESKTOP_CHANNELS.removeProfile, { id }),
    activateProfile: (id) => call(DESKTOP_CHANNELS.activateProfile, { id }),
    saveFile: (defaultName, content) => call(DESKTOP_CHANNELS.saveFile, { defaultName, content }),
    openFile: () => call(DESKTOP_CHANNELS.openFile),
    openLogsFolder: () => call(DESKTOP_CHANNELS.openLogsFolder),
  };
}
