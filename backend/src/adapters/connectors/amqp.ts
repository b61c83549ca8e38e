/**
 * AMQP 0-9-1 connectors (RabbitMQ): one amqplib connection and confirm channel per connector;
 * `publish(topic, message, exchange)` sends to the exchange (the config's, else the default one,
 * which routes to the queue named `topic`) and waits for the broker's confirm.
 */
import amqp from 'amqplib';
import type { ConnectorClient, ConnectorDriver, ConnectorSubscription } from '../../domain/ports/connectors.js';
import { num, payload, str, unknownCommand, withTimeout } from './driver-kit.js';

const COMMANDS = ['publish', 'check'] as const;

interface Live {
  conn: amqp.ChannelModel;
  ch: amqp.ConfirmChannel;
}

/** Messages handed over and not acked yet per subscription, unless the caller says otherwise. */
const DEFAULT_PREFETCH = 100;

export const amqpDriver: ConnectorDriver = {
  type: 'amqp',
  create(config, t): ConnectorClient {
    let live: Promise<Live> | undefined;
    const connect = (): Promise<amqp.ChannelModel> =>
      amqp.connect(
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
    const ready = (): Promise<Live> => {
      live ??= (async () => {
        const conn = await connect();
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
    /**
     * Consumes each queue (declared durable when missing) on a connection of its own with manual
     * acks: a message is acked once onMessage resolves (its task enqueued), requeued when it
     * rejects; at most `prefetch` are unacked at a time. A lost connection ends the subscription
     * (onLost); unacked messages go back to their queue.
     */
    const subscribe: NonNullable<ConnectorClient['subscribe']> = async (topics, onMessage, options): Promise<ConnectorSubscription> => {
      const conn = await connect();
      let closing = false;
      let ch: amqp.Channel | undefined;
      const tags: string[] = [];
      const pending = new Set<Promise<void>>();
      try {
        for (const queue of topics) {
          const probe = await conn.createChannel();
          probe.on('error', () => undefined);
          const exists = await probe.checkQueue(queue).then(
            () => true,
            () => false,
          );
          if (exists) await probe.close().catch(() => undefined);
          else {
            const decl = await conn.createChannel();
            await decl.assertQueue(queue, { durable: true });
            await decl.close();
          }
        }
        ch = await conn.createChannel();
        await ch.prefetch(options.prefetch ?? DEFAULT_PREFETCH);
        const lost = (err?: Error): void => {
          if (!closing) options.onLost?.(err ?? new Error('the AMQP connection closed'));
          closing = true;
        };
        conn.on('error', lost);
        conn.on('close', () => lost());
        ch.on('error', lost);
        ch.on('close', () => lost());
        for (const queue of topics) {
          const channel = ch;
          const { consumerTag } = await channel.consume(
            queue,
            (msg) => {
              if (!msg) return lost(new Error(`the AMQP queue ${queue} was deleted`));
              const p = onMessage({ topic: msg.fields.routingKey || queue, message: msg.content.toString('utf8'), subscription: queue }).then(
                () => channel.ack(msg),
                () => channel.nack(msg, false, true),
              );
              // An ack on a closed channel throws: the message goes back to its queue anyway.
              const settled = p.catch(() => undefined).finally(() => pending.delete(settled));
              pending.add(settled);
            },
            { noAck: false },
          );
          tags.push(consumerTag);
        }
      } catch (err) {
        closing = true;
        await conn.close().catch(() => undefined);
        throw err;
      }
      return {
        close: async () => {
          closing = true;
          // Stop the deliveries, let the messages in hand be acked (bounded), then close: what is still unacked goes back to its queue.
          await Promise.all(tags.map((tag) => ch?.cancel(tag).catch(() => undefined)));
          await withTimeout(Promise.all([...pending]), 5_000, 'AMQP acks').catch(() => undefined);
          await conn.close().catch(() => undefined);
        },
      };
    };
    return {
      subscribe,
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
