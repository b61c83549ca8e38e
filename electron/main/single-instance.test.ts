import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance } from './single-instance.js';

describe('claimSingleInstance', () => {
  it('the first instance keeps running and focuses on a second launch', () => {
    const listeners: (() => void)[] = [];
    const app = { requestSingleInstanceLock: () => true, on: (_e: 'second-instance', l: () => void) => listeners.push(l), quit: vi.fn() };
    const focus = vi.fn();
    expect(claimSingleInstance(app, focus)).toBe(true);
    listeners[0]!();
    expect(focus).toHaveBeenCalled();
    expect(app.quit).not.toHaveBeenCalled();
  });
  it('a second instance quits', () => {
    const app = { requestSingleInstanceLock: () => false, on: vi.fn(), quit: vi.fn() };
    expect(claimSingleInstance(app, vi.fn())).toBe(false);
    expect(app.quit).toHaveBeenCalled();
    expect(app.on).not.toHaveBeenCalled();
  });
});
