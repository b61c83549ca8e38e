/**
 * Live log lines over Redis: a batch is published on `<prefix>live:<key>` and pushed to a list of
 * the same name holding the last LIVE_BACKLOG_EVENTS batches (expiring LIVE_BACKLOG_TTL_MS after
 * the last one), for subscribers that come late. One pipeline per batch (workers batch lines:
 * at most a few per second per task). Servers share one subscriber connection, one SUBSCRIBE per
 * watched key; a new subscriber reads the list after its subscription is live and skips the
 * published batches the list already gave it (by `seq`).
 */
import type { Redis } from 'ioredis';
import { LIVE_BACKLOG_EVENTS, LIVE_BACKLOG_TTL_MS, type LiveLogEvent, type LiveLogs, type LiveLogSubscription } from '../../../domain/ports/live-logs.js';
import { closeRedis, createRedisConnection, type RedisConnectionOptions } from './redis-connection.js';

export interface RedisLiveLogsOptions extends RedisConnectionOptions {
  prefix?: string;
  onError?: (err: unknown) => void;
}

type Listener = (e: LiveLogEvent) => void;

export class RedisLiveLogs implements LiveLogs {
  private readonly cmd: Redis;
  private sub: Redis | undefined;
  private readonly prefix: string;
  private readonly listeners = new Map<string, Set<Listener>>();
  /** The SUBSCRIBE of each watched channel (a second subscriber of a channel waits for it too). */
  private readonly subscribed = new Map<string, Promise<unknown>>();
  private readonly onError: (err: unknown) => void;

  constructor(private readonly options: RedisLiveLogsOptions = {}) {
    this.cmd = createRedisConnection(options);
    this.prefix = `${options.prefix ?? 'func:'}live:`;
    this.onError = options.onError ?? (() => undefined);
  }

  publish(key: string, event: LiveLogEvent): void {
    const k = this.prefix + key;
    const json = JSON.stringify(event);
    this.cmd.pipeline().rpush(k, json).ltrim(k, -LIVE_BACKLOG_EVENTS, -1).pexpire(k, LIVE_BACKLOG_TTL_MS).publish(k, json).exec().catch(this.onError);
  }

  private subscriber(): Redis {
    if (!this.sub) {
      const sub = createRedisConnection({ ...this.options, redis: { ...this.options.redis, connectionName: 'func-live-logs' } });
      sub.on('error', this.onError);
      sub.on('message', (channel: string, message: string) => {
        const set = this.listeners.get(channel);
        if (!set) return;
        let e: LiveLogEvent;
        try {
          e = JSON.parse(message) as LiveLogEvent;
        } catch {
          return;
        }
        for (const fn of set) fn(e);
      });
      this.sub = sub;
    }
    return this.sub;
  }

  async subscribe(key: string, onEvent: (event: LiveLogEvent) => void): Promise<LiveLogSubscription> {
    const channel = this.prefix + key;
    let lastSeq = 0;
    let early: LiveLogEvent[] | null = [];
    const fn: Listener = (e) => {
      if (early) early.push(e);
      else if (e.seq > lastSeq) {
        lastSeq = e.seq;
        onEvent(e);
      }
    };
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscribed.set(channel, this.subscriber().subscribe(channel));
    }
    set.add(fn);
    const close = (): void => {
      const s = this.listeners.get(channel);
      if (!s?.delete(fn) || s.size > 0) return;
      this.listeners.delete(channel);
      this.subscribed.delete(channel);
      void this.sub?.unsubscribe(channel).catch(() => undefined);
    };
    try {
      await this.subscribed.get(channel);
      const backlog = await this.cmd.lrange(channel, 0, -1);
      const pending = early;
      early = null;
      for (const raw of backlog) fn(JSON.parse(raw) as LiveLogEvent);
      for (const e of pending) fn(e);
    } catch (err) {
      close();
      throw err;
    }
    return { close };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscribed.clear();
    await Promise.all([closeRedis(this.cmd), this.sub ? closeRedis(this.sub) : Promise.resolve()]);
  }
}
