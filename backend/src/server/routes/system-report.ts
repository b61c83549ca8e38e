/** GET /api/v1/system-report and GET /api/v1/detailed-redis-report (DataFlux Func's reports, on Func's numbers). */
import { MASK, maskSecrets } from '../../../../contract/redact.js';
import { NO_REDIS_NOTE } from '../../../../contract/operations/system-report.js';
import { redisKeyReport, tableReport } from '../../domain/admin/system-report.js';
import type { Config } from '../../config/config.js';
import type { Handlers } from '../handler.js';
import { imageInfoOf } from './admin.js';

/** The most keys the detailed Redis report looks at. */
export const REDIS_REPORT_KEY_LIMIT = 100_000;

const SECRET_NAME = /secret|password|token/i;

/** The configuration with every secret masked: named ones as `***` when set, passwords in URLs. */
function maskedConfig(config: Config): Record<string, unknown> {
  const mask = (key: string, value: unknown): unknown => {
    if (SECRET_NAME.test(key)) return value === undefined || value === null || value === '' ? null : MASK;
    if (typeof value === 'string') return maskSecrets(value);
    if (Array.isArray(value)) return value.map((v) => mask('', v));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(k, v)]));
    return value ?? null;
  };
  return mask('', { ...config }) as Record<string, unknown>;
}

/** Where the store is: engine and place, never a password. */
function dbConfigOf(config: Config): Record<string, unknown> {
  if (!config.dbUrl) return { engine: 'sqlite', path: `${config.home}/func.sqlite` };
  const u = new URL(config.dbUrl);
  return { engine: 'mysql', host: u.hostname, port: Number(u.port || 3306), database: u.pathname.replace(/^\//, ''), user: decodeURIComponent(u.username) };
}

export const systemReportHandlers: Pick<Handlers, 'getSystemReport' | 'getDetailedRedisReport'> = {
  getSystemReport: async (_input, { ctx }) => {
    const [store, queues, services, packages] = await Promise.all([ctx.store.report(), ctx.broker.stats(), ctx.services(), ctx.pythonPackages.listInstalled()]);
    const redisInfo = ctx.redis ? await ctx.redis.info() : null;
    return {
      IMAGE: imageInfoOf(ctx),
      CONFIG: maskedConfig(ctx.config),
      NODE: { version: process.versions.node, versions: { ...process.versions } },
      PYTHON: {
        interpreter: ctx.config.python,
        packages: Object.fromEntries(packages.map((p) => [p.name, p.userInstalledVersion ?? p.builtinVersion ?? null])),
      },
      REDIS_CONFIG: ctx.redis ? ctx.redis.config() : null,
      REDIS_INFO: redisInfo,
      DB_CONFIG: dbConfigOf(ctx.config),
      DB_SETTINGS: store.settings,
      ...tableReport(store.tables),
      QUEUES: queues.map((q) => ({ ...q })),
      SERVICES: services.map((s) => ({ ...s })),
      ...(ctx.redis ? {} : { NO_REDIS: NO_REDIS_NOTE }),
    };
  },
  getDetailedRedisReport: async (_input, { ctx }) => {
    if (!ctx.redis) return { REDIS: null, REDIS_KEY_PATTERNS: {}, REDIS_ANALYSIS: null, NO_REDIS: NO_REDIS_NOTE };
    const [info, { keys, truncated }] = await Promise.all([ctx.redis.info(), ctx.redis.keys(REDIS_REPORT_KEY_LIMIT)]);
    return { REDIS: info, ...redisKeyReport(keys, ctx.redis.prefix), KEYS_TRUNCATED: truncated };
  },
};
