/** Handler outcomes as the IPC envelope: ApiError keeps its code and detail; anything else is ESys. */
import { ApiError } from '../../../contract/errors.js';
import type { IpcResult } from '../../common/channels.js';

export async function toIpcResult(run: () => unknown): Promise<IpcResult> {
  try {
    return { ok: true, data: await run() };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message, detail: err.detail } };
    return { ok: false, error: { code: 'ESys', message: err instanceof Error ? err.message : String(err), detail: {} } };
  }
}
