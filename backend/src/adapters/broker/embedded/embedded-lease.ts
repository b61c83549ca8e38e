/** The embedded stack runs one beat in one process: it is always the leader until released. */
import { randomUUID } from 'node:crypto';
import type { LeaderLease } from '../../../domain/ports/lease.js';

export class EmbeddedLease implements LeaderLease {
  readonly token = randomUUID();
  private leader = true;
  private readonly listeners = new Set<(leader: boolean) => void>();

  constructor(readonly name = 'beat') {}

  private set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    for (const l of this.listeners) l(leader);
  }

  acquire(): Promise<boolean> {
    this.set(true);
    return Promise.resolve(true);
  }

  renew(): Promise<boolean> {
    return Promise.resolve(this.leader);
  }

  release(): Promise<void> {
    this.set(false);
    return Promise.resolve();
  }

  isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    await this.acquire();
  }

  stop(): Promise<void> {
    return this.release();
  }

  onChange(listener: (leader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
