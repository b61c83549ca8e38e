/**
 * The embedded stack's lifecycle, free of Electron: spawn the stack process, wait for its
 * `ready` message and `/healthz`, restart it with back-off when it dies, stop it cleanly
 * (SIGTERM, then SIGKILL after a grace period).
 */
import { isStackMessage } from '../common/stack-messages.js';
import { DEFAULT_BACKOFF, restartDelay, type BackoffPolicy } from './backoff.js';
import { waitHealthy, type HealthFetch } from './health.js';
import type { SpawnStack, StackChild } from './stack-child.js';

export type StackStatus = 'stopped' | 'starting' | 'running' | 'restarting' | 'stopping' | 'failed';

export interface StackState {
  status: StackStatus;
  url: string | undefined;
  restarts: number;
  lastError: string | undefined;
}

export interface SupervisorOptions {
  spawn: SpawnStack;
  env: Record<string, string>;
  fetch: HealthFetch;
  backoff?: BackoffPolicy;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  healthIntervalMs?: number;
  now?: () => number;
}

export class StackSupervisor {
  private child: StackChild | undefined;
  private state: StackState = { status: 'stopped', url: undefined, restarts: 0, lastError: undefined };
  private crashesInARow = 0;
  private startedAt = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(s: StackState) => void>();
  private readonly backoff: BackoffPolicy;
  private readonly now: () => number;

  constructor(private readonly opts: SupervisorOptions) {
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.now = opts.now ?? Date.now;
  }

  get current(): StackState {
    return { ...this.state };
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  onChange(listener: (s: StackState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the stack; resolves with its URL once healthy, rejects if it fails for good. */
  start(): Promise<string> {
    if (this.state.status === 'running' && this.state.url) return Promise.resolve(this.state.url);
    const running = this.waitFor();
    if (this.state.status === 'stopped' || this.state.status === 'failed') {
      this.crashesInARow = 0;
      this.launch();
    }
    return running;
  }

  /** Resolves with the URL at the next `running`, rejects at `failed` or `stopped`. */
  waitFor(): Promise<string> {
    return new Promise((resolve, reject) => {
      const off = this.onChange((s) => {
        if (s.status === 'running' && s.url) {
          off();
          resolve(s.url);
        } else if (s.status === 'failed' || s.status === 'stopped') {
          off();
          reject(new Error(s.lastError ?? `the stack is ${s.status}`));
        }
      });
    });
  }

  async stop(): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (!child) {
      this.set({ status: 'stopped', url: undefined });
      return;
    }
    this.set({ status: 'stopping' });
    const exited = new Promise<void>((r) => child.onExit(() => r()));
    child.kill('SIGTERM');
    const grace = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), this.opts.stopTimeoutMs ?? 10_000).unref());
    if ((await Promise.race([exited, grace])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  }

  private launch(): void {
    this.set({ status: 'starting', url: undefined });
    const child = this.opts.spawn(this.opts.env);
    this.child = child;
    this.startedAt = this.now();
    let exited = false;
    const readyTimer = setTimeout(() => {
      this.set({ lastError: 'the stack did not report ready in time' });
      child.kill('SIGKILL');
    }, this.opts.readyTimeoutMs ?? 60_000);
    child.onMessage((m) => {
      if (!isStackMessage(m)) return;
      if (m.type === 'failed') {
        this.set({ lastError: m.message });
        return;
      }
      clearTimeout(readyTimer);
      void waitHealthy(m.url, { fetch: this.opts.fetch, timeoutMs: 30_000, intervalMs: this.opts.healthIntervalMs ?? 200, aborted: () => exited }).then((ok) => {
        if (ok && this.child === child && this.state.status !== 'stopping') this.set({ status: 'running', url: m.url });
        else if (!ok && !exited) child.kill('SIGKILL');
      });
    });
    child.onExit((code) => {
      exited = true;
      clearTimeout(readyTimer);
      if (this.child !== child) return;
      this.child = undefined;
      if (this.state.status === 'stopping') {
        this.set({ status: 'stopped', url: undefined });
        return;
      }
      this.crashed(code);
    });
  }

  private crashed(code: number | null): void {
    if (this.now() - this.startedAt >= this.backoff.stableMs) this.crashesInARow = 0;
    const delay = restartDelay(this.backoff, this.crashesInARow);
    const lastError = this.state.lastError ?? `the stack exited (${code === null ? 'killed' : `code ${code}`})`;
    if (delay === null) {
      this.set({ status: 'failed', url: undefined, lastError: `${lastError}; gave up after ${this.crashesInARow} restarts` });
      return;
    }
    this.crashesInARow += 1;
    this.set({ status: 'restarting', url: undefined, restarts: this.state.restarts + 1, lastError });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.set({ lastError: undefined });
      this.launch();
    }, delay);
  }

  private set(patch: Partial<StackState>): void {
    this.state = { ...this.state, ...patch };
    const snapshot = this.current;
    for (const l of [...this.listeners]) l(snapshot);
  }
}
