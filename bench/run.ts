/**
 * `npm run bench`: every benchmark prints its numbers beside a baseline measured in the same run.
 * BENCH_ONLY=name[,name] runs some parts: sync (embedded sync call), console, broker (Redis broker
 * round trips), production (Func on Redis + MySQL), production-sqlite (Func on Redis + SQLite),
 * peers (BullMQ and Celery), queue-position (GET of a task waiting at ~10,000 beside a finished one),
 * many-units (16 units beside 6 in production mode: idle Redis commands and CPU, sync p50),
 * subscriptions (MQTT QoS 1 messages to handler completion beside Mosquitto's own floor),
 * footprint (idle RSS and CPU of `func up`, first call after idling, beside bare node/python3),
 * cron (100,000 cron jobs fired by `func beat`: fire delay, beat CPU, store queries per tick),
 * cost (CPU per task, process by process, of HTTP async enqueue and of a sync call).
 * Everything started is cleaned up, also on failure. The roles run the built JavaScript, as users
 * run them (dist/, rebuilt first when older than its sources; BENCH_ROLES=tsx runs the sources).
 */
import { spawnSync } from 'node:child_process';
import { benchSyncCall } from './sync-call.bench.js';
import { benchConsole } from './console.bench.js';
import { runCleanups } from './cleanup.js';
import { benchPeers, type PeerResults } from './peers.bench.js';
import { benchProduction, type ProductionResults } from './production.bench.js';
import { benchRedisBroker } from './redis-broker.bench.js';
import { benchQueuePosition } from './queue-position.bench.js';
import { printComparison } from './compare.js';
import { benchManyUnits } from './many-units.bench.js';
import { benchSubscriptions } from './subscriptions.bench.js';
import { benchFootprint } from './footprint.bench.js';
import { benchCron } from './cron.bench.js';
import { benchCost } from './cost.bench.js';

const PARTS = ['sync', 'console', 'broker', 'production', 'production-sqlite', 'peers', 'queue-position', 'many-units', 'subscriptions', 'footprint', 'cron', 'cost'] as const;
type Part = (typeof PARTS)[number];
const only = process.env.BENCH_ONLY?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = only?.filter((p) => !(PARTS as readonly string[]).includes(p)) ?? [];
if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
const wanted = (p: Part): boolean => only === undefined || only.includes(p);

const production: ProductionResults[] = [];
let peers: PeerResults | undefined;
let failed = false;

async function part(name: Part, fn: () => Promise<void>): Promise<void> {
  if (!wanted(name)) return;
  const t0 = Date.now();
  console.log(`\n=== ${name}`);
  try {
    await fn();
  } catch (err) {
    failed = true;
    console.error(`bench part ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    await runCleanups();
    console.log(`=== ${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

if (process.env.BENCH_ROLES !== 'tsx') {
  const built = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building dist/ failed (BENCH_ROLES=tsx runs the sources instead)');
  process.env.FUNC_TEST_ROLES = 'dist';
}
console.log(
  `Func bench ${new Date().toISOString()}, Node ${process.version}, roles on ${process.env.FUNC_TEST_ROLES === 'dist' ? 'dist/ (built JavaScript)' : 'the TypeScript sources (tsx)'}`,
);
await part('sync', benchSyncCall);
await part('console', benchConsole);
await part('broker', async () => {
  await benchRedisBroker();
});
await part('production', async () => void production.push(await benchProduction('mysql')));
await part('production-sqlite', async () => void production.push(await benchProduction('sqlite')));
await part('peers', async () => void (peers = await benchPeers()));
await part('queue-position', benchQueuePosition);
await part('many-units', benchManyUnits);
await part('subscriptions', benchSubscriptions);
await part('footprint', benchFootprint);
await part('cron', benchCron);
await part('cost', benchCost);
if (production.length > 0) printComparison(production, peers);
if (failed) process.exitCode = 1;
