/**
 * The Electron security checklist as pure functions: window preferences, CSP, navigation and
 * new-window guards, IPC sender check. index.ts wires them to Electron's objects.
 */

/** webPreferences of every window (checklist 2–4, 6, 8–10). */
export function secureWebPreferences(preload: string): {
  preload: string;
  sandbox: true;
  contextIsolation: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  spellcheck: false;
} {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** The console's CSP; `connectOrigins` are the remote stacks of the saved profiles. */
export function contentSecurityPolicy(connectOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Monaco injects styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self' blob:",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${connectOrigins.map((o) => ` ${o}`).join('')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Response headers with our CSP set (replacing any the server sent). */
export function withCsp(headers: Record<string, string[]>, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  out['Content-Security-Policy'] = [csp];
  return out;
}

export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** `will-navigate`: only inside the console's own origin. */
export function allowNavigation(targetUrl: string, appOrigin: string): boolean {
  return originOf(targetUrl) === appOrigin;
}

export type WindowOpenDecision = { action: 'deny'; openExternal?: string };

/** `setWindowOpenHandler`: never a new Electron window; http(s) links go to the system browser. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  const origin = originOf(url);
  return origin === undefined ? { action: 'deny' } : { action: 'deny', openExternal: url };
}

export interface SenderInfo {
  /** `event.sender.id` */
  webContentsId: number;
  /** `event.senderFrame?.url` */
  frameUrl: string | undefined;
  /** Whether the frame is the top frame (`senderFrame === sender.mainFrame`). */
  isMainFrame: boolean;
}

/** IPC: only our own window's top frame, showing the console's origin. */
export function isTrustedSender(sender: SenderInfo, trusted: { webContentsIds: readonly number[]; origin: string | undefined }): boolean {
  if (!trusted.origin || !sender.isMainFrame || !sender.frameUrl) return false;
  return trusted.webContentsIds.includes(sender.webContentsId) && originOf(sender.frameUrl) === trusted.origin;
}

/** Permission requests (camera, notifications, …): the console needs only the clipboard. */
export function allowPermission(permission: string, requestingUrl: string, appOrigin: string): boolean {
  return originOf(requestingUrl) === appOrigin && (permission === 'clipboard-sanitized-write' || permission === 'clipboard-read');
}
