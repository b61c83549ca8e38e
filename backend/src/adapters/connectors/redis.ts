/** Redis connectors: one ioredis connection per connector (Redis pipelines its commands); `query` runs one raw command. */
import { Redis } from 'ioredis';
import type { ConnectorClient, ConnectorDriver, ConnectorSubscription } from '../../domain/ports/connectors.js';
import { num, payload, str, toJson, unknownCommand } from './driver-kit.js';

const COMMANDS = ['query', 'publish', 'check'] as const;
/** Commands that would turn the shared connection into a subscriber or block it for everyone. */
const REFUSED = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'monitor', 'quit', 'shutdown', 'select', 'client']);

export const redisDriver: ConnectorDriver = {
  type: 'redis',
  create(config, t): ConnectorClient {
    let client: Redis | undefined;
    let lastError: Error | undefined;
    const db = num(config, 'database') ?? 0;
    const ready = async (): Promise<Redis> => {
      client ??= new Redis({
        host: str(config, 'host') ?? '127.0.0.1',
        port: num(config, 'port') ?? 6379,
        ...(str(config, 'user') ? { username: str(config, 'user') } : {}),
        ...(str(config, 'password') ? { password: str(config, 'password') } : {}),
        db,
        lazyConnect: true,
        connectTimeout: t.connectMs,
        commandTimeout: t.commandMs,
        maxRetriesPerRequest: 1,
        retryStrategy: (times) => (times > 5 ? null : Math.min(times * 200, 1000)),
      });
      // Failures reach the commands; an unheard 'error' event would only be logged by ioredis.
      client.on('error', (err: Error) => {
        lastError = err;
      });
      if (client.status === 'wait' || client.status === 'end') {
        // ioredis rejects with "Connection is closed."; the socket's own error says why.
        await client.connect().catch((err: unknown) => {
          throw lastError ?? err;
        });
      }
      return client;
    };
    const raw = async (args: readonly unknown[]): Promise<unknown> => {
      const [cmd, ...rest] = args;
      if (typeof cmd !== 'string' || cmd === '') throw new Error('a Redis command must start with its name');
      if (REFUSED.has(cmd.toLowerCase())) throw new Error(`the Redis command ${cmd.toUpperCase()} is not allowed on a connector (subscriptions are the connector's topicHandlers)`);
      return (await ready()).call(cmd, ...rest.map((a) => (typeof a === 'string' || typeof a === 'number' ? a : payload(a))));
    };
    /**
     * SUBSCRIBE (channels) and PSUBSCRIBE (a topic with `*`, `?` or `[`: a pattern) on a
     * connection of their own, resubscribed after a reconnect. Redis pub/sub has no
     * acknowledgement: at most once (a message published while nobody listens is gone).
     */
    const subscribe: NonNullable<ConnectorClient['subscribe']> = async (topics, onMessage): Promise<ConnectorSubscription> => {
      const sub = new Redis({
        host: str(config, 'host') ?? '127.0.0.1',
        port: num(config, 'port') ?? 6379,
        ...(str(config, 'user') ? { username: str(config, 'user') } : {}),
        ...(str(config, 'password') ? { password: str(config, 'password') } : {}),
        db,
        lazyConnect: true,
        connectTimeout: t.connectMs,
        autoResubscribe: true,
        retryStrategy: (times) => Math.min(times * 200, 2000),
      });
      let subError: Error | undefined;
      sub.on('error', (err: Error) => {
        subError = err;
      });
      const isPattern = (x: string): boolean => /[*?[]/.test(x);
      const channels = topics.filter((x) => !isPattern(x));
      const patterns = topics.filter(isPattern);
      const hand = (topic: string, message: string, subscription: string): void => void onMessage({ topic, message, subscription }).catch(() => undefined);
      sub.on('message', (channel: string, message: string) => hand(channel, message, channel));
      sub.on('pmessage', (pattern: string, channel: string, message: string) => hand(channel, message, pattern));
      try {
        await sub.connect().catch((err: unknown) => {
          throw subError ?? err;
        });
        if (channels.length > 0) await sub.subscribe(...channels);
        if (patterns.length > 0) await sub.psubscribe(...patterns);
      } catch (err) {
        sub.disconnect();
        throw err;
      }
      return {
        close: async () => {
          await sub.quit().catch(() => sub.disconnect());
        },
      };
    };
    return {
      subscribe,
      check: async () => {
        await (await ready()).ping();
      },
      command: async (method, args) => {
        switch (method) {
          case 'query':
            return toJson(await raw(args));
          case 'publish':
            return toJson(await (await ready()).publish(String(args[0]), payload(args[1])));
          case 'check':
            await (await ready()).ping();
            return true;
          default:
            throw unknownCommand('redis', method, COMMANDS);
        }
      },
      close: async () => {
        const c = client;
        client = undefined;
        if (c) await c.quit().catch(() => c.disconnect());
      },
    };
  },
};
