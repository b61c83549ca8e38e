/**
 * Connector subscriptions (docs/connectors.md) against the real brokers on 127.0.0.1: an MQTT
 * publish, a Redis publish (channel and pattern), an AMQP message and a NATS message each run
 * their handler function as a task on queue #6 (origin `connector`, as DataFlux Func's) with `topic` and
 * `message`; sub-info counts them; a modified connector moves its subscription, a deleted one
 * stops it.
 */
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import { connect as natsConnect } from 'nats';
import { describe, expect, it } from 'vitest';
import type { TaskRecordRow } from '../src/domain/ports/store.js';
import { useTestStack } from '../src/testing/test-stack.js';

const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

const MAIN = `
@DFF.API('On message')
def on_msg(topic, message):
    return {'topic': topic, 'message': message}
`;

const t = useTestStack({ sub__main: MAIN }, {}, { subscriptionPollMs: 300 });

interface SubInfo {
  topic: string;
  funcId: string;
  state: string;
  error: string | null;
  received: number;
  dispatched: number;
  failed: number;
  lastMessageTime: number | null;
  queue: number;
}

/** Retries `check` until it stops throwing; after `timeoutMs`, its last error. */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const subInfo = async (id: string): Promise<SubInfo[]> => {
  const r = await t.admin('GET', `/api/v1/connectors/${id}/sub-info/do/list`);
  expect(r.status, r.text).toBe(200);
  return r.data as SubInfo[];
};
const subscribed = (id: string, topic: string): Promise<void> =>
  eventually(async () => {
    const s = (await subInfo(id)).find((x) => x.topic === topic);
    expect(s?.state, JSON.stringify(s)).toBe('subscribed');
  }, 15_000);
const addConnector = async (id: string, type: string, configJSON: Record<string, unknown>): Promise<void> => {
  const r = await t.admin('POST', '/api/v1/connectors/do/add', { data: { id, type, configJSON } });
  expect(r.status, r.text).toBe(200);
};
const handlers = (...topics: string[]): { topic: string; funcId: string }[] => topics.map((topic) => ({ topic, funcId: 'sub__main.on_msg' }));
const records = (connectorId: string): Promise<TaskRecordRow[]> => t.stack.store.taskRecords.list({ origin: 'connector', originId: connectorId }, { limit: 100 });
/** The tasks of `connectorId` once they all succeeded, `n` of them. */
const handled = async (connectorId: string, n: number): Promise<TaskRecordRow[]> => {
  let out: TaskRecordRow[] = [];
  await eventually(async () => {
    out = await records(connectorId);
    expect(out.length).toBe(n);
    for (const r of out) expect(r.status, r.exceptionTEXT ?? '').toBe('success');
  }, 20_000);
  return out;
};

describe('subscriptions run their handler on queue #6', () => {
  it('MQTT: a QoS 1 publish matching a wildcard filter', async () => {
    const id = `mq_${RUN}`;
    const filter = `func-test/${RUN}/+/state`;
    await addConnector(id, 'mqtt', { topicHandlers: handlers(filter) });
    await subscribed(id, filter);
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await pub.publishAsync(`func-test/${RUN}/dev1/state`, 'hello mqtt', { qos: 1 });
    await pub.endAsync();
    const [rec] = await handled(id, 1);
    expect(rec!.queue).toBe(6);
    expect(rec!.funcId).toBe('sub__main.on_msg');
    expect(rec!.kwargsJSON).toEqual({ topic: `func-test/${RUN}/dev1/state`, message: 'hello mqtt' });
    expect(rec!.returnValueJSON).toEqual({ topic: `func-test/${RUN}/dev1/state`, message: 'hello mqtt' });
    // sub-info serves the maintainer's snapshot, written every second.
    await eventually(async () => {
      const [info] = await subInfo(id);
      expect(info).toMatchObject({ topic: filter, funcId: 'sub__main.on_msg', received: 1, dispatched: 1, failed: 0, queue: 6 });
      expect(info!.lastMessageTime).toBeGreaterThan(Date.now() - 60_000);
    });
  });

  it('Redis: a channel and a pattern', async () => {
    const id = `rd_${RUN}`;
    const channel = `func-test:${RUN}:ch`;
    const pattern = `func-test:${RUN}:p:*`;
    await addConnector(id, 'redis', { topicHandlers: handlers(channel, pattern) });
    await subscribed(id, channel);
    await subscribed(id, pattern);
    const r = new Redis({ host: '127.0.0.1', port: 6379 });
    expect(await r.publish(channel, 'to the channel')).toBe(1);
    expect(await r.publish(`func-test:${RUN}:p:x`, JSON.stringify({ a: 1 }))).toBe(1);
    r.disconnect();
    const recs = await handled(id, 2);
    const got = recs.map((x) => x.kwargsJSON).sort((a, b) => String(a['topic']).localeCompare(String(b['topic'])));
    expect(got).toEqual([
      { topic: channel, message: 'to the channel' },
      { topic: `func-test:${RUN}:p:x`, message: '{"a":1}' },
    ]);
    for (const rec of recs) expect(rec.queue).toBe(6);
    await eventually(async () => {
      const info = await subInfo(id);
      expect(info.map((s) => [s.topic, s.received, s.dispatched])).toEqual([
        [channel, 1, 1],
        [pattern, 1, 1],
      ]);
    });
  });

  it('AMQP: a message on a queue, acked once its task is enqueued', async () => {
    const id = `am_${RUN}`;
    const queue = `func-test-${RUN}`;
    await addConnector(id, 'amqp', { topicHandlers: handlers(queue) });
    await subscribed(id, queue);
    const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
    const ch = await conn.createConfirmChannel();
    ch.sendToQueue(queue, Buffer.from('hello amqp'), { persistent: true });
    await ch.waitForConfirms();
    const [rec] = await handled(id, 1);
    expect(rec!.queue).toBe(6);
    expect(rec!.kwargsJSON).toEqual({ topic: queue, message: 'hello amqp' });
    // Acked: nothing left on the queue, nothing unacked.
    await eventually(async () => {
      const q = await ch.checkQueue(queue);
      expect(q.messageCount).toBe(0);
    });
    await ch.deleteQueue(queue);
    await conn.close();
  });

  it('NATS: a message on a subject with a wildcard', async () => {
    const id = `na_${RUN}`;
    const subject = `func-test.${RUN}.*`;
    await addConnector(id, 'nats', { topicHandlers: handlers(subject) });
    await subscribed(id, subject);
    const nc = await natsConnect({ servers: '127.0.0.1:4222' });
    nc.publish(`func-test.${RUN}.x`, 'hello nats');
    await nc.flush();
    await nc.close();
    const [rec] = await handled(id, 1);
    expect(rec!.queue).toBe(6);
    expect(rec!.kwargsJSON).toEqual({ topic: `func-test.${RUN}.x`, message: 'hello nats' });
  });

  it('a modified connector moves its subscription; a deleted one stops it', async () => {
    const id = `mv_${RUN}`;
    const a = `func-test/${RUN}/move/a`;
    const b = `func-test/${RUN}/move/b`;
    await addConnector(id, 'mqtt', { topicHandlers: handlers(a) });
    await subscribed(id, a);
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await pub.publishAsync(a, 'one', { qos: 1 });
    await handled(id, 1);

    const m = await t.admin('POST', `/api/v1/connectors/${id}/do/modify`, { data: { configJSON: { topicHandlers: handlers(b) } } });
    expect(m.status, m.text).toBe(200);
    await subscribed(id, b);
    await pub.publishAsync(a, 'to the old topic', { qos: 1 });
    await pub.publishAsync(b, 'two', { qos: 1 });
    const recs = await handled(id, 2);
    expect(recs.map((r) => r.kwargsJSON['message']).sort()).toEqual(['one', 'two']);

    const d = await t.admin('POST', `/api/v1/connectors/${id}/do/delete`, {});
    expect(d.status, d.text).toBe(200);
    // The maintainer drops it within its poll; then a publish reaches nobody.
    await eventually(() => {
      const snap = t.stack.subscriptions.snapshot();
      expect(snap.subscriptions.some((s) => s.connectorId === id)).toBe(false);
      return Promise.resolve();
    });
    await pub.publishAsync(b, 'after delete', { qos: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await records(id)).length).toBe(2);
    await pub.endAsync();
  });

  it('a handler naming no published function is refused on add and modify, naming the entry', async () => {
    const id = `nfr_${RUN}`;
    const config = {
      topicHandlers: [
        { topic: 'a', funcId: 'sub__main.on_msg' },
        { topic: 'b', funcId: 'sub__main.nope' },
      ],
    };
    const added = await t.admin('POST', '/api/v1/connectors/do/add', { data: { id, type: 'redis', configJSON: config } });
    expect(added.status, added.text).toBe(400);
    expect(added.body.detail?.field).toBe('configJSON.topicHandlers.1.funcId');
    expect(added.body.message).toContain('sub__main.nope');
    expect((await t.admin('GET', `/api/v1/connectors/${id}/do/get`)).status).toBe(404);
    await addConnector(id, 'redis', { topicHandlers: config.topicHandlers.slice(0, 1) });
    const modified = await t.admin('POST', `/api/v1/connectors/${id}/do/modify`, { data: { configJSON: config } });
    expect(modified.status, modified.text).toBe(400);
    expect(modified.body.detail?.field).toBe('configJSON.topicHandlers.1.funcId');
    // A disabled entry is not run: it may wait for its function.
    const disabled = { topicHandlers: [config.topicHandlers[0], { ...config.topicHandlers[1], isDisabled: true }] };
    const parked = await t.admin('POST', `/api/v1/connectors/${id}/do/modify`, { data: { configJSON: disabled } });
    expect(parked.status, parked.text).toBe(200);
  });

  it('a handler whose function is gone since (published again without it) counts the message as failed', async () => {
    const id = `nf_${RUN}`;
    const channel = `func-test:${RUN}:nofunc`;
    await t.publish('subgone__main', MAIN);
    await addConnector(id, 'redis', { topicHandlers: [{ topic: channel, funcId: 'subgone__main.on_msg' }] });
    await t.publish('subgone__main', "@DFF.API('Other')\ndef other():\n    return 1\n");
    // Its entry, unchanged, does not stop the connector being changed otherwise (the console sends the whole config).
    const renamed = await t.admin('POST', `/api/v1/connectors/${id}/do/modify`, {
      data: { title: 'renamed', configJSON: { topicHandlers: [{ topic: channel, funcId: 'subgone__main.on_msg' }] } },
    });
    expect(renamed.status, renamed.text).toBe(200);
    await subscribed(id, channel);
    const r = new Redis({ host: '127.0.0.1', port: 6379 });
    await r.publish(channel, 'x');
    r.disconnect();
    await eventually(async () => {
      const [s] = await subInfo(id);
      expect(s).toMatchObject({ received: 1, dispatched: 0, failed: 1 });
      expect(s!.error).toContain('subgone__main.on_msg');
    });
  });
});
