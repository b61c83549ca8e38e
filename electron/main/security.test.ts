import { describe, expect, it } from 'vitest';
import { allowNavigation, allowPermission, contentSecurityPolicy, decideWindowOpen, isTrustedSender, secureWebPreferences, withCsp } from './security.js';

const APP = 'http://127.0.0.1:41234';

describe('security guards', () => {
  it('windows are sandboxed and isolated, without Node', () => {
    const p = secureWebPreferences('/app/preload.cjs');
    expect(p).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
  });

  it('the CSP forbids inline and remote scripts, objects and framing; connects only to self and the profiles', () => {
    const csp = contentSecurityPolicy(['https://func.example.com']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' https://func.example.com");
    expect(withCsp({ 'content-security-policy': ['x'], 'Content-Type': ['text/html'] }, csp)).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [csp] });
  });

  it('navigation stays on the console origin', () => {
    expect(allowNavigation(`${APP}/scripts`, APP)).toBe(true);
    expect(allowNavigation('http://127.0.0.1:41235/', APP)).toBe(false);
    expect(allowNavigation('https://evil.example.com/', APP)).toBe(false);
    expect(allowNavigation('file:///etc/passwd', APP)).toBe(false);
    expect(allowNavigation('javascript:alert(1)', APP)).toBe(false);
  });

  it('new windows are denied; web links open in the system browser, other schemes nowhere', () => {
    expect(decideWindowOpen('https://docs.example.com/')).toEqual({ action: 'deny', openExternal: 'https://docs.example.com/' });
    expect(decideWindowOpen('file:///bin/sh')).toEqual({ action: 'deny' });
    expect(decideWindowOpen('smb://host/share')).toEqual({ action: 'deny' });
  });

  it('IPC is answered only for our window, top frame, console origin', () => {
    const trusted = { webContentsIds: [3], origin: APP };
    expect(isTrustedSender({ webContentsId: 3, frameUrl: `${APP}/overview`, isMainFrame: true }, trusted)).toBe(true);
    expect(isTrustedSender({ webContentsId: 4, frameUrl: `${APP}/overview`, isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 3, frameUrl: 'https://evil.example.com/', isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 3, frameUrl: `${APP}/x`, isMainFrame: false }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 3, frameUrl: undefined, isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 3, frameUrl: `${APP}/`, isMainFrame: true }, { webContentsIds: [3], origin: undefined })).toBe(false);
  });

  it('permissions: clipboard for the console only', () => {
    expect(allowPermission('clipboard-read', `${APP}/scripts`, APP)).toBe(true);
    expect(allowPermission('media', `${APP}/scripts`, APP)).toBe(false);
    expect(allowPermission('clipboard-read', 'https://evil.example.com/', APP)).toBe(false);
  });
});
