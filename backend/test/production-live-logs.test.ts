/**
 * Live logs in production mode: a worker process publishes a running task's lines on Redis and
 * the separate server process streams them (GET /api/v1/tasks/:id/logs/stream) before the task
 * ends; the end comes once the record is stored.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { productionRoles } from '../src/testing/processes.js';
import { tickerFunc } from '../src/testing/python-fixtures.js';
import { readSseEvents } from '../src/testing/sse.js';
import { ANONYMOUS, publishScript, taskSucceeded } from '../src/testing/test-client.js';

const CODE = `import time

${tickerFunc('Ticker', 'ticker', 'prod tick', 3)}`;

const prod = productionRoles();
const { api, client } = prod;

beforeAll(async () => {
  await prod.up();
  prod.role(['worker', '--queues', '1,2,3,4,5,6,7,8,9', '--name', 'worker-live', '--concurrency', '1']);
  await publishScript(client, 'prodlive__main', CODE);
}, 90_000);

afterAll(() => prod.down());

it('streams a running task from the worker process through Redis to the server, before it ends', async () => {
  const token = (await client.signIn({ body: { signIn: { username: 'admin', password: prod.env.FUNC_ADMIN_PASSWORD ?? '' } } })).xAuthToken;
  const { id: apiId } = await client.addAsyncApi({ body: { data: { funcId: 'prodlive__main.ticker', funcCallKwargsJSON: { n: 'FROM_PARAMETER' } } } });
  // The worker process is up and has run a task (its Python process and the script loaded).
  const warm = ((await api('POST', `/api/v1/async/${apiId}`, { kwargs: { n: 0 } }, ANONYMOUS)).data as { id: string }).id;
  await taskSucceeded(client, warm, 30_000, 'the warm-up task');
  const started = Date.now();
  const taskId = ((await api('POST', `/api/v1/async/${apiId}`, { kwargs: { n: 3 } }, ANONYMOUS)).data as { id: string }).id;
  const res = await fetch(`${prod.base}/api/v1/tasks/${taskId}/logs/stream?xDFFAuthToken=${encodeURIComponent(token)}`, { signal: AbortSignal.timeout(30_000) });
  expect(res.status).toBe(200);
  let firstLineAt = 0;
  const events = await readSseEvents<{ lines?: string[]; status?: string }>(res, (e) => {
    if (!firstLineAt && e.data.lines?.some((l) => l.includes('prod tick 0'))) firstLineAt = e.at;
  });
  const text = JSON.stringify(events);
  expect(firstLineAt, text).toBeGreaterThan(0);
  expect(firstLineAt - started).toBeLessThan(2000);
  expect(
    events.flatMap((e) => e.data.lines ?? []).some((l) => l.includes('prod tick 2')),
    text,
  ).toBe(true);
  expect(events.at(-1)?.event, text).toBe('end');
  expect(events.at(-1)?.data).toEqual({ status: 'success' });
  const endAt = Date.now();
  expect(endAt - firstLineAt).toBeGreaterThan(1000);
}, 60_000);
