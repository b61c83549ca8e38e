/** MQTT connectors (Mosquitto, EMQX…): one mqtt.js client per connector; `publish(topic, message, qos, retain)`. */
import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import type { ConnectorClient, ConnectorDriver, ConnectorSubscription } from '../../domain/ports/connectors.js';
import { connectorClient, lazyConnection, num, payload, releasingOnFailure, str, strOption, withTimeout } from './driver-kit.js';

/** Does `topic` match the MQTT filter (`+` one level, `#` the rest; a `$share/group/` prefix is dropped)? */
export function mqttTopicMatches(filter: string, topic: string): boolean {
  const f = filter.startsWith('$share/') ? filter.split('/').slice(2).join('/') : filter;
  const fp = f.split('/');
  const tp = topic.split('/');
  // `+` and `#` at the start do not match topics beginning with `$` (MQTT 4.7.2).
  if (topic.startsWith('$') && (fp[0] === '+' || fp[0] === '#')) return false;
  for (let i = 0; i < fp.length; i++) {
    if (fp[i] === '#') return true;
    if (i >= tp.length) return false;
    if (fp[i] !== '+' && fp[i] !== tp[i]) return false;
  }
  return fp.length === tp.length;
}

type SendPacket = (packet: { cmd: string; messageId?: number }, callback?: () => void, ...rest: unknown[]) => void;

/**
 * A message is PUBACKed once its task is enqueued, never before, and PUBACKs go out in the order
 * the PUBLISHes came (MQTT 3.1.1, 4.6.0-2). mqtt.js handles one packet at a time and sends the
 * PUBACK from handleMessage's callback, so awaiting the enqueue there would allow one message per
 * enqueue round trip. Instead handleMessage answers at once and the PUBACK mqtt.js then sends is
 * held here until that message's enqueue (and every earlier one's) has resolved; the broker's
 * window of unacked messages (Mosquitto: 20) bounds how many are enqueued at once. A failed enqueue
 * drops the connection, so that the broker sends every unacked message again with the session.
 * Answers the map the subscription fills: message id → its enqueue.
 */
function holdPubacks(sub: mqtt.MqttClient): Map<number, Promise<void>> {
  const held = new Map<number, Promise<void>>();
  const internals = sub as unknown as { _sendPacket: SendPacket };
  const send: SendPacket = internals._sendPacket.bind(sub);
  let inOrder: Promise<void> = Promise.resolve();
  internals._sendPacket = (packet, callback, ...rest) => {
    const enqueued = packet.cmd === 'puback' && packet.messageId !== undefined ? held.get(packet.messageId) : undefined;
    if (enqueued === undefined) {
      send(packet, callback, ...rest);
      return;
    }
    held.delete(packet.messageId!);
    const stream = sub.stream;
    inOrder = Promise.all([inOrder, enqueued]).then(
      () => {
        if (sub.stream === stream && !stream.destroyed) send(packet, undefined, ...rest);
      },
      () => void stream.destroy(),
    );
    callback?.(); // mqtt.js goes on with the next packet
  };
  sub.on('close', () => held.clear());
  return held;
}

export const mqttDriver: ConnectorDriver = {
  type: 'mqtt',
  create(config, t): ConnectorClient {
    const url = `mqtt://${str(config, 'host') ?? '127.0.0.1'}:${num(config, 'port') ?? 1883}`;
    const clientOptions: mqtt.IClientOptions = {
      ...strOption(config, 'user', 'username'),
      ...strOption(config, 'password', 'password'),
      connectTimeout: t.connectMs,
      reconnectPeriod: 1000,
    };
    const shared = lazyConnection(
      async () => {
        const c = await mqtt.connectAsync(url, { ...clientOptions, clientId: str(config, 'clientId') ?? `func-${randomBytes(6).toString('hex')}` }, false);
        c.on('error', () => undefined);
        return c;
      },
      (c) => c.endAsync(),
    );
    const publish = async (topic: unknown, message: unknown, qos: unknown, retain: unknown): Promise<void> => {
      if (typeof topic !== 'string' || topic === '') throw new Error('the topic must be a non-empty string');
      const q = qos === 1 || qos === 2 ? qos : 0;
      const c = await shared.get();
      await withTimeout(c.publishAsync(topic, payload(message), { qos: q, retain: retain === true }), t.commandMs, 'MQTT publish');
    };
    const subscribe: NonNullable<ConnectorClient['subscribe']> = async (topics, onMessage, options): Promise<ConnectorSubscription> => {
      // A persistent session (clean: false) under a stable client id: the broker keeps the
      // subscriptions and the QoS 1 messages not acked yet while nobody is connected (a server
      // handing over to another one), and sends them to whoever connects with that id next.
      const sub = mqtt.connect(url, {
        ...clientOptions,
        clientId: `${str(config, 'clientId') ?? 'func'}_sub_${options.subscriberId}`.slice(0, 128),
        clean: false,
        resubscribe: true,
      });
      sub.on('error', () => undefined);
      // Set before the CONNACK: the broker sends the session's queued messages right after it.
      const held = holdPubacks(sub);
      sub.handleMessage = (packet, callback) => {
        const topic = packet.topic;
        const filter = topics.find((f) => mqttTopicMatches(f, topic)) ?? topic;
        const enqueued = onMessage({ topic, message: Buffer.isBuffer(packet.payload) ? packet.payload.toString('utf8') : packet.payload, subscription: filter });
        if (packet.qos > 0 && packet.messageId !== undefined) held.set(packet.messageId, enqueued);
        else enqueued.catch(() => undefined); // QoS 0: nothing to ack, nothing the broker would send again
        callback();
      };
      await releasingOnFailure(
        async () => {
          await withTimeout(
            new Promise<void>((resolve, reject) => {
              sub.once('connect', () => resolve());
              sub.once('error', reject);
            }),
            t.connectMs,
            'MQTT connect',
          );
          await withTimeout(sub.subscribeAsync([...topics], { qos: 1 }), t.commandMs, 'MQTT subscribe');
        },
        () => sub.endAsync(true),
      );
      return {
        close: async (opts) => {
          // A plain disconnect keeps the persistent session's subscriptions (and queued messages) for the next maintainer.
          if (opts?.unsubscribe === true && sub.connected) await withTimeout(sub.unsubscribeAsync([...topics]), t.commandMs, 'MQTT unsubscribe').catch(() => undefined);
          await sub.endAsync().catch(() => undefined);
        },
      };
    };
    return connectorClient('mqtt', {
      connection: shared,
      subscribe,
      commands: {
        publish: (args, kwargs) => publish(args[0], args[1], args[2] ?? kwargs['qos'], args[3] ?? kwargs['retain']),
      },
    });
  },
};
