/** NATS connectors: one nats.js connection per connector; `publish(subject, message)` flushed to the server, `request` waits for one reply. */
import { connect, type NatsConnection } from 'nats';
import type { ConnectorClient, ConnectorDriver, ConnectorSubscription } from '../../domain/ports/connectors.js';
import { num, payload, str, unknownCommand, withTimeout } from './driver-kit.js';

const COMMANDS = ['publish', 'request', 'check'] as const;

export const natsDriver: ConnectorDriver = {
  type: 'nats',
  create(config, t): ConnectorClient {
    let nc: Promise<NatsConnection> | undefined;
    const ready = (): Promise<NatsConnection> => {
      nc ??= connect({
        servers: `${str(config, 'host') ?? '127.0.0.1'}:${num(config, 'port') ?? 4222}`,
        ...(str(config, 'user') ? { user: str(config, 'user') } : {}),
        ...(str(config, 'password') ? { pass: str(config, 'password') } : {}),
        ...(str(config, 'token') ? { token: str(config, 'token') } : {}),
        timeout: t.connectMs,
        name: 'func-connector',
      })
        .then((c) => {
          void c.closed().then(() => {
            nc = undefined;
          });
          return c;
        })
        .catch((err: unknown) => {
          nc = undefined;
          throw err;
        });
      return nc;
    };
    const subject = (v: unknown): string => {
      if (typeof v !== 'string' || v === '') throw new Error('the subject must be a non-empty string');
      return v;
    };
    /**
     * Core NATS subscriptions on a connection of their own (reconnecting for ever): at most once,
     * as core NATS delivers — a message published while no maintainer is connected is gone.
     */
    const subscribe: NonNullable<ConnectorClient['subscribe']> = async (topics, onMessage, options): Promise<ConnectorSubscription> => {
      const c = await connect({
        servers: `${str(config, 'host') ?? '127.0.0.1'}:${num(config, 'port') ?? 4222}`,
        ...(str(config, 'user') ? { user: str(config, 'user') } : {}),
        ...(str(config, 'password') ? { pass: str(config, 'password') } : {}),
        ...(str(config, 'token') ? { token: str(config, 'token') } : {}),
        timeout: t.connectMs,
        name: `func-sub-${options.subscriberId}`,
        maxReconnectAttempts: -1,
      });
      for (const subject of topics) {
        c.subscribe(subject, {
          callback: (err, msg) => {
            if (err) return;
            void onMessage({ topic: msg.subject, message: msg.string(), subscription: subject }).catch(() => undefined);
          },
        });
      }
      try {
        await withTimeout(c.flush(), t.commandMs, 'NATS subscribe');
      } catch (err) {
        await c.close().catch(() => undefined);
        throw err;
      }
      void c.closed().then((err) => {
        if (err) options.onLost?.(err);
      });
      return {
        close: async () => {
          await c.drain().catch(() => c.close());
        },
      };
    };
    return {
      subscribe,
      check: async () => {
        await (await ready()).flush();
      },
      command: async (method, args, kwargs) => {
        switch (method) {
          case 'publish': {
            const c = await ready();
            c.publish(subject(args[0]), payload(args[1]));
            await withTimeout(c.flush(), t.commandMs, 'NATS publish');
            return true;
          }
          case 'request': {
            const timeout = Number(args[2] ?? kwargs['timeout'] ?? t.commandMs / 1000) * 1000;
            const reply = await (await ready()).request(subject(args[0]), payload(args[1]), { timeout: Math.min(Math.max(timeout, 1), t.commandMs) });
            return reply.string();
          }
          case 'check':
            await (await ready()).flush();
            return true;
          default:
            throw unknownCommand('nats', method, COMMANDS);
        }
      },
      close: async () => {
        const c = nc;
        nc = undefined;
        await (await c?.catch(() => undefined))?.close();
      },
    };
  },
};
