/**
 * SQL connector values both ways, as DataFlux Func's drivers (pymysql, psycopg) give them
 * (docs/connectors.md): parameters written as pymysql writes them, integers and decimals answered
 * exactly, dates as their text whatever the process's time zone. Real MariaDB and PostgreSQL on
 * 127.0.0.1 (scripts/prepare-test-env.sh); this file's process runs in Asia/Shanghai.
 */
process.env.TZ = 'Asia/Shanghai';

import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const RUN = Date.now().toString(36);

const MAIN = `
import datetime
from decimal import Decimal

def described(rows):
    return [{k: [type(v).__name__, str(v)] for k, v in row.items()} for row in rows]

@DFF.API('Params')
def params(conn_id, table, numeric):
    db = DFF.CONN(conn_id)
    db.non_query('DROP TABLE IF EXISTS ' + table)
    db.non_query('CREATE TABLE ' + table + ' (name VARCHAR(16), at ' + ('DATETIME(6)' if numeric == 'DECIMAL' else 'TIMESTAMP(6)') + ', day DATE, price ' + numeric + '(10, 2))')
    db.non_query('INSERT INTO ' + table + ' (name, at, day, price) VALUES (?, ?, ?, ?)',
                 ['x', datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.date(2024, 1, 2), Decimal('1.5')])
    db.non_query('INSERT INTO ' + table + ' (name, at, day, price) VALUES ?',
                 [[['y', datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), datetime.date(2024, 2, 3), Decimal('2.25')]]])
    exact = db.query('SELECT name FROM ' + table + ' WHERE price = ?', [Decimal('1.50')])
    rows = db.query('SELECT name, at, day, price FROM ' + table + ' ORDER BY name')
    db.non_query('DROP TABLE ' + table)
    return {'rows': described(rows), 'exact': exact}

@DFF.API('Numbers')
def numbers(conn_id, big_type):
    db = DFF.CONN(conn_id)
    rows = db.query('SELECT COUNT(*) AS n, SUM(x) AS s, CAST(9007199254740993 AS ' + big_type + ') AS big, CAST(-12.5 AS DECIMAL(10,3)) AS d, '
                    'CAST(3 AS INTEGER) AS small FROM (SELECT 1 AS x UNION ALL SELECT 2) AS t')
    return described(rows)

@DFF.API('Dates')
def dates(conn_id):
    return DFF.CONN(conn_id).query("SELECT DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 03:04:05' AS ts")

@DFF.API('Refused')
def refused(conn_id):
    try:
        DFF.CONN(conn_id).query('SELECT ?', [1, {'a': {1, 2}}])
    except TypeError as e:
        return str(e)
`;

const t = useTestStack({ values__main: MAIN });

const call = async (name: string, kwargs: Record<string, unknown>): Promise<unknown> => {
  const r = await t.admin('POST', `/api/v1/func/values__main.${name}`, { kwargs });
  expect(r.status, r.text).toBe(200);
  return (r.data as { result: unknown }).result;
};
const connectors = async (): Promise<void> => {
  for (const [id, type, configJSON] of [
    ['v_mysql', 'mysql', { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' }],
    ['v_postgresql', 'postgresql', { host: '127.0.0.1', user: 'postgres', database: 'test' }],
  ] as const) {
    if ((await t.admin('GET', `/api/v1/connectors/${id}/do/get`)).status === 200) continue;
    const r = await t.admin('POST', '/api/v1/connectors/do/add', { data: { id, type, title: id, configJSON } });
    expect(r.status, r.text).toBe(200);
  }
};

describe('SQL connector values', () => {
  // A DATETIME(6) reads with its 6 digits in MySQL; PostgreSQL drops trailing zeros.
  it.each([
    ['v_mysql', 'DECIMAL', '2024-01-02 03:04:05.000000'],
    ['v_postgresql', 'NUMERIC', '2024-01-02 03:04:05'],
  ])('%s: datetime, date and Decimal parameters written as pymysql writes them; read back as text and Decimal', async (id, numeric, at) => {
    await connectors();
    const out = (await call('params', { conn_id: id, table: `vals_${RUN}`, numeric })) as Record<string, unknown>;
    expect(out.exact).toEqual([{ name: 'x' }]);
    expect(out.rows).toEqual([
      { name: ['str', 'x'], at: ['str', at], day: ['str', '2024-01-02'], price: ['Decimal', '1.50'] },
      // An aware datetime: its wall time, as pymysql writes it.
      { name: ['str', 'y'], at: ['str', '2024-01-02 03:04:05.123456'], day: ['str', '2024-02-03'], price: ['Decimal', '2.25'] },
    ]);
  });

  it.each([
    ['v_mysql', 'UNSIGNED', 'Decimal'],
    ['v_postgresql', 'BIGINT', 'int'],
  ])('%s: COUNT(*), BIGINT (past 2**53, exactly) as int, DECIMAL/NUMERIC and SUM() as Decimal', async (id, bigType, sumType) => {
    await connectors();
    expect(await call('numbers', { conn_id: id, big_type: bigType })).toEqual([
      { n: ['int', '2'], s: [sumType, '3'], big: ['int', '9007199254740993'], d: ['Decimal', '-12.500'], small: ['int', '3'] },
    ]);
  });

  it.each(['v_mysql', 'v_postgresql'])('%s: DATE and TIMESTAMP come as their text, not moved by the process time zone', async (id) => {
    await connectors();
    expect(await call('dates', { conn_id: id })).toEqual([{ d: '2024-01-02', ts: '2024-01-02 03:04:05' }]);
  });

  it('a parameter of another type is refused naming DFF.CONN and the parameter', async () => {
    await connectors();
    expect(await call('refused', { conn_id: 'v_mysql' })).toBe(
      "DFF.CONN('v_mysql').query: sql_params[1]['a'] is a set, which cannot be written as an SQL value (None, a bool, int, float, str, Decimal, datetime, date or time; a list or tuple of them, a list of such lists, a dict of them)",
    );
  });
});
