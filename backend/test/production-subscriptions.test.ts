/**
 * The subscription maintainer in production (docs/connectors.md): two servers on Redis and
 * MariaDB, one holding the `subscriptions` lease. MQTT QoS 1 and AMQP messages keep arriving while
 * the maintaining server is killed with SIGKILL; the standby takes over and every message still
 * becomes a task on queue #6 that succeeds (at least once: none lost).
 */
import amqp from 'amqplib';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, productionRoles, untilServing } from '../src/testing/processes.js';
import { httpClients, publishScript, type TestClient } from '../src/testing/test-client.js';

const HANDLER = `
@DFF.API('On message')
def on_msg(topic, message):
    return message
`;

const prod = productionRoles();
beforeAll(prod.up, 60_000);
afterAll(() => prod.down('SIGKILL'), 60_000);

async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a standby server takes the subscriptions over', () => {
  it('kill -9 of the maintaining server while MQTT QoS 1 and AMQP messages arrive loses none', async () => {
    const RUN = Date.now().toString(36);
    const second = await freePort();
    const s2 = prod.role(['server', '--port', String(second)]);
    await untilServing(s2, `http://127.0.0.1:${second}`);
    prod.role(['worker', '--queues', '6', '--name', 'worker-6', '--concurrency', '2']);
    const { client } = prod;
    await publishScript(client, 'psub__main', HANDLER);
    // Connector ids carry the run: the MQTT session (client id func_sub_<id>) is persistent in the
    // shared Mosquitto, so a fixed id would let another run's subscriber take this one's messages.
    const mq = `mq${RUN}`;
    const am = `am${RUN}`;
    const topic = `func-failover/${RUN}/#`;
    const queue = `func-failover-${RUN}`;
    await client.addConnector({ body: { data: { id: mq, type: 'mqtt', configJSON: { topicHandlers: [{ topic, funcId: 'psub__main.on_msg' }] } } } });
    await client.addConnector({ body: { data: { id: am, type: 'amqp', configJSON: { topicHandlers: [{ topic: queue, funcId: 'psub__main.on_msg' }] } } } });
    // sub-info's maintainer (its snapshot outlives a killed server by up to 15 s: `not` skips that one).
    const maintainer = async (c: TestClient, not?: string): Promise<string> =>
      until(async () => {
        const subs = [...(await c.listConnectorSubInfo({ params: { id: mq } })), ...(await c.listConnectorSubInfo({ params: { id: am } }))];
        const by = subs[0]?.maintainer ?? undefined;
        return subs.every((s) => s.state === 'subscribed' && s.maintainer === by) && by !== not ? by : undefined;
      }, 30_000);
    const first = await maintainer(client);
    const firstPort = Number(/server@(\d+)/.exec(first)![1]);
    const s1 = prod.processes[0]!;
    const killed = firstPort === second ? s2 : s1;
    const survivorBase = `http://127.0.0.1:${firstPort === second ? new URL(prod.base).port : second}`;
    let token = '';
    const survivor = httpClients(
      () => survivorBase,
      () => token,
    ).client;
    token = (await survivor.signIn({ body: { signIn: { username: 'admin', password: prod.env.FUNC_ADMIN_PASSWORD ?? '' } } })).xAuthToken;

    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
    const ch = await conn.createConfirmChannel();
    const N = 60;
    for (let i = 0; i < N; i++) {
      if (i === N / 3) await killed.kill('SIGKILL');
      await pub.publishAsync(`func-failover/${RUN}/m`, `mqtt-${i}`, { qos: 1 });
      ch.sendToQueue(queue, Buffer.from(`amqp-${i}`), { persistent: true });
      await ch.waitForConfirms();
      await new Promise((r) => setTimeout(r, 100));
    }
    await pub.endAsync();
    // The standby took over and every message became a task that succeeded.
    const next = await maintainer(survivor, first);
    expect(next).toContain(`server@${new URL(survivorBase).port}`);
    for (const [id, prefix] of [
      [mq, 'mqtt'],
      [am, 'amqp'],
    ] as const) {
      const read = async (): Promise<Set<string>> => {
        const recs = await survivor.listTaskRecords({ query: { origin: 'connector', originId: id, pageSize: 1000 } });
        return new Set(recs.filter((r) => r.status === 'success' && r.queue === 6).map((r) => String(r.returnValueJSON)));
      };
      const got = await until(async () => {
        const ok = await read();
        return ok.size >= N ? ok : undefined;
      }, 30_000).catch(read);
      expect([...got].sort()).toEqual(Array.from({ length: N }, (_, i) => `${prefix}-${i}`).sort());
    }
    await ch.deleteQueue(queue);
    await conn.close();
  }, 180_000);
});
