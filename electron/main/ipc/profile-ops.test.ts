import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { accessKeyStringToSign } from '../../../contract/signing.js';
import { DESKTOP_CHANNELS, OP_CHANNEL, type IpcResult } from '../../common/channels.js';
import { ProfileStore } from '../profiles/profile-store.js';
import { isTrustedSender, type SenderInfo } from '../security.js';
import { desktopHandlers } from './desktop-handlers.js';
import { createProfileOpRouter } from './profile-ops.js';
import { registerIpc } from './register-ipc.js';

const SECRET = 'TOP-SECRET-ak-value';
const APP = 'http://127.0.0.1:5555';
type Ev = { sender: SenderInfo };

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  validSignature: boolean;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

/** A stand-in remote stack on 127.0.0.1 that checks each access-key signature with the shared secret. */
async function fakeRemote(): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const h = req.headers;
      const text = accessKeyStringToSign({
        method: req.method ?? '',
        path: req.url ?? '',
        timestamp: String(h['x-dff-ak-timestamp']),
        nonce: String(h['x-dff-ak-nonce']),
        bodyText: body === '' ? '{}' : body,
      });
      const validSignature = h['x-dff-ak-id'] === 'ak-1' && createHmac('sha1', SECRET).update(text, 'utf8').digest('hex') === h['x-dff-ak-sign'];
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: h, body, validSignature });
      res.setHeader('content-type', 'application/json');
      if (!validSignature) {
        res.statusCode = 401;
        res.end(JSON.stringify({ ok: false, error: 401, reason: 'EUserAuth', message: 'bad signature', detail: { field: 'X-Dff-Ak-Sign' } }));
        return;
      }
      if (req.url?.startsWith('/api/v1/scripts/missing')) {
        res.statusCode = 404;
        res.end(JSON.stringify({ ok: false, error: 404, reason: 'EClientNotFound', message: 'no script missing', detail: { id: 'missing' } }));
        return;
      }
      res.end(
        JSON.stringify({
          ok: true,
          error: 200,
          message: '',
          data: req.url?.startsWith('/api/v1/auth/profile') ? { id: 'u1', username: 'remote-admin' } : { echoed: body },
          traceId: 't',
        }),
      );
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${addr.port}`, seen };
}

function setup() {
  const handlers = new Map<string, (e: Ev, ...args: unknown[]) => Promise<IpcResult>>();
  let text: string | undefined;
  // A fake safeStorage: reversible, visibly not plain text.
  const cipher = {
    isEncryptionAvailable: () => true,
    encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
    decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'hex').toString(),
  };
  const profiles = new ProfileStore(cipher, { read: () => text, write: (t) => (text = t) });
  const local = vi.fn(() => Promise.resolve('local-pong'));
  const host = { showSaveDialog: vi.fn(), showOpenDialog: vi.fn(), readFile: vi.fn(), writeFile: vi.fn(), openLogsFolder: vi.fn(), profilesChanged: vi.fn() };
  registerIpc<Ev>({
    ipcMain: { handle: (c, l) => handlers.set(c, l) },
    senderOf: (e) => e.sender,
    isTrusted: (s) => isTrustedSender(s, { webContentsIds: [1], origin: APP }),
    op: createProfileOpRouter({ profiles, local, fetch: (u, i) => fetch(u, { ...(i as RequestInit), redirect: 'error' }) }),
    desktop: desktopHandlers(profiles, host),
  });
  const own: Ev = { sender: { webContentsId: 1, frameUrl: `${APP}/overview`, isMainFrame: true } };
  const replies: IpcResult[] = [];
  const call = async (c: string, ...args: unknown[]): Promise<IpcResult> => {
    const r = await handlers.get(c)!(own, ...args);
    replies.push(r);
    return r;
  };
  return { call, replies, local, fileText: () => text ?? '' };
}

describe('func:op with a connection profile', () => {
  it('signs remote calls in main with the stored key; no secret in any IPC reply', async () => {
    const remote = await fakeRemote();
    const { call, replies, local, fileText } = setup();
    expect(await call(DESKTOP_CHANNELS.saveProfile, { kind: 'remote', id: 'prod', name: 'Prod', url: remote.url, accessKeyId: 'ak-1', accessKeySecret: SECRET })).toMatchObject({
      ok: true,
      data: { hasSecret: true },
    });
    expect(fileText()).not.toContain(SECRET);

    expect(await call(OP_CHANNEL, 'profile', {}, 'prod')).toEqual({ ok: true, data: { id: 'u1', username: 'remote-admin' } });
    const modified = await call(OP_CHANNEL, 'modifyScript', { params: { id: 'demo__a' }, body: { prevCodeDraftMD5: 'p', data: { codeDraft: "print('é')" } } }, 'prod');
    expect(modified).toMatchObject({ ok: true });
    expect(remote.seen).toHaveLength(2);
    expect(remote.seen.every((s) => s.validSignature)).toBe(true);
    expect(remote.seen[1]).toMatchObject({ method: 'POST', url: '/api/v1/scripts/demo__a/do/modify' });
    expect(remote.seen.some((s) => s.headers['x-dff-auth-token'] !== undefined)).toBe(false);
    expect(remote.seen[0]!.headers['x-dff-ak-nonce']).not.toBe(remote.seen[1]!.headers['x-dff-ak-nonce']);

    // The server's error envelope comes back ApiError-shaped.
    expect(await call(OP_CHANNEL, 'getScript', { params: { id: 'missing' } }, 'prod')).toEqual({
      ok: false,
      error: { code: 'EClientNotFound', message: 'no script missing', detail: { id: 'missing', status: 404, reason: 'EClientNotFound' } },
    });
    // Input is validated before anything is sent.
    expect(await call(OP_CHANNEL, 'signIn', { body: { signIn: { username: '' } } }, 'prod')).toMatchObject({ ok: false, error: { code: 'EClientBadRequest' } });
    expect(remote.seen).toHaveLength(3);

    // No profile, or the local one: the embedded stack, as before.
    expect(await call(OP_CHANNEL, 'ping', {})).toEqual({ ok: true, data: 'local-pong' });
    expect(await call(OP_CHANNEL, 'ping', {}, 'local')).toEqual({ ok: true, data: 'local-pong' });
    expect(local).toHaveBeenCalledTimes(2);

    await call(DESKTOP_CHANNELS.listProfiles);
    await call(DESKTOP_CHANNELS.activateProfile, { id: 'prod' });
    expect(replies.length).toBeGreaterThan(8);
    for (const r of replies) expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('refuses unknown, docker and malformed profile ids, and reports an unreachable stack by origin only', async () => {
    const remote = await fakeRemote();
    const { call, replies } = setup();
    await call(DESKTOP_CHANNELS.saveProfile, { kind: 'docker', id: 'dock', name: 'Dock', endpoint: 'unix:///var/run/docker.sock' });
    await call(DESKTOP_CHANNELS.saveProfile, { kind: 'remote', id: 'gone', name: 'Gone', url: 'http://127.0.0.1:1', accessKeyId: 'ak-1', accessKeySecret: SECRET });
    await call(DESKTOP_CHANNELS.saveProfile, { kind: 'remote', id: 'nokey', name: 'No key', url: remote.url, accessKeyId: 'ak-1' });
    expect(await call(OP_CHANNEL, 'ping', {}, 'nope')).toMatchObject({ ok: false, error: { code: 'EClientNotFound', detail: { field: 'profileId' } } });
    expect(await call(OP_CHANNEL, 'ping', {}, 42)).toMatchObject({ ok: false, error: { code: 'EClientBadRequest', detail: { field: 'profileId' } } });
    expect(await call(OP_CHANNEL, 'ping', {}, 'dock')).toMatchObject({ ok: false, error: { code: 'EBizCondition' } });
    expect(await call(OP_CHANNEL, 'ping', {}, 'nokey')).toMatchObject({ ok: false, error: { code: 'EBizCondition' } });
    expect(await call(OP_CHANNEL, 'ping', {}, 'gone')).toMatchObject({
      ok: false,
      error: { code: 'ESys', message: expect.stringContaining('Cannot reach http://127.0.0.1:1') as unknown },
    });
    expect(remote.seen).toHaveLength(0);
    for (const r of replies) expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});
