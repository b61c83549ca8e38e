/** MQTT connectors (Mosquitto, EMQX…): one mqtt.js client per connector; `publish(topic, message, qos, retain)`. */
import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import type { ConnectorClient, ConnectorDriver } from '../../domain/ports/connectors.js';
import { num, payload, str, unknownCommand, withTimeout } from './driver-kit.js';

const COMMANDS = ['publish', 'check'] as const;

export const mqttDriver: ConnectorDriver = {
  type: 'mqtt',
  create(config, t): ConnectorClient {
    let client: Promise<mqtt.MqttClient> | undefined;
    const ready = (): Promise<mqtt.MqttClient> => {
      client ??= mqtt
        .connectAsync(
          `mqtt://${str(config, 'host') ?? '127.0.0.1'}:${num(config, 'port') ?? 1883}`,
          {
            clientId: str(config, 'clientId') ?? `func-${randomBytes(6).toString('hex')}`,
            ...(str(config, 'user') ? { username: str(config, 'user') } : {}),
            ...(str(config, 'password') ? { password: str(config, 'password') } : {}),
            connectTimeout: t.connectMs,
            reconnectPeriod: 1000,
          },
          false,
        )
        .then((c) => {
          c.on('error', () => undefined);
          return c;
        })
        .catch((err: unknown) => {
          client = undefined;
          throw err;
        });
      return client;
    };
    const publish = async (topic: unknown, message: unknown, qos: unknown, retain: unknown): Promise<void> => {
      if (typeof topic !== 'string' || topic === '') throw new Error('the topic must be a non-empty string');
      const q = qos === 1 || qos === 2 ? qos : 0;
      const c = await ready();
      await withTimeout(c.publishAsync(topic, payload(message), { qos: q, retain: retain === true }), t.commandMs, 'MQTT publish');
    };
    return {
      check: async () => {
        await ready();
      },
      command: async (method, args, kwargs) => {
        switch (method) {
          case 'publish':
            await publish(args[0], args[1], args[2] ?? kwargs['qos'], args[3] ?? kwargs['retain']);
            return true;
          case 'check':
            await ready();
            return true;
          default:
            throw unknownCommand('mqtt', method, COMMANDS);
        }
      },
      close: async () => {
        const c = client;
        client = undefined;
        if (c) await (await c.catch(() => undefined))?.endAsync();
      },
    };
  },
};
