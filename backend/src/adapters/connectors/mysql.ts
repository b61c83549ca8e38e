/** MySQL / MariaDB connectors: a mysql2 pool per connector; `?` values and `??` identifiers as DataFlux Func formats them. */
import mysql from 'mysql2/promise';
import type { ConnectorClient, ConnectorDriver } from '../../domain/ports/connectors.js';
import { connectorClient, lazyConnection, num, sqlParams, str, strOption, toJson } from './driver-kit.js';

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
    const run = async (sql: unknown, params: unknown): Promise<unknown> => {
      if (typeof sql !== 'string' || sql.trim() === '') throw new Error('the SQL must be a non-empty string');
      const [res] = await (await pool.get()).query({ sql, timeout: t.commandMs }, sqlParams(params));
      return res;
    };
    return connectorClient('mysql', {
      connection: pool,
      check: () => run('SELECT 1', []),
      commands: {
        query: async (args) => {
          const res = await run(args[0], args[1]);
          return toJson(Array.isArray(res) ? res : []);
        },
        non_query: async (args) => {
          const res = await run(args[0], args[1]);
          return Array.isArray(res) ? res.length : toJson((res as mysql.ResultSetHeader).affectedRows);
        },
      },
    });
  },
};
