/** Tray and application menus as data (Electron's MenuItemConstructorOptions shape), built purely. */
import type { StackState } from './stack-supervisor.js';

export interface MenuItem {
  label?: string;
  role?: string;
  type?: 'separator' | 'normal' | 'submenu';
  accelerator?: string;
  enabled?: boolean;
  id?: string;
  click?: () => void;
  submenu?: MenuItem[];
}

export interface TrayActions {
  show: () => void;
  start: () => void;
  stop: () => void;
  openLogs: () => void;
  quit: () => void;
}

const STATUS_LABEL: Record<StackState['status'], string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  restarting: 'Restarting…',
  stopping: 'Stopping…',
  failed: 'Failed',
};

export function trayTooltip(state: StackState): string {
  return `Func — local stack: ${STATUS_LABEL[state.status]}`;
}

export function buildTrayMenu(state: StackState, actions: TrayActions): MenuItem[] {
  const { status } = state;
  const detail = status === 'running' && state.url ? ` (${state.url})` : status === 'failed' && state.lastError ? ` — ${state.lastError}` : '';
  return [
    { id: 'status', label: `Local stack: ${STATUS_LABEL[status]}${detail}`, enabled: false },
    ...(state.restarts > 0 ? [{ id: 'restarts', label: `Restarted ${state.restarts}×`, enabled: false }] : []),
    { type: 'separator' },
    { id: 'show', label: 'Open console', enabled: status === 'running', click: actions.show },
    { id: 'start', label: 'Start stack', enabled: status === 'stopped' || status === 'failed', click: actions.start },
    { id: 'stop', label: 'Stop stack', enabled: status === 'running' || status === 'starting' || status === 'restarting', click: actions.stop },
    { type: 'separator' },
    { id: 'logs', label: 'Open logs folder', click: actions.openLogs },
    { id: 'quit', label: 'Quit Func', accelerator: 'CmdOrCtrl+Q', click: actions.quit },
  ];
}

/** The application menu with the platform's conventions (macOS app menu, Windows/Linux File menu). */
export function buildAppMenu(platform: NodeJS.Platform, actions: Pick<TrayActions, 'openLogs'> & { reload: () => void }): MenuItem[] {
  const mac = platform === 'darwin';
  const app: MenuItem[] = mac
    ? [
        {
          label: 'Func',
          submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
        },
      ]
    : [];
  const file: MenuItem = { label: 'File', submenu: [{ label: 'Open Logs Folder', click: actions.openLogs }, { type: 'separator' }, mac ? { role: 'close' } : { role: 'quit' }] };
  return [
    ...app,
    file,
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: 'View',
      submenu: [
        { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: actions.reload },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Window', submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }] },
  ];
}
