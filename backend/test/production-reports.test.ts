/**
 * The system report and the detailed Redis report of a production server (Redis + MariaDB of
 * 127.0.0.1): MySQL's tables and variables, Redis INFO and Func's keys grouped into patterns
 * (the queue of a waiting task, the func cache), no password of either URL in the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionRoles } from '../src/testing/processes.js';
import { publishScript } from '../src/testing/test-client.js';

const prod = productionRoles();
const { api, client } = prod;

beforeAll(async () => {
  await prod.up();
  await publishScript(client, 'prep__demo', `@DFF.API('Put')\ndef put(x=1):\n    DFF.CACHE.set('k', 'v')\n    return x\n`);
}, 90_000);

afterAll(() => prod.down());

type Pattern = { keyPattern: string; type: string | string[]; count: number; memoryUsage_total: number; elementCount_total?: number };

describe('reports of a production server', () => {
  it("the system report has MySQL's tables and variables, Redis's INFO and where it is", async () => {
    const r = await api('GET', '/api/v1/system-report');
    expect(r.status, r.text).toBe(200);
    const data = r.data as Record<string, Record<string, unknown>>;
    expect(data.DB_CONFIG).toMatchObject({ engine: 'mysql', host: '127.0.0.1' });
    expect(data.DB_TABLE_STATUS?.users).toMatchObject({ name: 'users' });
    expect(data.DB_SETTINGS?.version).toMatch(/MariaDB|^\d/);
    expect(data.REDIS_INFO?.redis_version).toMatch(/^\d/);
    expect(data.REDIS_CONFIG).toMatchObject({ host: '127.0.0.1', port: 6379, prefix: prod.env.FUNC_REDIS_PREFIX });
    expect(data.NO_REDIS).toBeUndefined();
    const dbPassword = new URL(prod.env.FUNC_DB_URL ?? 'mysql://x@y/z').password;
    if (dbPassword) expect(r.text).not.toContain(dbPassword);
  });

  it("the detailed Redis report groups Func's keys: a waiting task's queue, the func cache", async () => {
    // Queue 15: no worker runs here, so the task waits on it.
    const call = await api('POST', '/api/v1/func/prep__demo.put', { kwargs: { x: 1 }, options: { async: true, queue: 15 } });
    expect(call.status, call.text).toBe(200);
    const r = await api('GET', '/api/v1/detailed-redis-report');
    expect(r.status, r.text).toBe(200);
    const data = r.data as { REDIS: Record<string, string>; REDIS_KEY_PATTERNS: Record<string, Pattern>; REDIS_ANALYSIS: Record<string, unknown>; KEYS_TRUNCATED: boolean };
    const prefix = prod.env.FUNC_REDIS_PREFIX ?? 'func:';
    expect(data.REDIS.redis_version).toMatch(/^\d/);
    expect(data.KEYS_TRUNCATED).toBe(false);
    const ready = data.REDIS_KEY_PATTERNS[`${prefix}ready:<Queue>`];
    expect(ready).toMatchObject({ type: 'list' });
    expect(ready?.elementCount_total).toBeGreaterThanOrEqual(1);
    expect(ready?.memoryUsage_total).toBeGreaterThan(0);
    expect(data.REDIS_KEY_PATTERNS[`${prefix}msg`]).toMatchObject({ type: 'hash', count: 1 });
    expect(Object.keys(data.REDIS_KEY_PATTERNS).every((p) => p.startsWith(prefix))).toBe(true);
    expect(data.REDIS_ANALYSIS).toMatchObject({ keyTypeCount: expect.objectContaining({ list: expect.any(Number) as number }) as object });
  });
});
