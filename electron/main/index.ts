/**
 * The Electron main process: the only file that imports Electron's runtime objects; it passes
 * them to the plain modules beside it (tested under Vitest without Electron).
 */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  safeStorage,
  session,
  shell,
  Tray,
  utilityProcess,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
} from 'electron';
import { createHttpClient } from '../../contract/client/index.js';
import { maskSecrets } from '../../contract/redact.js';
import { freePort } from './free-port.js';
import { desktopHandlers } from './ipc/desktop-handlers.js';
import { createOpHandler, type BridgeSession } from './ipc/op-handler.js';
import { createProfileOpRouter } from './ipc/profile-ops.js';
import { registerIpc } from './ipc/register-ipc.js';
import { loadLocalSecrets } from './local-secrets.js';
import { buildAppMenu, buildTrayMenu, trayTooltip } from './menus.js';
import { ProfileStore, type ProfileFile } from './profiles/profile-store.js';
import { allowPermission, contentSecurityPolicy, isTrustedSender, originOf, withCsp } from './security.js';
import { claimSingleInstance } from './single-instance.js';
import { stackEnv } from './stack-env.js';
import { StackSupervisor } from './stack-supervisor.js';
import { utilitySpawner } from './spawn-utility.js';
import { consoleWindowOptions, focus, guardWebContents } from './window.js';

// Built layout: out/main/index.js, out/main/stack-entry.js, out/preload/index.cjs.
const PRELOAD = join(import.meta.dirname, '../preload/index.cjs');
const STACK_ENTRY = join(import.meta.dirname, 'stack-entry.js');

let win: BrowserWindow | undefined;
let tray: Tray | undefined;

const jsonFile = (path: string): ProfileFile => ({
  read: () => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  write: (text) => writeFileSync(path, text, { mode: 0o600 }),
});

async function main(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const logsDir = app.getPath('logs');
  mkdirSync(logsDir, { recursive: true });
  const stackLog = createWriteStream(join(logsDir, 'stack.log'), { flags: 'a' });
  const profiles = new ProfileStore(safeStorage, jsonFile(join(userData, 'profiles.json')));
  const secrets = loadLocalSecrets(safeStorage, jsonFile(join(userData, 'local-stack.json')));
  const supervisor = new StackSupervisor({
    spawn: utilitySpawner(
      (p, a, o) => utilityProcess.fork(p, a, o),
      STACK_ENTRY,
      (c) => stackLog.write(maskSecrets(c)),
    ),
    env: stackEnv({ userData, port: await freePort(), base: process.env, ...secrets }),
    fetch: (url) => fetch(url),
  });
  const appOrigin = (): string | undefined => (supervisor.current.url ? originOf(supervisor.current.url) : undefined);
  const remoteOrigins = (): string[] => profiles.list().flatMap((p) => (p.kind === 'remote' ? [p.url] : []));

  // CSP on every response the window loads; permissions: clipboard for the console only.
  session.defaultSession.webRequest.onHeadersReceived((details, done) => done({ responseHeaders: withCsp(details.responseHeaders ?? {}, contentSecurityPolicy(remoteOrigins())) }));
  session.defaultSession.setPermissionRequestHandler((wc, permission, done) => done(allowPermission(permission, wc.getURL(), appOrigin() ?? '')));
  app.on('web-contents-created', (_e, contents) => guardWebContents(contents, appOrigin, (url) => void shell.openExternal(url)));

  const bridgeSession: BridgeSession = { token: null };
  const client = (): ReturnType<typeof createHttpClient> =>
    createHttpClient({ baseUrl: supervisor.current.url ?? 'http://127.0.0.1:1', fetch: (u, i) => fetch(u, i as RequestInit), getToken: () => bridgeSession.token });
  const openLogs = (): void => void shell.openPath(logsDir);
  registerIpc<IpcMainInvokeEvent>({
    ipcMain,
    senderOf: (e) => ({ webContentsId: e.sender.id, frameUrl: e.senderFrame?.url, isMainFrame: e.senderFrame === e.sender.mainFrame }),
    isTrusted: (s) => isTrustedSender(s, { webContentsIds: win ? [win.webContents.id] : [], origin: appOrigin() }),
    op: createProfileOpRouter({
      profiles,
      local: (id, input) => createOpHandler(client(), bridgeSession)(id, input),
      // No redirects: the signature headers must not follow to another host.
      fetch: (u, i) => fetch(u, { ...(i as RequestInit), redirect: 'error' }),
    }),
    desktop: desktopHandlers(profiles, {
      showSaveDialog: async (name) => (await dialog.showSaveDialog({ defaultPath: name, filters: [{ name: 'Script sets', extensions: ['json'] }] })).filePath || undefined,
      showOpenDialog: async () => (await dialog.showOpenDialog({ properties: ['openFile'], filters: [{ name: 'Script sets', extensions: ['json'] }] })).filePaths[0],
      readFile: async (p) => ({ size: (await stat(p)).size, text: () => readFile(p, 'utf8') }),
      writeFile: (p, c) => writeFile(p, c),
      openLogsFolder: () => shell.openPath(logsDir).then(() => undefined),
      profilesChanged: () => undefined,
    }),
    onRejected: (channel, s) => stackLog.write(`refused IPC ${channel} from ${s.frameUrl ?? '?'}\n`),
  });

  const actions = {
    show: () => (win ? focus(win) : openWindow()),
    start: () => void supervisor.start().then(openWindow, () => undefined),
    stop: () => void supervisor.stop(),
    openLogs,
    quit: () => app.quit(),
  };
  const template = (items: ReturnType<typeof buildTrayMenu>): MenuItemConstructorOptions[] => items as MenuItemConstructorOptions[];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template(buildAppMenu(process.platform, { openLogs, reload: () => win?.webContents.reload() }))));
  tray = new Tray(nativeImage.createEmpty());
  const refreshTray = (): void => {
    tray?.setToolTip(trayTooltip(supervisor.current));
    tray?.setContextMenu(Menu.buildFromTemplate(template(buildTrayMenu(supervisor.current, actions))));
  };
  supervisor.onChange(refreshTray);
  refreshTray();

  function openWindow(): void {
    const url = supervisor.current.url;
    if (!url) return;
    if (win) {
      void win.loadURL(`${url}/`);
      return focus(win);
    }
    win = new BrowserWindow(consoleWindowOptions(PRELOAD));
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => (win = undefined));
    // The console asks before a page with unsaved edits unloads (beforeunload); Electron shows no
    // dialog of its own for that and would keep the window open without a word.
    win.webContents.on('will-prevent-unload', (event) => {
      const leave = dialog.showMessageBoxSync(win!, {
        type: 'question',
        buttons: ['Leave', 'Stay'],
        defaultId: 1,
        cancelId: 1,
        message: 'Leave with unsaved changes?',
        detail: 'A script has edits that are not saved yet.',
      });
      if (leave === 0) event.preventDefault();
    });
    void win.loadURL(`${url}/`);
  }

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void supervisor.stop().finally(() => {
      stopped = true;
      stackLog.end();
      app.quit();
    });
  });
  app.on('window-all-closed', () => undefined); // keep running in the tray
  app.on('activate', actions.show);
  try {
    await supervisor.start();
    openWindow();
  } catch (err) {
    dialog.showErrorBox('Func could not start its local stack', `${err instanceof Error ? err.message : String(err)}\n\nLogs: ${logsDir}`);
  }
}

if (claimSingleInstance(app, () => focus(win))) void main();
