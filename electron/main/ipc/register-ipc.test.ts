import { describe, expect, it, vi } from 'vitest';
import { DESKTOP_CHANNELS, OP_CHANNEL, type IpcResult } from '../../common/channels.js';
import { ProfileStore } from '../profiles/profile-store.js';
import { isTrustedSender, type SenderInfo } from '../security.js';
import { desktopHandlers } from './desktop-handlers.js';
import { registerIpc } from './register-ipc.js';

const APP = 'http://127.0.0.1:5555';
type Ev = { sender: SenderInfo };

function setup() {
  const handlers = new Map<string, (e: Ev, ...args: unknown[]) => Promise<IpcResult>>();
  let text: string | undefined;
  const profiles = new ProfileStore(
    { isEncryptionAvailable: () => true, encryptString: (s) => Buffer.from(s).reverse(), decryptString: (b) => Buffer.from(b).reverse().toString() },
    { read: () => text, write: (t) => (text = t) },
  );
  const host = {
    showSaveDialog: vi.fn((name: string) => Promise.resolve<string | undefined>(`/home/me/${name}`)),
    showOpenDialog: vi.fn(() => Promise.resolve<string | undefined>('/home/me/set.json')),
    readFile: vi.fn(() => Promise.resolve({ size: 5, text: () => Promise.resolve('{"a":1}') })),
    writeFile: vi.fn(() => Promise.resolve()),
    openLogsFolder: vi.fn(() => Promise.resolve()),
    profilesChanged: vi.fn(),
  };
  const op = vi.fn(() => Promise.resolve('pong'));
  const rejected = vi.fn();
  registerIpc<Ev>({
    ipcMain: { handle: (c, l) => handlers.set(c, l) },
    senderOf: (e) => e.sender,
    isTrusted: (s) => isTrustedSender(s, { webContentsIds: [1], origin: APP }),
    op,
    desktop: desktopHandlers(profiles, host),
    onRejected: rejected,
  });
  const own: Ev = { sender: { webContentsId: 1, frameUrl: `${APP}/scripts`, isMainFrame: true } };
  const call = (c: string, e: Ev, ...args: unknown[]) => handlers.get(c)!(e, ...args);
  return { call, own, op, host, rejected, handlers };
}

describe('registered IPC', () => {
  it('answers our window and refuses any other sender without calling the handler', async () => {
    const { call, own, op, rejected } = setup();
    expect(await call(OP_CHANNEL, own, 'ping', {})).toEqual({ ok: true, data: 'pong' });
    const foreign: Ev = { sender: { webContentsId: 1, frameUrl: 'https://evil.example.com/', isMainFrame: true } };
    expect(await call(OP_CHANNEL, foreign, 'ping', {})).toMatchObject({ ok: false, error: { code: 'EUserPrivilege' } });
    expect(await call(DESKTOP_CHANNELS.listProfiles, foreign)).toMatchObject({ ok: false });
    expect(op).toHaveBeenCalledTimes(1);
    expect(rejected).toHaveBeenCalledTimes(2);
  });

  it('profiles: saved with a secret, listed without it; bad input names the field', async () => {
    const { call, own, host } = setup();
    const saved = await call(DESKTOP_CHANNELS.saveProfile, own, {
      kind: 'remote',
      id: 'prod',
      name: 'Prod',
      url: 'https://f.example.com',
      accessKeyId: 'ak',
      accessKeySecret: 'S3CRET',
    });
    expect(saved).toMatchObject({ ok: true, data: { hasSecret: true } });
    const list = await call(DESKTOP_CHANNELS.listProfiles, own);
    expect(JSON.stringify(list)).not.toContain('S3CRET');
    expect(host.profilesChanged).toHaveBeenCalled();
    expect(await call(DESKTOP_CHANNELS.saveProfile, own, { kind: 'docker', id: 'd', name: 'D', endpoint: 'tcp://x' })).toMatchObject({
      ok: false,
      error: { code: 'EClientBadRequest', detail: { field: 'endpoint' } },
    });
  });

  it('files: save through the dialog, open answers name and content only', async () => {
    const { call, own, host } = setup();
    expect(await call(DESKTOP_CHANNELS.saveFile, own, { defaultName: 'set.json', content: '{}' })).toEqual({ ok: true, data: { saved: true } });
    expect(host.writeFile).toHaveBeenCalledWith('/home/me/set.json', '{}');
    expect(await call(DESKTOP_CHANNELS.saveFile, own, { defaultName: '../../etc/passwd', content: '' })).toMatchObject({ ok: false, error: { code: 'EClientBadRequest' } });
    expect(await call(DESKTOP_CHANNELS.openFile, own)).toEqual({ ok: true, data: { name: 'set.json', content: '{"a":1}' } });
    expect(await call(DESKTOP_CHANNELS.openLogsFolder, own)).toEqual({ ok: true, data: null });
  });
});
