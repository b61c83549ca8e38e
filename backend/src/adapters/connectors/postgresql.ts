/**
 * PostgreSQL connectors: a pg pool per connector. DataFlux Func's placeholders become pg's own
 * parameters: `?` a value ($n; a list: $n, $n+1, …; a list of lists: ($n, …), (…); an object:
 * "k" = $n, …), `??` an identifier (quoted); placeholders inside quotes and comments stay.
 */
import pg from 'pg';
import type { ConnectorClient, ConnectorDriver } from '../../domain/ports/connectors.js';
import { connectorClient, exactRows, lazyConnection, num, sqlParams, str, strOption, toJson, type ExactKind } from './driver-kit.js';

const ident = (v: unknown): string => {
  if (typeof v !== 'string' || v === '') throw new Error('a ?? identifier must be a non-empty string');
  return v
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');
};

/** `sql` with `?`/`??` turned into pg's `$n` and quoted identifiers, and the values in order. */
export function toPgQuery(sql: string, params: readonly unknown[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const value = (v: unknown): string => {
    values.push(v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v) ? JSON.stringify(v) : v);
    return `$${values.length}`;
  };
  let out = '';
  let used = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '?') {
      if (used >= params.length) throw new Error(`more placeholders than parameters (${params.length} given)`);
      const p = params[used++];
      if (sql[i + 1] === '?') {
        out += ident(p);
        i += 2;
        continue;
      }
      if (Array.isArray(p)) out += p.map((x) => (Array.isArray(x) ? `(${x.map(value).join(', ')})` : value(x))).join(', ');
      else if (p !== null && typeof p === 'object' && !(p instanceof Date) && !Buffer.isBuffer(p))
        out += Object.entries(p as Record<string, unknown>)
          .map(([k, x]) => `${ident(k)} = ${value(x)}`)
          .join(', ');
      else out += value(p);
      i += 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  if (used !== params.length) throw new Error(`${params.length} parameters given for ${used} placeholders`);
  return { text: out, values };
}

// Type oids (pg_type): bigint and numeric come as text, answered exactly to DFF.CONN.
const INT8 = 20;
const NUMERIC = 1700;
const exactKind = (oid: number): ExactKind | undefined => (oid === INT8 ? 'int' : oid === NUMERIC ? 'decimal' : undefined);

/**
 * DATE and TIMESTAMP (no time zone) as their text, as the MySQL adapter answers its dates
 * (`dateStrings`): node-pg's default reads them as local times of this process, so the instant
 * answered moved with its TZ (`DATE '2024-01-02'` → `2024-01-01T16:00:00.000Z` under
 * Asia/Shanghai). TIMESTAMPTZ is one instant: answered as ISO 8601 UTC.
 */
const TEXT_TYPES: ReadonlySet<number> = new Set([pg.types.builtins.DATE, pg.types.builtins.TIMESTAMP]);
type TypeParserArgs = Parameters<typeof pg.types.getTypeParser>;
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: TypeParserArgs[0], format?: TypeParserArgs[1]): ((v: string) => unknown) =>
    TEXT_TYPES.has(oid) ? (v: string) => v : (pg.types.getTypeParser(oid, format) as (v: string) => unknown),
};

export const postgresqlDriver: ConnectorDriver = {
  type: 'postgresql',
  create(config, t): ConnectorClient {
    const pool = lazyConnection(
      () => {
        const p = new pg.Pool({
          host: str(config, 'host') ?? '127.0.0.1',
          port: num(config, 'port') ?? 5432,
          user: str(config, 'user') ?? 'postgres',
          ...strOption(config, 'password', 'password'),
          database: str(config, 'database') ?? str(config, 'user') ?? 'postgres',
          connectionTimeoutMillis: t.connectMs,
          query_timeout: t.commandMs,
          statement_timeout: t.commandMs,
          max: 5,
          idleTimeoutMillis: 60_000,
          types,
        });
        // An idle connection the server dropped: the pool replaces it; nothing to report.
        p.on('error', () => undefined);
        return p;
      },
      (p) => p.end(),
    );
    const run = async (sql: unknown, params: unknown): Promise<pg.QueryResult> => {
      if (typeof sql !== 'string' || sql.trim() === '') throw new Error('the SQL must be a non-empty string');
      return (await pool.get()).query(toPgQuery(sql, sqlParams(params)));
    };
    return connectorClient('postgresql', {
      connection: pool,
      check: () => run('SELECT 1', []),
      commands: {
        query: async (args, kwargs) => {
          const res = await run(args[0], args[1]);
          if (kwargs.exact !== true) return toJson(res.rows);
          return exactRows(
            res.rows,
            res.fields.map((f) => ({ name: f.name, kind: exactKind(f.dataTypeID) })),
          );
        },
        non_query: async (args) => (await run(args[0], args[1])).rowCount ?? 0,
      },
    });
  },
};
