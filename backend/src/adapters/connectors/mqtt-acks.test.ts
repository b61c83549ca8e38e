/**
 * The MQTT subscription's PUBACKs, against the Mosquitto at 127.0.0.1:1883: a message is acked only
 * once its enqueue resolved, and in the order the messages came, while later messages are handed
 * on without waiting. Seen from the broker: what it sends again to the next session is exactly
 * what was not acked.
 */
import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { mqttDriver } from './mqtt.js';

const stamp = randomBytes(4).toString('hex');
const topic = `func-test/acks/${stamp}`;
const subscriberId = `acks_${stamp}`;
const client = mqttDriver.create({ host: '127.0.0.1', port: 1883 }, { connectMs: 5000, commandMs: 5000 });

afterAll(async () => {
  await client.close();
});

const until = async (what: string, check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('MQTT subscription acks', () => {
  it('acks a message once its task is enqueued, in arrival order, without holding later messages back', async () => {
    const seen: string[] = [];
    let releaseB: () => void = () => undefined;
    const first = await client.subscribe!(
      [topic],
      (m) => {
        seen.push(m.message);
        // b's enqueue is still going when the session ends; a and c are done at once.
        return m.message === 'b' ? new Promise<void>((resolve) => (releaseB = resolve)) : Promise.resolve();
      },
      { subscriberId },
    );
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    for (const m of ['a', 'b', 'c']) await pub.publishAsync(topic, m, { qos: 1 });
    // c is handed on while b's enqueue waits: the packet loop is not held.
    await until('a, b and c', () => seen.length === 3);
    expect(seen).toEqual(['a', 'b', 'c']);
    await new Promise((r) => setTimeout(r, 200)); // a's PUBACK is on its way; c's waits behind b's
    await first.close();
    releaseB(); // too late: that session is gone

    // The next session gets what was not acked: b (not enqueued in time) and c (behind b), not a.
    const again: string[] = [];
    const second = await client.subscribe!(
      [topic],
      (m) => {
        again.push(m.message);
        return Promise.resolve();
      },
      { subscriberId },
    );
    await until('the unacked messages again', () => again.length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(again).toEqual(['b', 'c']);
    await second.close({ unsubscribe: true });
    await pub.endAsync();
  });
});
