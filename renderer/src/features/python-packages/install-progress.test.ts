import { describe, expect, it } from 'vitest';
import { installProgress } from './install-progress';

describe('installProgress', () => {
  it('counts finished packages, failures, and whether it runs', () => {
    expect(installProgress([])).toEqual({ total: 0, done: 0, failed: 0, running: false, percent: 0 });
    expect(installProgress([{ status: 'success' }, { status: 'installing' }, { status: 'waiting' }])).toEqual({ total: 3, done: 1, failed: 0, running: true, percent: 33 });
    expect(installProgress([{ status: 'success' }, { status: 'failure' }])).toEqual({ total: 2, done: 2, failed: 1, running: false, percent: 100 });
  });
});
