/**
 * AMQP 0-9-1 connectors (RabbitMQ): one amqplib connection and confirm channel per connector;
 * `publish(topic, message, exchange)` sends to the exchange (the config's, else the default one,
 * which routes to the queue named `topic`) and waits for the broker's confirm.
 */
import amqp from 'amqplib';
import type { ConnectorClient, ConnectorDriver, ConnectorSubscription } from '../../domain/ports/connectors.js';
import { connectorClient, lazyConnection, num, payload, releasingOnFailure, str, withTimeout } from './driver-kit.js';

interface Live {
  conn: amqp.ChannelModel;
  ch: amqp.ConfirmChannel;
}

/** Messages handed over and not acked yet per subscription, unless the caller says otherwise. */
const DEFAULT_PREFETCH = 100;

export const amqpDriver: ConnectorDriver = {
  type: 'amqp',
  create(config, t): ConnectorClient {
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
    const shared = lazyConnection<Live>(
      async (lost) => {
        const conn = await connect();
        conn.on('error', lost);
        conn.on('close', lost);
        const ch = await conn.createConfirmChannel();
        ch.on('error', lost);
        ch.on('close', lost);
        return { conn, ch };
      },
      (l) => l.conn.close().catch(() => undefined),
    );
    const publish = async (topic: unknown, message: unknown, exchange: unknown): Promise<void> => {
      if (typeof topic !== 'string') throw new Error('the topic (routing key) must be a string');
      const ex = typeof exchange === 'string' ? exchange : (str(config, 'exchange') ?? '');
      const { ch } = await shared.get();
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
      const tags: string[] = [];
      const pending = new Set<Promise<void>>();
      const ch = await releasingOnFailure(
        async () => {
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
          const ch = await conn.createChannel();
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
            const { consumerTag } = await ch.consume(
              queue,
              (msg) => {
                if (!msg) return lost(new Error(`the AMQP queue ${queue} was deleted`));
                const p = onMessage({ topic: msg.fields.routingKey || queue, message: msg.content.toString('utf8'), subscription: queue }).then(
                  () => ch.ack(msg),
                  () => ch.nack(msg, false, true),
                );
                // An ack on a closed channel throws: the message goes back to its queue anyway.
                const settled = p.catch(() => undefined).finally(() => pending.delete(settled));
                pending.add(settled);
              },
              { noAck: false },
            );
            tags.push(consumerTag);
          }
          return ch;
        },
        () => {
          closing = true;
          return conn.close();
        },
      );
      return {
        close: async () => {
          closing = true;
          // Stop the deliveries, let the messages in hand be acked (bounded), then close: what is still unacked goes back to its queue.
          await Promise.all(tags.map((tag) => ch.cancel(tag).catch(() => undefined)));
          await withTimeout(Promise.all([...pending]), 5_000, 'AMQP acks').catch(() => undefined);
          await conn.close().catch(() => undefined);
        },
      };
    };
    return connectorClient('amqp', {
      connection: shared,
      subscribe,
      commands: {
        publish: (args, kwargs) => publish(args[0], args[1], args[2] ?? kwargs['exchange']),
      },
    });
  },
};
