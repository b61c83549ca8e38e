import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StackChild, StopSignal } from './stack-child.js';
import { StackSupervisor, type StackStatus } from './stack-supervisor.js';

class FakeChild implements StackChild {
  static next = 1000;
  readonly pid = FakeChild.next++;
  readonly signals: StopSignal[] = [];
  private messageListeners: ((m: unknown) => void)[] = [];
  private exitListeners: ((c: number | null) => void)[] = [];
  constructor(private readonly exitOnTerm = true) {}
  kill(signal: StopSignal): void {
    this.signals.push(signal);
    if (signal === 'SIGKILL' || this.exitOnTerm) queueMicrotask(() => this.exit(signal === 'SIGKILL' ? null : 0));
  }
  onMessage(l: (m: unknown) => void): void {
    this.messageListeners.push(l);
  }
  onExit(l: (c: number | null) => void): void {
    this.exitListeners.push(l);
  }
  ready(url = 'http://127.0.0.1:9'): void {
    for (const l of this.messageListeners) l({ type: 'ready', url });
  }
  exit(code: number | null): void {
    for (const l of [...this.exitListeners]) l(code);
  }
}

function setup(exitOnTerm = true) {
  const children: FakeChild[] = [];
  const statuses: StackStatus[] = [];
  const sup = new StackSupervisor({
    spawn: () => {
      const c = new FakeChild(exitOnTerm);
      children.push(c);
      return c;
    },
    env: {},
    fetch: () => Promise.resolve({ ok: true }),
    backoff: { baseMs: 100, maxMs: 400, maxAttempts: 3, stableMs: 10_000 },
    stopTimeoutMs: 1000,
    healthIntervalMs: 10,
  });
  sup.onChange((s) => statuses.push(s.status));
  return { sup, children, statuses };
}

/** A supervisor whose first stack is started and ready. */
async function running(exitOnTerm = true): Promise<ReturnType<typeof setup>> {
  const s = setup(exitOnTerm);
  const started = s.sup.start();
  s.children[0]!.ready();
  await started;
  return s;
}

describe('StackSupervisor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts, waits for ready and health, and reports running with the URL', async () => {
    const { sup, children } = setup();
    const started = sup.start();
    children[0]!.ready('http://127.0.0.1:4321');
    await expect(started).resolves.toBe('http://127.0.0.1:4321');
    expect(sup.current.status).toBe('running');
  });

  it('restarts a crashed stack with growing back-off and gives up after maxAttempts', async () => {
    const { sup, children, statuses } = await running();
    children[0]!.exit(137);
    expect(sup.current.status).toBe('restarting');
    await vi.advanceTimersByTimeAsync(99);
    expect(children).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(children).toHaveLength(2);
    children[1]!.exit(1);
    await vi.advanceTimersByTimeAsync(199);
    expect(children).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    children[2]!.exit(1);
    await vi.advanceTimersByTimeAsync(400);
    children[3]!.exit(1);
    expect(sup.current.status).toBe('failed');
    expect(sup.current.lastError).toMatch(/gave up after 3 restarts/);
    expect(statuses).toContain('restarting');
  });

  it('a stable run resets the crash count', async () => {
    const { children } = await running();
    children[0]!.exit(1);
    await vi.advanceTimersByTimeAsync(100);
    children[1]!.ready();
    await vi.advanceTimersByTimeAsync(20_000);
    children[1]!.exit(1);
    await vi.advanceTimersByTimeAsync(100); // base delay again, not 200
    expect(children).toHaveLength(3);
  });

  it('stops with SIGTERM and does not restart', async () => {
    const { sup, children } = await running();
    await sup.stop();
    expect(children[0]!.signals).toEqual(['SIGTERM']);
    expect(sup.current.status).toBe('stopped');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(children).toHaveLength(1);
  });

  it('escalates to SIGKILL when the stack ignores SIGTERM', async () => {
    const { sup, children } = await running(false);
    const stopped = sup.stop();
    await vi.advanceTimersByTimeAsync(1000);
    await stopped;
    expect(children[0]!.signals).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('a stop during the back-off cancels the restart', async () => {
    const { sup, children } = await running();
    children[0]!.exit(1);
    await sup.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(children).toHaveLength(1);
    expect(sup.current.status).toBe('stopped');
  });
});
