/** NATS connectors: one nats.js connection per connector; `publish(subject, message)` flushed to the server, `request` waits for one reply. */
import { connect, type ConnectionOptions } from 'nats';
import type { ConnectorClient, ConnectorDriver, ConnectorSubscription } from '../../domain/ports/connectors.js';
import { connectorClient, lazyConnection, num, payload, releasingOnFailure, str, strOption, withTimeout } from './driver-kit.js';

export const natsDriver: ConnectorDriver = {
  type: 'nats',
  create(config, t): ConnectorClient {
    const options = (name: string): ConnectionOptions => ({
      servers: `${str(config, 'host') ?? '127.0.0.1'}:${num(config, 'port') ?? 4222}`,
      ...strOption(config, 'user', 'user'),
      ...strOption(config, 'password', 'pass'),
      ...strOption(config, 'token', 'token'),
      timeout: t.connectMs,
      name,
    });
    const shared = lazyConnection(
      async (lost) => {
        const c = await connect(options('func-connector'));
        void c.closed().then(lost);
        return c;
      },
      (c) => c.close(),
    );
    const subject = (v: unknown): string => {
      if (typeof v !== 'string' || v === '') throw new Error('the subject must be a non-empty string');
      return v;
    };
    /**
     * Core NATS subscriptions on a connection of their own (reconnecting for ever): at most once,
     * as core NATS delivers — a message published while no maintainer is connected is gone.
     */
    const subscribe: NonNullable<ConnectorClient['subscribe']> = async (topics, onMessage, opts): Promise<ConnectorSubscription> => {
      const c = await connect({ ...options(`func-sub-${opts.subscriberId}`), maxReconnectAttempts: -1 });
      for (const subject of topics) {
        c.subscribe(subject, {
          callback: (err, msg) => {
            if (err) return;
            void onMessage({ topic: msg.subject, message: msg.string(), subscription: subject }).catch(() => undefined);
          },
        });
      }
      await releasingOnFailure(
        () => withTimeout(c.flush(), t.commandMs, 'NATS subscribe'),
        () => c.close(),
      );
      void c.closed().then((err) => {
        if (err) opts.onLost?.(err);
      });
      return { close: () => c.drain().catch(() => c.close()) };
    };
    return connectorClient('nats', {
      connection: shared,
      subscribe,
      check: async () => (await shared.get()).flush(),
      commands: {
        publish: async (args) => {
          const c = await shared.get();
          c.publish(subject(args[0]), payload(args[1]));
          await withTimeout(c.flush(), t.commandMs, 'NATS publish');
        },
        request: async (args, kwargs) => {
          const timeout = Number(args[2] ?? kwargs['timeout'] ?? t.commandMs / 1000) * 1000;
          const reply = await (await shared.get()).request(subject(args[0]), payload(args[1]), { timeout: Math.min(Math.max(timeout, 1), t.commandMs) });
          return reply.string();
        },
      },
    });
  },
};
