/** The console window and the guards every web contents gets. */
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';
import { allowNavigation, decideWindowOpen, secureWebPreferences } from './security.js';

export function consoleWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return { width: 1280, height: 800, minWidth: 900, minHeight: 600, title: 'Func', show: false, webPreferences: secureWebPreferences(preload) };
}

/** Navigation, new-window and webview guards (checklist 12–14), for every web contents created. */
export function guardWebContents(contents: WebContents, appOrigin: () => string | undefined, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    const origin = appOrigin();
    if (origin === undefined || !allowNavigation(url, origin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    const origin = appOrigin();
    if (origin === undefined || !allowNavigation(url, origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternal) openExternal(decision.openExternal);
    return { action: decision.action };
  });
}

export function focus(win: BrowserWindow | undefined): void {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
