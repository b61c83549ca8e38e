/**
 * The maintainer's half-second timer (backlog and counters) runs while a subscription runs and
 * only then: with the connectors re-read once a minute, a message's count still reaches sub-info
 * within a second or two (the timer publishes it), and with the connector gone the timer stops
 * and the passes stop writing the snapshot (written once, then once a minute).
 */
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { SUB_INFO_KEY, type SubInfo, type SubInfoSnapshot } from '../src/subscriptions/maintainer.js';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const MAIN = `
@DFF.API('On message')
def on_msg(topic, message):
    return message
`;

const t = useTestStack({ subt__main: MAIN }, {}, { subscriptionPollMs: 60_000 });

const snapshot = async (): Promise<SubInfoSnapshot | undefined> => (await t.stack.store.expiring.get(SUB_INFO_KEY, Date.now()))?.value as SubInfoSnapshot | undefined;
const hasTimer = (): boolean => (t.stack.subscriptions as unknown as { depthTimer?: unknown }).depthTimer !== undefined;

describe('the subscription maintainer wakes up only while subscriptions run', () => {
  it('publishes a message count between passes while subscribed, and holds no timer once the connector is gone', async () => {
    expect(hasTimer()).toBe(false);
    const id = `mqt_${RUN}`;
    const topic = `func-timers/${RUN}`;
    const added = await t.admin('POST', '/api/v1/connectors/do/add', { data: { id, type: 'mqtt', configJSON: { topicHandlers: [{ topic, funcId: 'subt__main.on_msg' }] } } });
    expect(added.status, added.text).toBe(200);
    await t.stack.subscriptions.reconcile();
    const sub = async (): Promise<SubInfo | undefined> => (await snapshot())?.subscriptions.find((s) => s.connectorId === id);
    await eventually(async () => ((await sub())?.state === 'subscribed' ? true : undefined), 15_000, 'the subscription');
    expect(hasTimer()).toBe(true);
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await pub.publishAsync(topic, 'hello', { qos: 1 });
    await pub.endAsync();
    // No pass runs for a minute: only the timer can publish the count.
    await eventually(async () => ((await sub())?.received === 1 ? true : undefined), 3_000, 'the count in sub-info');
    const deleted = await t.admin('POST', `/api/v1/connectors/${id}/do/delete`);
    expect(deleted.status, deleted.text).toBe(200);
    await t.stack.subscriptions.reconcile();
    expect(hasTimer()).toBe(false);
    // Nothing subscribed: that pass wrote the empty snapshot, the next passes write nothing.
    expect((await snapshot())?.subscriptions).toEqual([]);
    const expiring = t.stack.store.expiring;
    const set = expiring.set.bind(expiring);
    let writes = 0;
    expiring.set = (...args) => {
      writes++;
      return set(...args);
    };
    try {
      for (let i = 0; i < 3; i++) await t.stack.subscriptions.reconcile();
      expect(writes).toBe(0);
    } finally {
      expiring.set = set;
    }
  });
});
