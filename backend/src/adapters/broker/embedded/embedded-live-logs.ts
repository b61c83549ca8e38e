/** Live log lines in one process (`func up`): listeners per key and a small backlog per key. */
import { LIVE_BACKLOG_EVENTS, LIVE_BACKLOG_TTL_MS, type LiveLogEvent, type LiveLogs, type LiveLogSubscription } from '../../../domain/ports/live-logs.js';

interface Topic {
  listeners: Set<(e: LiveLogEvent) => void>;
  backlog: LiveLogEvent[];
  /** Epoch ms after which an unwatched topic is dropped. */
  expires: number;
}

export class EmbeddedLiveLogs implements LiveLogs {
  private readonly topics = new Map<string, Topic>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  private topic(key: string): Topic {
    let t = this.topics.get(key);
    if (!t) {
      t = { listeners: new Set(), backlog: [], expires: 0 };
      this.topics.set(key, t);
    }
    return t;
  }

  publish(key: string, event: LiveLogEvent): void {
    const t = this.topic(key);
    t.backlog.push(event);
    if (t.backlog.length > LIVE_BACKLOG_EVENTS) t.backlog.shift();
    t.expires = this.now() + LIVE_BACKLOG_TTL_MS;
    for (const fn of t.listeners) fn(event);
  }

  subscribe(key: string, onEvent: (event: LiveLogEvent) => void): Promise<LiveLogSubscription> {
    const t = this.topic(key);
    for (const e of t.backlog) onEvent(e);
    const fn = (e: LiveLogEvent): void => onEvent(e);
    t.listeners.add(fn);
    return Promise.resolve({
      close: () => {
        t.listeners.delete(fn);
        if (t.listeners.size === 0 && t.backlog.length === 0) this.topics.delete(key);
      },
    });
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, t] of this.topics) if (t.listeners.size === 0 && t.expires <= now) this.topics.delete(key);
  }

  /** Keys held (tests: nothing is left behind). */
  size(): number {
    return this.topics.size;
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    this.topics.clear();
    return Promise.resolve();
  }
}
