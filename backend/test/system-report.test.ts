/**
 * DataFlux Func's system report and detailed Redis report on the embedded stack (SQLite, no
 * Redis): the store's tables with their exact row counts and sizes, its settings, the queues; no
 * secret in the answer; NO_REDIS said rather than a failure; general_r as DataFlux Func requires.
 * The same on Redis + MariaDB: production-reports.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, useTestStack } from '../src/testing/test-stack.js';

const SECRET = 'report-secret-0123456789abcdef0123';
const t = useTestStack({}, { FUNC_SECRET: SECRET });

type Table = { name: string; rows: number; dataSize: number; totalSize: number; totalSizeHuman: string };

describe('GET /api/v1/system-report (embedded)', () => {
  it("lists the store's tables with exact row counts, its settings and the queues, and says there is no Redis", async () => {
    const before = await t.admin('GET', '/api/v1/system-report');
    expect(before.status, before.text).toBe(200);
    const envRows = (before.data as { DB_TABLE_STATUS: Record<string, Table> }).DB_TABLE_STATUS.env_variables?.rows ?? -1;
    for (const id of ['rep_a', 'rep_b']) await t.client.addEnvVariable({ body: { data: { id, valueTEXT: 'v', autoTypeCasting: 'string' } } });
    const r = await t.admin('GET', '/api/v1/system-report');
    const data = r.data as Record<string, unknown> & { DB_TABLE_STATUS: Record<string, Table>; DB_ANALYSIS: Record<string, Table[]> };
    expect(data.DB_TABLE_STATUS.env_variables).toMatchObject({ name: 'env_variables', rows: envRows + 2 });
    expect(data.DB_TABLE_STATUS.users?.rows).toBeGreaterThanOrEqual(1);
    expect(data.DB_TABLE_STATUS.users?.totalSize).toBeGreaterThan(0);
    expect(data.DB_TABLE_STATUS.users?.totalSizeHuman).toMatch(/^\d+(\.\d)? (B|KB|MB)$/);
    expect(data.DB_ANALYSIS.topTotalSize?.length).toBeLessThanOrEqual(10);
    expect(data.DB_ANALYSIS.topTotalSize?.[0]?.totalSize).toBeGreaterThanOrEqual(data.DB_ANALYSIS.topTotalSize?.[1]?.totalSize ?? 0);
    expect(data.DB_CONFIG).toMatchObject({ engine: 'sqlite' });
    expect(data.DB_SETTINGS).toMatchObject({ journal_mode: 'wal' });
    expect((data.DB_SETTINGS as Record<string, string>).sqlite_version).toMatch(/^3\./);
    expect(data.IMAGE).toMatchObject({ MODE: 'embedded' });
    expect(data.NODE).toMatchObject({ version: process.versions.node });
    expect(data.QUEUES).toEqual(expect.arrayContaining([expect.objectContaining({ queue: 0, length: expect.any(Number) as number })]));
    expect(data.REDIS_INFO).toBeNull();
    expect(data.REDIS_CONFIG).toBeNull();
    expect(data.NO_REDIS).toContain('no Redis');
    expect(data.CONFIG).toMatchObject({ secret: '***', adminPassword: '***', home: t.home });
    expect(r.text).not.toContain(SECRET);
    expect(r.text).not.toContain(ADMIN_PASSWORD);
  });

  it('needs general_r: a read-only user reads it, a custom user is refused, no token is 401', async () => {
    for (const [username, roles] of [
      ['rep-viewer', ['readonlyUser']],
      ['rep-custom', ['customUser']],
    ] as const) {
      await t.client.addUser({ body: { data: { username, name: username, password: 'report-password-1', roles: [...roles] } } });
    }
    const tokenOf = async (username: string): Promise<string> => (await t.client.signIn({ body: { signIn: { username, password: 'report-password-1' } } })).xAuthToken;
    const viewer = await tokenOf('rep-viewer');
    const custom = await tokenOf('rep-custom');
    for (const url of ['/api/v1/system-report', '/api/v1/detailed-redis-report']) {
      expect((await t.api('GET', url, undefined, { 'x-dff-auth-token': viewer })).status).toBe(200);
      const refused = await t.api('GET', url, undefined, { 'x-dff-auth-token': custom });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ reason: 'EUserPrivilege', detail: { permission: 'general_r' } });
      expect((await t.api('GET', url)).status).toBe(401);
    }
  });
});

describe('GET /api/v1/detailed-redis-report (embedded)', () => {
  it('says there is no Redis rather than failing', async () => {
    const r = await t.admin('GET', '/api/v1/detailed-redis-report');
    expect(r.status, r.text).toBe(200);
    expect(r.data).toEqual({ REDIS: null, REDIS_KEY_PATTERNS: {}, REDIS_ANALYSIS: null, NO_REDIS: expect.stringContaining('no Redis') as string });
  });
});
