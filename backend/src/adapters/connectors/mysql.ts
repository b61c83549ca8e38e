/** MySQL / MariaDB connectors: a mysql2 pool per connector; `?` values and `??` identifiers as DataFlux Func formats them. */
import mysql from 'mysql2/promise';
import type { ConnectorClient, ConnectorDriver } from '../../domain/ports/connectors.js';
import { num, sqlParams, str, toJson, unknownCommand } from './driver-kit.js';

const COMMANDS = ['query', 'non_query', 'check'] as const;

export const mysqlDriver: ConnectorDriver = {
  type: 'mysql',
  create(config, t): ConnectorClient {
    let pool: mysql.Pool | undefined;
    const get = (): mysql.Pool => {
      pool ??= mysql.createPool({
        host: str(config, 'host') ?? '127.0.0.1',
        port: num(config, 'port') ?? 3306,
        user: str(config, 'user') ?? 'root',
        password: str(config, 'password') ?? '',
        ...(str(config, 'database') ? { database: str(config, 'database') } : {}),
        charset: str(config, 'charset') ?? 'utf8mb4',
        connectTimeout: t.connectMs,
        connectionLimit: 5,
        maxIdle: 2,
        idleTimeout: 60_000,
        enableKeepAlive: true,
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: false,
      });
      return pool;
    };
    const run = async (sql: unknown, params: unknown): Promise<unknown> => {
      if (typeof sql !== 'string' || sql.trim() === '') throw new Error('the SQL must be a non-empty string');
      const [res] = await get().query({ sql, timeout: t.commandMs }, sqlParams(params));
      return res;
    };
    return {
      check: async () => {
        await run('SELECT 1', []);
      },
      command: async (method, args) => {
        switch (method) {
          case 'query': {
            const res = await run(args[0], args[1]);
            return toJson(Array.isArray(res) ? res : []);
          }
          case 'non_query': {
            const res = await run(args[0], args[1]);
            return Array.isArray(res) ? res.length : toJson((res as mysql.ResultSetHeader).affectedRows);
          }
          case 'check':
            await run('SELECT 1', []);
            return true;
          default:
            throw unknownCommand('mysql', method, COMMANDS);
        }
      },
      close: async () => {
        const p = pool;
        pool = undefined;
        await p?.end();
      },
    };
  },
};
