/** IPC channel names shared by main and preload, and the result envelope that crosses them. */
export const OP_CHANNEL = 'func:op';

export const DESKTOP_CHANNELS = {
  listProfiles: 'desktop:profiles:list',
  saveProfile: 'desktop:profiles:save',
  removeProfile: 'desktop:profiles:remove',
  activateProfile: 'desktop:profiles:activate',
  saveFile: 'desktop:file:save',
  openFile: 'desktop:file:open',
  openLogsFolder: 'desktop:logs:open',
} as const;

export type DesktopChannel = (typeof DESKTOP_CHANNELS)[keyof typeof DESKTOP_CHANNELS];

/** Electron keeps only an error's message across IPC, so handlers answer this envelope instead of throwing. */
export type IpcResult = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; detail: Record<string, unknown> } };
