/** Redis connectors: one ioredis connection per connector (Redis pipelines its commands); `query` runs one raw command. */
import { Redis, type RedisOptions } from 'ioredis';
import type { ConnectorClient, ConnectorDriver, ConnectorSubscription } from '../../domain/ports/connectors.js';
import { connectorClient, lazyConnection, num, payload, releasingOnFailure, str, strOption, toJson } from './driver-kit.js';

/** Commands that would turn the shared connection into a subscriber or block it for everyone. */
const REFUSED = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'monitor', 'quit', 'shutdown', 'select', 'client']);

export const redisDriver: ConnectorDriver = {
  type: 'redis',
  create(config, t): ConnectorClient {
    /** A connected ioredis client of the config; a failed connect throws the socket's own error (ioredis says "Connection is closed."). */
    const connect = async (options: RedisOptions): Promise<Redis> => {
      const c = new Redis({
        host: str(config, 'host') ?? '127.0.0.1',
        port: num(config, 'port') ?? 6379,
        ...strOption(config, 'user', 'username'),
        ...strOption(config, 'password', 'password'),
        db: num(config, 'database') ?? 0,
        lazyConnect: true,
        connectTimeout: t.connectMs,
        ...options,
      });
      let lastError: Error | undefined;
      // Failures reach the commands; an unheard 'error' event would only be logged by ioredis.
      c.on('error', (err: Error) => {
        lastError = err;
      });
      return releasingOnFailure(
        () =>
          c.connect().then(
            async () => {
              // ioredis reports a refused SELECT (a database index the server does not have) as an
              // event and stays on database 0, and a password given to a server that has none as a
              // warning: the connector would have read and written database 0. Refused here, as
              // DataFlux Func's redis-py refuses both.
              if (lastError) throw lastError;
              if (str(config, 'password') !== undefined) await c.call('AUTH', ...(str(config, 'user') !== undefined ? [str(config, 'user')!] : []), str(config, 'password')!);
              return c;
            },
            (err: unknown) => {
              throw lastError ?? err;
            },
          ),
        () => c.disconnect(),
      );
    };
    const shared = lazyConnection(
      async (lost) => {
        const c = await connect({ commandTimeout: t.commandMs, maxRetriesPerRequest: 1, retryStrategy: (times) => (times > 5 ? null : Math.min(times * 200, 1000)) });
        c.on('end', lost);
        return c;
      },
      (c) => c.quit().catch(() => c.disconnect()),
    );
    const raw = async (args: readonly unknown[]): Promise<unknown> => {
      const [cmd, ...rest] = args;
      if (typeof cmd !== 'string' || cmd === '') throw new Error('a Redis command must start with its name');
      if (REFUSED.has(cmd.toLowerCase())) throw new Error(`the Redis command ${cmd.toUpperCase()} is not allowed on a connector (subscriptions are the connector's topicHandlers)`);
      return (await shared.get()).call(cmd, ...rest.map((a) => (typeof a === 'string' || typeof a === 'number' ? a : payload(a))));
    };
    /**
     * SUBSCRIBE (channels) and PSUBSCRIBE (a topic with `*`, `?` or `[`: a pattern) on a
     * connection of their own, resubscribed after a reconnect. Redis pub/sub has no
     * acknowledgement: at most once (a message published while nobody listens is gone).
     */
    const subscribe: NonNullable<ConnectorClient['subscribe']> = async (topics, onMessage): Promise<ConnectorSubscription> => {
      const sub = await connect({ autoResubscribe: true, retryStrategy: (times) => Math.min(times * 200, 2000) });
      const isPattern = (x: string): boolean => /[*?[]/.test(x);
      const channels = topics.filter((x) => !isPattern(x));
      const patterns = topics.filter(isPattern);
      const hand = (topic: string, message: string, subscription: string): void => void onMessage({ topic, message, subscription }).catch(() => undefined);
      sub.on('message', (channel: string, message: string) => hand(channel, message, channel));
      sub.on('pmessage', (pattern: string, channel: string, message: string) => hand(channel, message, pattern));
      await releasingOnFailure(
        async () => {
          if (channels.length > 0) await sub.subscribe(...channels);
          if (patterns.length > 0) await sub.psubscribe(...patterns);
        },
        () => sub.disconnect(),
      );
      return {
        close: async () => {
          await sub.quit().catch(() => sub.disconnect());
        },
      };
    };
    return connectorClient('redis', {
      connection: shared,
      subscribe,
      check: async () => (await shared.get()).ping(),
      commands: {
        query: async (args) => toJson(await raw(args)),
        publish: async (args) => toJson(await (await shared.get()).publish(String(args[0]), payload(args[1]))),
      },
    });
  },
};
