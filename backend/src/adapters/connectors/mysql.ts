/** MySQL / MariaDB connectors: a mysql2 pool per connector; `?` values and `??` identifiers as DataFlux Func formats them. */
import mysql from 'mysql2/promise';
import type { ConnectorClient, ConnectorDriver } from '../../domain/ports/connectors.js';
import { connectorClient, exactRows, lazyConnection, num, sqlParams, str, strOption, toJson, type ExactKind } from './driver-kit.js';

/** Columns DFF.CONN answers exactly: BIGINT (a number only while it fits), DECIMAL (text). */
function exactKind(f: mysql.FieldPacket): ExactKind | undefined {
  const type = f.columnType ?? f.type;
  if (type === mysql.Types.LONGLONG) return 'int';
  if (type === mysql.Types.DECIMAL || type === mysql.Types.NEWDECIMAL) return 'decimal';
  return undefined;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * DFF.CONN's Decimal values (`kwargs.decimals`: their paths in the params) written as numbers, not
 * quoted text, as pymysql writes a Decimal: a comparison with a DECIMAL column stays exact.
 */
function withDecimals(params: unknown[], paths: unknown): unknown[] {
  if (!Array.isArray(paths)) return params;
  // Own properties only (a dict param's key may be `__proto__`).
  const own = (o: unknown, k: unknown): unknown =>
    o !== null && typeof o === 'object' && Object.hasOwn(o, k as PropertyKey) ? (o as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined;
  for (const path of paths as unknown[]) {
    if (!Array.isArray(path) || path.length === 0) continue;
    const holder = path.slice(0, -1).reduce<unknown>(own, params);
    const last = path.at(-1) as PropertyKey;
    const text = own(holder, last);
    if (typeof text !== 'string' || !NUMBER.test(text)) throw new Error(`a Decimal parameter must be a number, got ${JSON.stringify(text)}`);
    Object.defineProperty(holder, last, { value: { toSqlString: () => text }, enumerable: true, writable: true, configurable: true });
  }
  return params;
}

export const mysqlDriver: ConnectorDriver = {
  type: 'mysql',
  create(config, t): ConnectorClient {
    const pool = lazyConnection(
      () =>
        mysql.createPool({
          host: str(config, 'host') ?? '127.0.0.1',
          port: num(config, 'port') ?? 3306,
          user: str(config, 'user') ?? 'root',
          password: str(config, 'password') ?? '',
          ...strOption(config, 'database', 'database'),
          charset: str(config, 'charset') ?? 'utf8mb4',
          connectTimeout: t.connectMs,
          connectionLimit: 5,
          maxIdle: 2,
          idleTimeout: 60_000,
          enableKeepAlive: true,
          dateStrings: true,
          supportBigNumbers: true,
          bigNumberStrings: false,
        }),
      (p) => p.end(),
    );
    const run = async (sql: unknown, params: unknown, kwargs: Readonly<Record<string, unknown>> = {}): Promise<[unknown, mysql.FieldPacket[] | undefined]> => {
      if (typeof sql !== 'string' || sql.trim() === '') throw new Error('the SQL must be a non-empty string');
      const [res, fields] = await (await pool.get()).query({ sql, timeout: t.commandMs }, withDecimals(sqlParams(params), kwargs.decimals));
      return [res, fields];
    };
    return connectorClient('mysql', {
      connection: pool,
      check: () => run('SELECT 1', []),
      commands: {
        query: async (args, kwargs) => {
          const [res, fields] = await run(args[0], args[1], kwargs);
          const rows = Array.isArray(res) ? res : [];
          if (kwargs.exact !== true) return toJson(rows);
          return exactRows(
            rows,
            (fields ?? []).map((f) => ({ name: f.name, kind: exactKind(f) })),
          );
        },
        non_query: async (args, kwargs) => {
          const [res] = await run(args[0], args[1], kwargs);
          return Array.isArray(res) ? res.length : toJson((res as mysql.ResultSetHeader).affectedRows);
        },
      },
    });
  },
};
