/** Registers every IPC handler behind the sender check; answers the IpcResult envelope. */
import { ApiError } from '../../../contract/errors.js';
import { OP_CHANNEL, type IpcResult } from '../../common/channels.js';
import type { SenderInfo } from '../security.js';
import { toIpcResult } from './ipc-result.js';

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<IpcResult>): void;
}

export interface IpcWiring<E> {
  ipcMain: IpcMainLike<E>;
  senderOf(event: E): SenderInfo;
  isTrusted(sender: SenderInfo): boolean;
  /** `func:op`: operation id, input, and the optional connection profile id. */
  op(id: unknown, input: unknown, profileId?: unknown): Promise<unknown>;
  desktop: Record<string, (input: unknown) => Promise<unknown>>;
  onRejected?(channel: string, sender: SenderInfo): void;
}

export function registerIpc<E>(w: IpcWiring<E>): void {
  const guarded = (channel: string, run: (args: unknown[]) => Promise<unknown>) => {
    w.ipcMain.handle(channel, (event, ...args) => {
      const sender = w.senderOf(event);
      if (!w.isTrusted(sender)) {
        w.onRejected?.(channel, sender);
        return toIpcResult(() => {
          throw new ApiError('EUserPrivilege', 'this page may not use the desktop bridge');
        });
      }
      return toIpcResult(() => run(args));
    });
  };
  guarded(OP_CHANNEL, ([id, input, profileId]) => w.op(id, input, profileId));
  for (const [channel, handler] of Object.entries(w.desktop)) guarded(channel, ([input]) => handler(input));
}
