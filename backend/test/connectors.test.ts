/**
 * Connectors (docs/connectors.md) against the real services on 127.0.0.1 (scripts/prepare-test-env.sh
 * starts them): each type added with a good config and refused with a bad one (the driver's own
 * message), secrets encrypted and masked, and a published function using DFF.CONN to query
 * MariaDB and PostgreSQL and publish to Redis, MQTT, AMQP and NATS, each checked by a subscriber.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import { connect as natsConnect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const RUN = Date.now().toString(36);
const PG_SECRET = `pg-secret-${RUN}`;

const MAIN = `
@DFF.API('SQL')
def sql(conn_id, table):
    db = DFF.CONN(conn_id)
    db.non_query('DROP TABLE IF EXISTS ' + table)
    db.non_query('CREATE TABLE ' + table + ' (id INT PRIMARY KEY, name VARCHAR(64))')
    inserted = db.non_query('INSERT INTO ?? (id, name) VALUES ?', [table, [[1, 'ann'], [2, "o'hara"]]])
    rows = db.query('SELECT id, name FROM ' + table + ' WHERE id IN (?) ORDER BY id', [[1, 2]])
    one = db.query('SELECT name FROM ' + table + ' WHERE id = ?', 2)
    db.non_query('DROP TABLE ' + table)
    return {'inserted': inserted, 'rows': rows, 'one': one, 'repr': repr(db)}

@DFF.API('Publish')
def publish(conn_id, topic, message):
    return DFF.CONN(conn_id).publish(topic, message)

@DFF.API('Redis')
def redis_cmds(conn_id, key):
    r = DFF.CONN(conn_id)
    r.set(key, 'v1', expires=60)
    r.hset(key + ':h', field_values={'a': '1', 'b': '2'})
    out = {'get': r.get(key), 'ttl': r.ttl(key) > 0, 'hgetall': r.hgetall(key + ':h'), 'raw': r.query('INCRBY', key + ':n', 5)}
    r.delete([key, key + ':h', key + ':n'])
    return out

@DFF.API('Redis helpers')
def redis_helpers(conn_id, key):
    r = DFF.CONN(conn_id)
    out = {}
    out['lock'] = [r.lock(key + ':lock', 'me', 30), r.lock(key + ':lock', 'other', 30)]
    r.extend_lock_time(key + ':lock', 'me', 60)
    try:
        r.extend_lock_time(key + ':lock', 'other', 60)
    except Exception as e:
        out['extend_other'] = str(e)
    out['unlock'] = [r.unlock(key + ':lock', 'other'), r.unlock(key + ':lock', 'me'), r.exists(key + ':lock')]
    r.zadd(key + ':z', {'a': 1, 'b': 2, 'c': 3})
    out['zrangebyscore'] = r.zrangebyscore(key + ':z', 2, '+inf')
    out['zrem'] = r.zrem(key + ':z', ['a', 'x'])
    out['zcard'] = r.zcard(key + ':z')
    r.set(key + ':p1', 'v1')
    r.set(key + ':p2', 'v2')
    out['get_pattern'] = r.get_pattern(key + ':p*')
    out['delete_pattern'] = [r.delete_pattern(key + ':p*'), r.delete_pattern(key + ':p*')]
    out['hsetnx'] = [r.hsetnx(key + ':h', 'f', 'a'), r.hsetnx(key + ':h', 'f', 'b'), r.hget(key + ':h', 'f')]
    out['hincr'] = [r.hincr(key + ':h', 'n'), r.hincr(key + ':h', 'n')]
    out['push'] = r.push(key + ':l', ['x', 'y'])
    out['rpoplpush'] = r.rpoplpush(key + ':l', key + ':l2')
    out['pop'] = [r.pop(key + ':l'), r.pop(key + ':l2')]
    r.set(key + ':t', 'v')
    out['expireat'] = r.expireat(key + ':t', 4102444800)
    out['pttl'] = r.pttl(key + ':t') > 0
    out['dbsize'] = r.dbsize() > 0
    info = r.info()
    out['info'] = [type(info).__name__, type(info.get('redis_version')).__name__, type(info.get('connected_clients')).__name__]
    try:
        r.blpop(key + ':l')
    except NotImplementedError as e:
        out['blpop'] = str(e)
    r.delete([key + ':z', key + ':h', key + ':l', key + ':l2', key + ':t'])
    return out

@DFF.API('Redis answers')
def redis_answers(conn_id, key):
    r = DFF.CONN(conn_id)
    out = {'set': [r.set(key, 'a', expires=60), r.set(key, 'b', not_exists=True), r.set(key + ':none', 'c', exists=True), r.set(key, 'd', get_old_value=True)]}
    out['mset'] = [r.mset({key + ':m': '1'}), r.mset({})]
    out['hmset'] = [r.hmset(key + ':h', {'a': '1', 'b': '2'}), r.hmset(key + ':h', {}), r.hset(key + ':h', field_values={'c': '3'})]
    r.rpush(key + ':l', ['x', 'y', 'z'])
    out['ltrim'] = [r.ltrim(key + ':l', 0, 0), r.lrange(key + ':l')]
    out['expire'] = [r.expire(key, 60), r.expire(key + ':none', 60), r.expireat(key + ':m', 4102444800), r.expireat(key + ':none', 4102444800)]
    out['ping'] = r.ping()
    out['raw'] = r.query('SET', key + ':raw', 'v')
    r.delete([key, key + ':m', key + ':h', key + ':l', key + ':raw'])
    return out

@DFF.API('SQL helpers')
def sql_helpers(conn_id, table):
    db = DFF.CONN(conn_id)
    db.non_query('DROP TABLE IF EXISTS ' + table)
    db.non_query('CREATE TABLE ' + table + ' (id INT)')
    out = {'tables': table in db.tables()}
    db.non_query('DROP TABLE ' + table)
    for name in ('start_trans', 'commit', 'rollback', 'trans_query', 'create_sql_builder'):
        try:
            getattr(db, name)()
        except NotImplementedError as e:
            out[name] = str(e)
    return out

@DFF.API('HTTP')
def http_get(conn_id):
    return DFF.CONN(conn_id).get('items', query={'q': 'x y'})

@DFF.API('Failing')
def failing(conn_id, sql):
    return DFF.CONN(conn_id).query(sql)

@DFF.API('Redis database')
def redis_db(conn_id, database):
    try:
        return ['ok', DFF.CONN(conn_id, database=database).query('PING')]
    except Exception as e:
        return ['error', str(e)]
`;

const t = useTestStack({ conn__main: MAIN });

interface Answer {
  status: number;
  data: unknown;
  text: string;
  body?: unknown;
}
const add = (data: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Answer> => t.admin('POST', '/api/v1/connectors/do/add', { data, ...extra });
const call = async (name: string, kwargs: Record<string, unknown>): Promise<unknown> => {
  const r = await t.admin('POST', `/api/v1/func/conn__main.${name}`, { kwargs });
  expect(r.status, r.text).toBe(200);
  return (r.data as { result: unknown }).result;
};

// A small HTTP service for the http connector: answers JSON and records the headers it got.
let httpServer: Server;
let httpUrl = '';
let closedPort = 0;
const seen: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  httpServer = createServer((req, res) => {
    seen.push(req.headers);
    if (req.headers['x-api-key'] !== 'key-123') {
      res.writeHead(401).end('no key');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url, ok: true }));
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/api/`;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(() => new Promise<void>((r) => httpServer.close(() => r())));

const GOOD: Record<string, { type: string; configJSON: Record<string, unknown> }> = {
  mysql: { type: 'mysql', configJSON: { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' } },
  // Trust auth: any password is accepted, so one is stored (and must never show).
  postgresql: { type: 'postgresql', configJSON: { host: '127.0.0.1', user: 'postgres', password: PG_SECRET, database: 'test' } },
  redis: { type: 'redis', configJSON: { host: '127.0.0.1', port: 6379 } },
  mqtt: { type: 'mqtt', configJSON: { host: '127.0.0.1', port: 1883 } },
  amqp: { type: 'amqp', configJSON: { host: '127.0.0.1', user: 'guest', password: 'guest' } },
  nats: { type: 'nats', configJSON: { host: '127.0.0.1', port: 4222 } },
  http: { type: 'http', configJSON: { url: 'set in the test', headers: { 'X-Api-Key': 'key-123' } } },
};
const BAD: Record<string, [Record<string, unknown>, RegExp]> = {
  mysql: [{ host: '127.0.0.1', user: 'nobody', password: 'wrong-pass-123', database: 'test' }, /Access denied for user 'nobody'/],
  postgresql: [{ host: '127.0.0.1', user: 'postgres', database: `no_such_db_${RUN}` }, /database \\"no_such_db_\w+\\" does not exist/],
  redis: [{ host: '127.0.0.1', port: 6390 }, /ECONNREFUSED 127\.0\.0\.1:6390/],
  mqtt: [{ host: '127.0.0.1', port: 1999 }, /ECONNREFUSED 127\.0\.0\.1:1999/],
  amqp: [{ host: '127.0.0.1', user: 'guest', password: 'not-the-password' }, /ACCESS_REFUSED/],
  nats: [{ host: '127.0.0.1', port: 4299 }, /CONNECTION_REFUSED/],
  http: [{ url: 'set in the test: a closed port' }, /fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+/],
};

describe('connectors', () => {
  it.each(Object.keys(GOOD))('%s: a good config is added (connection tested), a bad one refused with the driver message and not stored', async (type) => {
    const good = GOOD[type]!;
    const configJSON = type === 'http' ? { ...good.configJSON, url: httpUrl } : good.configJSON;
    const ok = await add({ id: `c_${type}`, type: good.type, title: type, configJSON });
    expect(ok.status, ok.text).toBe(200);
    const [badConfig0, message] = BAD[type]!;
    const badConfig = type === 'http' ? { url: `http://127.0.0.1:${closedPort}/` } : badConfig0;
    const bad = await add({ id: `bad_${type}`, type, configJSON: badConfig });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.text).toContain('EConnectorFailed');
    expect(bad.text).toContain(`Connector bad_${type} (${type})`);
    expect(bad.text).toMatch(message);
    expect(bad.text).not.toContain('wrong-pass-123');
    expect((await t.admin('GET', `/api/v1/connectors/bad_${type}/do/get`)).status).toBe(404);
  });

  it('redis: a database index the server does not have, or a password for a server without one, is refused (it connected to database 0)', async () => {
    const noDb = await add({ id: 'bad_redis_db', type: 'redis', configJSON: { host: '127.0.0.1', port: 6379, database: 99 } }, { testOnly: true });
    expect(noDb.status, noDb.text).toBe(400);
    expect(noDb.text).toMatch(/DB index is out of range/);
    const noPass = await add({ id: 'bad_redis_pass', type: 'redis', configJSON: { host: '127.0.0.1', port: 6379, password: 'wrong-pass-123' } }, { testOnly: true });
    expect(noPass.status, noPass.text).toBe(400);
    expect(noPass.text).toMatch(/AUTH/);
    expect(noPass.text).not.toContain('wrong-pass-123');
    const db1 = await add({ id: 'ok_redis_db1', type: 'redis', configJSON: { host: '127.0.0.1', port: 6379, database: 1 } }, { testOnly: true });
    expect(db1.status, db1.text).toBe(200);
  });

  it('skipTest stores a config that cannot connect; testOnly tests and stores nothing', async () => {
    const skipped = await add({ id: 'c_skipped', type: 'redis', configJSON: { port: 6390 } }, { skipTest: true });
    expect(skipped.status, skipped.text).toBe(200);
    const testOnly = await add({ id: 'c_test_only', type: 'redis', configJSON: {} }, { testOnly: true });
    expect(testOnly.status, testOnly.text).toBe(200);
    expect((await t.admin('GET', '/api/v1/connectors/c_test_only/do/get')).status).toBe(404);
    const dup = await add({ id: 'c_skipped', type: 'redis', configJSON: {} });
    expect(dup.status).toBe(409);
  });

  it('bad input answers 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ id: '1abc', type: 'redis', configJSON: {} }, 'body.data.id'],
      [{ id: 'x_type', type: 'oracle', configJSON: {} }, 'body.data.type'],
      [{ id: 'x_port', type: 'mysql', configJSON: { port: 'abc' } }, 'configJSON.port'],
      [{ id: 'x_port2', type: 'nats', configJSON: { port: 70000 } }, 'configJSON.port'],
      [{ id: 'x_url', type: 'http', configJSON: { url: 'ftp://x' } }, 'configJSON.url'],
      [{ id: 'x_hdr', type: 'http', configJSON: { url: 'http://x', headers: { 'bad header': 'v' } } }, 'configJSON.headers'],
    ];
    for (const [data, field] of cases) {
      const r = await add(data, { skipTest: true });
      expect(r.status, `${JSON.stringify(data)}: ${r.text}`).toBe(400);
      expect(r.text).toContain(field);
    }
  });

  it('secrets are encrypted at rest and answered masked; a masked secret sent back keeps the stored one', async () => {
    const row = await t.stack.store.entity('connectors').get('c_postgresql');
    expect(row!.configJSON['password']).not.toBe(PG_SECRET);
    expect(JSON.stringify(row)).not.toContain(PG_SECRET);
    const got = await t.admin('GET', '/api/v1/connectors/c_postgresql/do/get');
    expect((got.data as { configJSON: Record<string, unknown> }).configJSON).toMatchObject({ password: '******', user: 'postgres' });
    const list = await t.admin('GET', '/api/v1/connectors/do/list?type=postgresql,amqp');
    expect(list.text).not.toContain(PG_SECRET);
    expect(list.text).not.toContain('"guest"}');
    expect((list.data as { id: string }[]).map((c) => c.id).sort()).toEqual(['c_amqp', 'c_postgresql']);
    const http = await t.admin('GET', '/api/v1/connectors/c_http/do/get');
    expect(http.text).not.toContain('key-123');

    // Sent back masked: the connection test runs with the stored password (guest), so it passes.
    const kept = await t.admin('POST', '/api/v1/connectors/c_amqp/do/modify', { data: { title: 'Rabbit', configJSON: { host: '127.0.0.1', user: 'guest', password: '******' } } });
    expect(kept.status, kept.text).toBe(200);
    // A wrong one is refused with RabbitMQ's message, and the stored config stays.
    const wrong = await t.admin('POST', '/api/v1/connectors/c_amqp/do/modify', { data: { configJSON: { host: '127.0.0.1', user: 'guest', password: 'nope-nope' } } });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toMatch(/ACCESS_REFUSED/);
    expect(wrong.text).not.toContain('nope-nope');
    const after = await t.admin('GET', '/api/v1/connectors/c_amqp/do/get');
    expect(after.data).toMatchObject({ title: 'Rabbit', configJSON: { password: '******' } });
    const amqpRow = await t.stack.store.entity('connectors').get('c_amqp');
    expect(t.stack.ctx.secrets.decrypt(amqpRow!.configJSON['password'] as string)).toBe('guest');
  });

  it('DFF.CONN queries MariaDB and PostgreSQL with DataFlux placeholders', async () => {
    for (const id of ['c_mysql', 'c_postgresql']) {
      const out = (await call('sql', { conn_id: id, table: `conn_t_${RUN}` })) as Record<string, unknown>;
      expect(out['inserted'], id).toBe(2);
      expect(out['rows'], id).toEqual([
        { id: 1, name: 'ann' },
        { id: 2, name: "o'hara" },
      ]);
      expect(out['one'], id).toEqual([{ name: "o'hara" }]);
      expect(out['repr']).toBe(`<DFF.CONN ${id} (${id.slice(2)})>`);
    }
  });

  it('DFF.CONN publishes to Redis, MQTT, AMQP and NATS (each received by a subscriber)', async () => {
    const topic = `func-conn-${RUN}`;
    // Redis pub/sub
    const sub = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await sub.connect();
    const redisGot: string[] = [];
    sub.on('message', (_c: string, m: string) => redisGot.push(m));
    await sub.subscribe(topic);
    // MQTT
    const mq = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    const mqttGot: string[] = [];
    mq.on('message', (_t, m) => mqttGot.push(m.toString()));
    await mq.subscribeAsync(`${topic}/#`, { qos: 1 });
    // AMQP: a queue the default exchange routes to by its name
    const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
    const ch = await conn.createChannel();
    await ch.assertQueue(topic, { autoDelete: true });
    const amqpGot: string[] = [];
    await ch.consume(topic, (m) => m && amqpGot.push(m.content.toString()), { noAck: true });
    // NATS
    const nc = await natsConnect({ servers: '127.0.0.1:4222' });
    const natsGot: string[] = [];
    const natsSub = nc.subscribe(`${topic}.>`, { callback: (_e, m) => natsGot.push(m.string()) });
    await nc.flush();
    try {
      expect(await call('publish', { conn_id: 'c_redis', topic, message: 'to redis' })).toBe(1);
      await call('publish', { conn_id: 'c_mqtt', topic: `${topic}/a`, message: { n: 1 } });
      await call('publish', { conn_id: 'c_amqp', topic, message: 'to amqp' });
      await call('publish', { conn_id: 'c_nats', topic: `${topic}.a`, message: 'to nats' });
      await eventually(() => (redisGot.length && mqttGot.length && amqpGot.length && natsGot.length ? true : undefined), 10_000, 'the four subscribers');
      expect(redisGot).toEqual(['to redis']);
      expect(mqttGot).toEqual(['{"n":1}']);
      expect(amqpGot).toEqual(['to amqp']);
      expect(natsGot).toEqual(['to nats']);
    } finally {
      natsSub.unsubscribe();
      await nc.close();
      await conn.close();
      await mq.endAsync();
      sub.disconnect();
    }
  });

  it('DFF.CONN runs Redis commands and HTTP requests with the stored headers', async () => {
    const out = await call('redis_cmds', { conn_id: 'c_redis', key: `conn-k-${RUN}` });
    expect(out).toEqual({ get: 'v1', ttl: true, hgetall: { a: '1', b: '2' }, raw: 5 });
    expect(await call('http_get', { conn_id: 'c_http' })).toEqual({ url: '/api/items?q=x+y', ok: true });
    expect(seen.at(-1)?.['x-api-key']).toBe('key-123');
  });

  it("DFF.CONN's Redis helper has DataFlux's other helpers: locks, sorted sets, patterns, hashes, lists, info", async () => {
    const key = `conn-h-${RUN}`;
    const out = (await call('redis_helpers', { conn_id: 'c_redis', key })) as Record<string, unknown>;
    expect(out).toEqual({
      lock: [true, null],
      extend_other: 'Not Lock owner',
      unlock: [0, 1, false],
      zrangebyscore: ['b', 'c'],
      zrem: 1,
      zcard: 2,
      get_pattern: { [`${key}:p1`]: 'v1', [`${key}:p2`]: 'v2' },
      delete_pattern: [2, null],
      hsetnx: [1, 0, 'a'],
      hincr: [1, 2],
      push: 2,
      rpoplpush: 'x',
      pop: ['y', 'x'],
      expireat: true,
      pttl: true,
      dbsize: true,
      info: ['dict', 'str', 'int'],
      blpop: expect.stringMatching(/^DFF\.CONN\('c_redis'\)\.blpop: not built in Func: a blocking pop would hold the connection/) as unknown,
    });
  });

  it("DFF.CONN's Redis helpers answer as redis-py answers DataFlux Func's: set True or None, mset/hmset/ltrim/ping True, expire a bool; query stays raw", async () => {
    const out = await call('redis_answers', { conn_id: 'c_redis', key: `conn-a-${RUN}` });
    expect(out).toEqual({
      set: [true, null, null, 'a'],
      mset: [true, false],
      hmset: [true, false, 1],
      ltrim: [true, ['x']],
      expire: [true, false, true, false],
      ping: true,
      raw: 'OK',
    });
  });

  it.each(['c_mysql', 'c_postgresql'])('%s: tables() lists the tables; transactions and the SQL builder fail saying why', async (id) => {
    const out = (await call('sql_helpers', { conn_id: id, table: `conn_tb_${RUN}` })) as Record<string, string | boolean>;
    expect(out.tables).toBe(true);
    for (const name of ['start_trans', 'commit', 'rollback', 'trans_query']) {
      expect(out[name]).toMatch(new RegExp(`^DFF\\.CONN\\('${id}'\\)\\.${name}: not built in Func: each statement runs on any of the worker's pooled connections`));
    }
    expect(out.create_sql_builder).toMatch(/create_sql_builder: not built in Func: DataFlux Func's SQL builder/);
  });

  it('a failure is EConnectorFailed naming the connector, with no secret in the exception or traceback', async () => {
    const r = await t.admin('POST', '/api/v1/func/conn__main.failing', { kwargs: { conn_id: 'c_postgresql', sql: 'SELEC broken' } });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.text).toContain('EConnectorFailed');
    expect(r.text).toContain('Connector c_postgresql (postgresql)');
    expect(r.text).toContain('syntax error');
    expect(r.text).not.toContain(PG_SECRET);
    const missing = await t.admin('POST', '/api/v1/func/conn__main.failing', { kwargs: { conn_id: 'no_such', sql: 'SELECT 1' } });
    expect(missing.text).toContain('EConnectorFailed');
    expect(missing.text).toContain('No such Connector: no_such');
  });

  it("a Redis connector's database given with a query or DFF.CONN that is no database number is refused naming it (SELECT NaN ended the process)", async () => {
    for (const database of ['abc', '1.5', '-1', '1001', ' ', '0x1']) {
      const r = await t.admin('POST', '/api/v1/connectors/c_redis/do/query', { queryStatement: 'PING', database });
      expect(r.status, r.text).toBe(400);
      const body = JSON.parse(r.text) as { reason: string; message: string; detail: { field?: string } };
      expect(body.reason).toBe('EClientBadRequest');
      expect(body.detail.field).toBe('body.database');
      expect(body.message).toBe(`body.database: a Redis database is a whole number from 0 to 1000, got "${database}"`);
    }
    expect(await call('redis_db', { conn_id: 'c_redis', database: 'abc' })).toEqual([
      'error',
      expect.stringContaining('database: a Redis database is a whole number from 0 to 1000, got "abc"'),
    ]);
    // A number, or its digits, picks that database; the server still answers.
    const ok = await t.admin('POST', '/api/v1/connectors/c_redis/do/query', { queryStatement: 'PING', database: '2' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.data).toBe('PONG');
    expect(await call('redis_db', { conn_id: 'c_redis', database: 3 })).toEqual(['ok', 'PONG']);
  });

  it(':id/do/query runs a command or a statement; sub-info lists nothing yet; delete by GET', async () => {
    const q = await t.admin('POST', '/api/v1/connectors/c_mysql/do/query', { command: 'query', commandArgs: ['SELECT 1 + ? AS n', [1]] });
    expect(q.status, q.text).toBe(200);
    expect(q.data).toEqual([{ n: 2 }]);
    const st = await t.admin('POST', '/api/v1/connectors/c_postgresql/do/query', { queryStatement: 'SELECT 40 + 2 AS n' });
    expect(st.data).toEqual([{ n: 42 }]);
    await t.admin('POST', '/api/v1/connectors/c_redis/do/query', { queryStatement: `SET conn-q-${RUN} "b c"` });
    const g = await t.admin('POST', '/api/v1/connectors/c_redis/do/query', { queryStatement: `GET conn-q-${RUN}` });
    expect(g.data).toBe('b c');
    await t.admin('POST', '/api/v1/connectors/c_redis/do/query', { command: 'query', commandArgs: ['DEL', `conn-q-${RUN}`] });
    const none = await t.admin('POST', '/api/v1/connectors/c_mqtt/do/query', {});
    expect(none.status).toBe(400);
    expect(none.text).toContain('command');
    const failed = await t.admin('POST', '/api/v1/connectors/c_mysql/do/query', { queryStatement: 'SELECT * FROM no_such_table_here' });
    expect(failed.status).toBe(400);
    expect(failed.text).toContain("no_such_table_here' doesn't exist");

    const subs = await t.admin('GET', '/api/v1/connectors/c_mqtt/sub-info/do/list');
    expect(subs.status).toBe(200);
    expect(subs.data).toEqual([]);

    expect((await t.admin('GET', '/api/v1/connectors/c_skipped/do/delete')).status).toBe(200);
    expect((await t.admin('GET', '/api/v1/connectors/c_skipped/do/get')).status).toBe(404);
    // Repeated, the delete answers as the first did (server/recent-deletes.ts); a never-added id is a 404.
    expect((await t.admin('POST', '/api/v1/connectors/c_skipped/do/delete')).status).toBe(200);
    expect((await t.admin('POST', '/api/v1/connectors/c_never/do/delete')).status).toBe(404);
  });
});

describe("a connector's stored secrets stay with its server", () => {
  const SECRET = `conn-secret-${RUN}`;
  let listener: NetServer;
  let listenerPort = 0;
  const received: string[] = [];
  let developer = '';
  const asDeveloper = (path: string, body: unknown): Promise<Answer> => t.api('POST', path, body, { 'x-dff-auth-token': developer });
  const heard = (): string => received.join('');

  beforeAll(async () => {
    // A host that records whatever a connection test sends it (AUTH <password>, HTTP headers, CONNECT…).
    listener = createNetServer((socket) => {
      socket.on('data', (chunk) => {
        received.push(chunk.toString('latin1'));
        socket.destroy();
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    listenerPort = (listener.address() as AddressInfo).port;
    await t.add('/api/v1/users/do/add', { username: `dev-${RUN}`, name: 'Developer', password: 'dev-password-123', roles: ['user'] });
    const signedIn = await t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username: `dev-${RUN}`, password: 'dev-password-123' } });
    developer = (signedIn.data as { xAuthToken: string }).xAuthToken;
    const secretConfigs: [string, string, Record<string, unknown>][] = [
      ['moved_redis', 'redis', { host: '127.0.0.1', port: 17999, password: SECRET }],
      ['moved_mysql', 'mysql', { host: '127.0.0.1', port: 17999, user: 'app', password: SECRET, database: 'db' }],
      ['moved_nats', 'nats', { host: '127.0.0.1', port: 17999, token: SECRET }],
      ['moved_http', 'http', { url: 'http://127.0.0.1:17999/api/', headers: { 'X-Api-Key': SECRET } }],
    ];
    for (const [id, type, configJSON] of secretConfigs) await t.add('/api/v1/connectors/do/add', { id, type, configJSON }, { skipTest: true });
  });
  afterAll(() => new Promise<void>((r) => listener.close(() => r())));

  it('a modify pointing a connector elsewhere with its secret left out or masked is refused (400 naming it), tested or not, and the new host hears nothing', async () => {
    const moves: [string, Record<string, unknown>, string][] = [
      ['moved_redis', { host: '127.0.0.1', port: listenerPort }, 'configJSON.password'],
      ['moved_redis', { host: '127.0.0.1', port: listenerPort, password: '******' }, 'configJSON.password'],
      ['moved_redis', { host: 'localhost', port: 17999 }, 'configJSON.password'],
      ['moved_mysql', { host: '127.0.0.1', port: listenerPort, user: 'app', password: '******', database: 'db' }, 'configJSON.password'],
      ['moved_mysql', { host: '127.0.0.1', port: 17999, user: 'other', password: '******', database: 'db' }, 'configJSON.password'],
      ['moved_nats', { host: '127.0.0.1', port: listenerPort, token: '******' }, 'configJSON.token'],
      ['moved_http', { url: `http://127.0.0.1:${listenerPort}/api/`, headers: { 'X-Api-Key': '******' } }, 'configJSON.headers.X-Api-Key'],
      ['moved_http', { url: 'http://127.0.0.1:17999/other-tenant/', headers: { 'X-Api-Key': '******' } }, 'configJSON.headers.X-Api-Key'],
    ];
    for (const [id, configJSON, field] of moves) {
      for (const skipTest of [false, true]) {
        const r = await asDeveloper(`/api/v1/connectors/${id}/do/modify`, { data: { configJSON }, skipTest });
        expect(r.status, `${id} ${JSON.stringify(configJSON)}: ${r.text}`).toBe(400);
        expect(r.text).toContain(field);
        expect(r.text).toMatch(/send the .* again/);
      }
    }
    // Nothing moved: the stored configs are as added, and no query or DFF.CONN can reach the listener.
    const redis = await t.stack.store.entity('connectors').get('moved_redis');
    expect(t.stack.ctx.secrets.decrypt(redis!.configJSON['password'] as string)).toBe(SECRET);
    expect(redis!.configJSON['port']).toBe(17999);
    expect(heard()).not.toContain(SECRET);
    expect(heard()).toBe('');
  });

  it('the same target keeps the stored secret; a moved one takes the secret sent again, or none', async () => {
    // Same host and port (the host case-blind): the masked secret is kept.
    const same = await asDeveloper('/api/v1/connectors/moved_redis/do/modify', {
      data: { title: 'same', configJSON: { host: '127.0.0.1', port: 17999, password: '******', database: 2 } },
      skipTest: true,
    });
    expect(same.status, same.text).toBe(200);
    const kept = await t.stack.store.entity('connectors').get('moved_redis');
    expect(t.stack.ctx.secrets.decrypt(kept!.configJSON['password'] as string)).toBe(SECRET);
    // Moved with a new password (the developer's own): that one is tested and stored.
    const given = await asDeveloper('/api/v1/connectors/moved_redis/do/modify', {
      data: { configJSON: { host: '127.0.0.1', port: listenerPort, password: 'my-own-password' } },
      skipTest: true,
    });
    expect(given.status, given.text).toBe(200);
    const moved = await t.stack.store.entity('connectors').get('moved_redis');
    expect(t.stack.ctx.secrets.decrypt(moved!.configJSON['password'] as string)).toBe('my-own-password');
    // Moved with none: stored without one.
    const none = await asDeveloper('/api/v1/connectors/moved_nats/do/modify', { data: { configJSON: { host: '127.0.0.1', port: listenerPort, token: null } }, skipTest: true });
    expect(none.status, none.text).toBe(200);
    expect((await t.stack.store.entity('connectors').get('moved_nats'))!.configJSON['token'] ?? null).toBeNull();
    expect(heard()).not.toContain(SECRET);
  });

  it("add's testOnly under a stored connector's id tests the config it is given, never the stored secret", async () => {
    const r = await asDeveloper('/api/v1/connectors/do/add', {
      data: { id: 'moved_mysql', type: 'redis', configJSON: { host: '127.0.0.1', port: listenerPort, password: '******' } },
      testOnly: true,
    });
    expect(r.status, r.text).toBe(400);
    expect(heard()).toContain('******');
    expect(heard()).not.toContain(SECRET);
  });
});
