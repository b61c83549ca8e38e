/**
 * MQTT subscription throughput (issue 17): messages/s from an MQTT publisher (QoS 1) to the
 * completion of their handler tasks, in production mode (a `func server` maintaining the
 * subscription, a `func worker` with 2 Python processes on queue #6, Redis broker, MariaDB
 * records), beside Mosquitto's own floor measured in the same run: a plain subscriber's
 * publish → receive rate at QoS 1. Loss is checked: every message published must end as one
 * task run once (the broker's done counter of queue #6 and the maintainer's received/dispatched/failed counters).
 * BENCH_SUB_N messages (default 20,000), published with BENCH_SUB_INFLIGHT QoS 1 publishes in
 * flight (default 100). The bench runs its own Mosquitto on a free port: Mosquitto's default
 * `max_queued_messages 1000` drops QoS 1 messages queued for a subscriber slower than the publisher
 * beyond 1,000, so this one keeps up to 1,000,000 (docs/connectors.md says so for operators); its
 * other settings are the defaults (20 unacked messages in flight per subscriber).
 * Where the time goes: the CPU each process used per message during the Func run (from /proc):
 * the server, the worker's Node process, its Python processes, Mosquitto, Redis and MariaDB (the
 * last two are shared with whatever else runs on the machine) and the bench's own publisher.
 */
import mqtt from 'mqtt';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisBroker } from '../backend/src/adapters/broker/redis/redis-broker.js';
import { freePort } from '../backend/src/testing/processes.js';
import { httpClients, publishScript } from '../backend/src/testing/test-client.js';
import { elapsedMs, onCleanup, stopChild, trackChild, until } from './cleanup.js';
import { benchProductionEnv, startTracked } from './production.bench.js';
import { childrenCpuMs, ownCpuMs, pidOf, treeUsage } from './process-usage.js';

let MQTT_URL = '';
const REDIS_URL = process.env.FUNC_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.BENCH_SUB_N ?? 20_000);
const IN_FLIGHT = Number(process.env.BENCH_SUB_INFLIGHT ?? 100);
const QUEUE = 6;
const TARGET = 3000;

const HANDLER = `
@DFF.API('On message')
def on_msg(topic, message):
    return None
`;

/** Publishes `n` QoS 1 messages to `topic`, `IN_FLIGHT` at a time (each waits for its PUBACK); counts the acked ones in `progress`. */
async function publishAll(topic: string, n: number, progress = { published: 0 }): Promise<void> {
  const pub = await mqtt.connectAsync(MQTT_URL, { clientId: `bench-pub-${randomBytes(4).toString('hex')}` });
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < n) {
          const i = next++;
          await pub.publishAsync(topic, `m-${i}`, { qos: 1 });
          progress.published += 1;
        }
      }),
    );
  } finally {
    await pub.endAsync();
  }
}

/** Mosquitto's floor: a plain subscriber, publish → receive of n QoS 1 messages. */
async function mosquittoFloor(stamp: string): Promise<number> {
  const topic = `bench/${stamp}/floor`;
  const sub = await mqtt.connectAsync(MQTT_URL, { clientId: `bench-sub-${stamp}` });
  try {
    await sub.subscribeAsync(topic, { qos: 1 });
    let received = 0;
    const all = new Promise<void>((resolve) =>
      sub.on('message', () => {
        if (++received === N) resolve();
      }),
    );
    const t0 = process.hrtime.bigint();
    await publishAll(topic, N);
    await all;
    return N / (elapsedMs(t0) / 1000);
  } finally {
    await sub.endAsync();
  }
}

/** The pid of a running program by name (Redis, MariaDB: started outside the bench), if any. */
/** CPU ms so far of each part of the path (a process's own time; `python`: the worker's children, alive or recycled). */
function cpuByPart(pids: { server: number; worker: number; mosquitto: number; redis?: number; mariadb?: number }): Record<string, number> {
  const bench = process.cpuUsage();
  return {
    server: treeUsage([pids.server]).cpuMs,
    'worker (node)': ownCpuMs(pids.worker),
    'python (2)': childrenCpuMs(pids.worker),
    mosquitto: ownCpuMs(pids.mosquitto),
    'redis (shared)': ownCpuMs(pids.redis),
    'mariadb (shared)': ownCpuMs(pids.mariadb),
    'bench (publisher)': (bench.user + bench.system) / 1000,
  };
}

/** A Mosquitto of the bench's own on a free port (see the header); stopped at cleanup. */
async function startMosquitto(): Promise<{ port: number; pid: number }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'func-bench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 1000000\n`);
  const child = trackChild(spawn(process.env.FUNC_BENCH_MOSQUITTO ?? '/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' }));
  onCleanup('mosquitto', async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  });
  MQTT_URL = `mqtt://127.0.0.1:${port}`;
  await until(
    'Mosquitto',
    10_000,
    () =>
      mqtt.connectAsync(MQTT_URL, { reconnectPeriod: 0 }).then(
        (c) => c.endAsync().then(() => true),
        () => false,
      ),
    100,
  );
  return { port, pid: child.pid! };
}

export async function benchSubscriptions(): Promise<void> {
  const stamp = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const { port: mqttPort, pid: mosquittoPid } = await startMosquitto();
  const floor = await mosquittoFloor(stamp);
  console.log(`  Mosquitto floor (QoS 1, plain subscriber, ${IN_FLIGHT} publishes in flight): ${floor.toFixed(0)} msg/s`);

  const { env, prefix, drop } = await benchProductionEnv();
  const broker = new RedisBroker({ url: REDIS_URL, prefix, sweepEveryMs: 0 });
  const stopBroker = onCleanup('stats connection', () => broker.close());
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startTracked(['server', '--port', String(port)], env, 'func server (subscriptions)');
  const worker = startTracked(['worker', '--queues', String(QUEUE), '--name', 'bench-subs', '--concurrency', '2'], env, 'func worker (queue #6, 2 py)');
  try {
    await broker.ready();
    await until('the server', 30_000, async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true, 100);
    let token = '';
    const { client } = httpClients(
      () => base,
      () => token,
    );
    token = (await client.signIn({ body: { signIn: { username: 'admin', password: env.FUNC_ADMIN_PASSWORD ?? '' } } })).xAuthToken;
    await publishScript(client, 'bench__sub', HANDLER);
    const id = `bench_mqtt_${stamp}`;
    const topic = `bench/${stamp}/func/#`;
    await client.addConnector({ body: { data: { id, type: 'mqtt', configJSON: { host: '127.0.0.1', port: mqttPort, topicHandlers: [{ topic, funcId: 'bench__sub.on_msg' }] } } } });
    await until('the subscription', 30_000, async () => (await client.listConnectorSubInfo({ params: { id } }))[0]?.state === 'subscribed', 200);

    const done = async (): Promise<number> => (await broker.stats())[QUEUE]!.done;
    const before = await done();
    // Every second: published (acked by Mosquitto), dispatched to #6 (the maintainer's counter, as sub-info last wrote it), done.
    const progress = { published: 0 };
    const timeline: string[] = [];
    const tracer = setInterval(
      () =>
        void Promise.all([client.listConnectorSubInfo({ params: { id } }), done()]).then(
          ([info, d]) => void timeline.push(`${progress.published}/${info[0]?.dispatched ?? '?'}/${d - before}`),
          () => undefined,
        ),
      1000,
    );
    const pids = { server: server.role.child.pid!, worker: worker.role.child.pid!, mosquitto: mosquittoPid, redis: pidOf('redis-server'), mariadb: pidOf('mariadbd', 'mysqld') };
    const cpu0 = cpuByPart(pids);
    const t0 = process.hrtime.bigint();
    await publishAll(`bench/${stamp}/func/m`, N, progress);
    const publishedAt = elapsedMs(t0);
    await until(`${N} handler tasks done`, Number(process.env.BENCH_SUB_TIMEOUT_MS ?? 300_000), async () => (await done()) >= before + N, 20).catch(async (err: unknown) => {
      const info = (await client.listConnectorSubInfo({ params: { id } }))[0];
      throw new Error(`${String(err)}: ${(await done()) - before} done; queue #6 ${JSON.stringify((await broker.stats())[QUEUE])}; sub-info ${JSON.stringify(info)}`);
    });
    const wallMs = elapsedMs(t0);
    clearInterval(tracer);
    const rate = N / (wallMs / 1000);
    const cpu1 = cpuByPart(pids);
    // Nothing lost, nothing run twice: the done counter and the records agree with what was sent.
    await new Promise((r) => setTimeout(r, 1000));
    const extra = (await done()) - before - N;
    const info = (await client.listConnectorSubInfo({ params: { id } }))[0];
    const records = (await client.getTaskRecordCount({ query: { groupField: 'originId', groupIds: id } }))[id]?.count ?? 0;
    const lossless = extra === 0 && info?.received === N && info.dispatched === N && info.failed === 0;
    console.log(
      `  Func (mqtt connector → queue #6 → 2 py, production, MariaDB records): ${rate.toFixed(0)} msg/s to handler completion (published in ${(publishedAt / 1000).toFixed(1)} s), ` +
        `${(rate / floor).toFixed(2)}× the floor; received ${info?.received ?? '?'}, dispatched ${info?.dispatched ?? '?'}, failed ${info?.failed ?? '?'}, ` +
        `tasks done ${N + extra} of ${N} (task records kept: ${records}, the retention's share)`,
    );
    console.log(
      `\nMQTT subscription throughput (N=${N}, QoS 1): Func ${rate.toFixed(0)} msg/s, Mosquitto floor ${floor.toFixed(0)} msg/s, target ≥ ${TARGET}: ${rate >= TARGET ? 'MET' : 'MISSED'}; ${lossless ? 'every message received once and run once' : 'LOST OR DUPLICATED MESSAGES'}`,
    );
    console.log(`  each second, published / dispatched to #${QUEUE} (sub-info, up to 1 s old) / done: ${timeline.join('  ')}`);
    const parts = Object.keys(cpu1).map((k) => ({ k, ms: cpu1[k]! - cpu0[k]! }));
    const total = parts.reduce((a, p) => a + p.ms, 0);
    console.log(
      `  CPU per message, µs (${(total / wallMs).toFixed(2)} cores busy of the run's ${(wallMs / 1000).toFixed(1)} s): ` +
        parts.map((p) => `${p.k} ${((p.ms * 1000) / N).toFixed(0)}`).join(', ') +
        `; total ${((total * 1000) / N).toFixed(0)}`,
    );
    if (!lossless) throw new Error(`messages lost or run twice: ${N} published, ${N + extra} tasks done, sub-info ${JSON.stringify(info)}`);
    await client.deleteConnector({ params: { id } });
  } finally {
    await worker.stop();
    await server.stop();
    await stopBroker();
    await drop();
  }
}
