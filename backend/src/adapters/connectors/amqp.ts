/**
 * AMQP 0-9-1 connectors (RabbitMQ): one amqplib connection and confirm channel per connector;
 * `publish(topic, message, exchange)` sends to the exchange (the config's, else the default one,
 * which routes to the queue named `topic`) and waits for the broker's confirm.
 */
import amqp from 'amqplib';
import type { ConnectorClient, ConnectorDriver } from '../../domain/ports/connectors.js';
import { num, payload, str, unknownCommand, withTimeout } from './driver-kit.js';

const COMMANDS = ['publish', 'check'] as const;

interface Live {
  conn: amqp.ChannelModel;
  ch: amqp.ConfirmChannel;
}

export const amqpDriver: ConnectorDriver = {
  type: 'amqp',
  create(config, t): ConnectorClient {
    let live: Promise<Live> | undefined;
    const ready = (): Promise<Live> => {
      live ??= (async () => {
        const conn = await amqp.connect(
          {
            protocol: 'amqp',
            hostname: str(config, 'host') ?? '127.0.0.1',
            port: num(config, 'port') ?? 5672,
            username: str(config, 'user') ?? 'guest',
            password: str(config, 'password') ?? 'guest',
            vhost: str(config, 'vhost') ?? '/',
          },
          { timeout: t.connectMs },
        );
        const drop = (): void => {
          live = undefined;
        };
        conn.on('error', drop);
        conn.on('close', drop);
        const ch = await conn.createConfirmChannel();
        ch.on('error', drop);
        ch.on('close', drop);
        return { conn, ch };
      })().catch((err: unknown) => {
        live = undefined;
        throw err;
      });
      return live;
    };
    const publish = async (topic: unknown, message: unknown, exchange: unknown): Promise<void> => {
      if (typeof topic !== 'string') throw new Error('the topic (routing key) must be a string');
      const ex = typeof exchange === 'string' ? exchange : (str(config, 'exchange') ?? '');
      const { ch } = await ready();
      ch.publish(ex, topic, Buffer.from(payload(message)), { persistent: true });
      await withTimeout(ch.waitForConfirms(), t.commandMs, 'AMQP publish confirm');
    };
    return {
      check: async () => {
        await ready();
      },
      command: async (method, args, kwargs) => {
        switch (method) {
          case 'publish':
            await publish(args[0], args[1], args[2] ?? kwargs['exchange']);
            return true;
          case 'check':
            await ready();
            return true;
          default:
            throw unknownCommand('amqp', method, COMMANDS);
        }
      },
      close: async () => {
        const l = live;
        live = undefined;
        const got = await l?.catch(() => undefined);
        await got?.conn.close().catch(() => undefined);
      },
    };
  },
};
