import { describe, expect, it, vi } from 'vitest';
import { buildAppMenu, buildTrayMenu, trayTooltip, type MenuItem } from './menus.js';
import type { StackState } from './stack-supervisor.js';

const state = (s: Partial<StackState>): StackState => ({ status: 'stopped', url: undefined, restarts: 0, lastError: undefined, ...s });
const actions = { show: vi.fn(), start: vi.fn(), stop: vi.fn(), openLogs: vi.fn(), quit: vi.fn() };
const item = (menu: MenuItem[], id: string): MenuItem => menu.find((m) => m.id === id)!;

describe('tray menu', () => {
  it('running: shows the URL, can stop, cannot start', () => {
    const m = buildTrayMenu(state({ status: 'running', url: 'http://127.0.0.1:5000' }), actions);
    expect(item(m, 'status').label).toBe('Local stack: Running (http://127.0.0.1:5000)');
    expect(item(m, 'start').enabled).toBe(false);
    expect(item(m, 'stop').enabled).toBe(true);
    expect(item(m, 'show').enabled).toBe(true);
    item(m, 'stop').click!();
    expect(actions.stop).toHaveBeenCalled();
  });
  it('stopped or failed: can start; failed shows the reason and restart count', () => {
    const m = buildTrayMenu(state({ status: 'failed', lastError: 'port in use', restarts: 3 }), actions);
    expect(item(m, 'status').label).toBe('Local stack: Failed — port in use');
    expect(item(m, 'restarts').label).toBe('Restarted 3×');
    expect(item(m, 'start').enabled).toBe(true);
    expect(item(m, 'stop').enabled).toBe(false);
    expect(trayTooltip(state({ status: 'restarting' }))).toBe('Func — local stack: Restarting…');
  });
});

describe('application menu', () => {
  const acts = { openLogs: vi.fn(), reload: vi.fn() };
  it('macOS gets the app menu first; others a File menu with Quit', () => {
    expect(buildAppMenu('darwin', acts)[0]!.label).toBe('Func');
    const linux = buildAppMenu('linux', acts);
    expect(linux[0]!.label).toBe('File');
    expect(linux[0]!.submenu!.some((i) => i.role === 'quit')).toBe(true);
    expect(
      buildAppMenu('win32', acts)
        .find((m) => m.label === 'Edit')!
        .submenu!.map((i) => i.role),
    ).toContain('paste');
  });
});
