/**
 * Completions for `DFF.CONN` (and its old name `DFF.SRC`): the ids of the stored connectors inside
 * `DFF.CONN(`, and the helper methods of that connector's type after `DFF.CONN('id').` or after a
 * variable assigned from it. The method table mirrors the classes of `backend/python/dff_members.py`
 * (a unit test compares them).
 */
import type { ConnectorType } from '@contract/operations/connectors';

export interface ConnMethod {
  name: string;
  /** Python parameters after `self`, as declared. */
  params: string;
  doc: string;
}

const check: ConnMethod = { name: 'check', params: '', doc: 'Proves the connection (SELECT 1, PING, a CONNACK…); raises EConnectorFailed otherwise.' };
const sql: ConnMethod[] = [
  { name: 'query', params: 'sql, sql_params=None', doc: 'Runs a statement with `?` parameters; answers the rows as dicts.' },
  { name: 'non_query', params: 'sql, sql_params=None', doc: 'Runs a statement that returns no rows; answers the number of rows it changed.' },
  { name: 'query_raw', params: 'sql, sql_params=None', doc: "DataFlux Func's name for `query`." },
  { name: 'non_query_raw', params: 'sql, sql_params=None', doc: "DataFlux Func's name for `non_query`." },
  { name: 'tables', params: '', doc: "The database's tables by name (MySQL `SHOW TABLES`; PostgreSQL the user tables)." },
];
const key = (name: string, params: string, doc: string): ConnMethod => ({ name, params, doc });
/** A method and its short old name `pub`, as the runtime has both. */
const publish = (params: string, doc: string): ConnMethod[] => [key('publish', params, doc), key('pub', params, 'Another name for `publish`.')];
const redis: ConnMethod[] = [
  key('query', '*args, **_kwargs', 'Any Redis command: `query("GET", "k")`.'),
  key('run', '*args, **_kwargs', 'Another name for `query`.'),
  key('ping', '', 'PING.'),
  ...publish('topic, message', 'PUBLISH to a channel.'),
  key('get', 'key', 'GET.'),
  key('set', 'key, value, expires=None, not_exists=False, exists=False, get_old_value=False', 'SET, with EX / NX / XX / GET.'),
  key('mget', 'keys', 'MGET: a dict key → value.'),
  key('mset', 'key_values', 'MSET from a dict.'),
  key('getset', 'key, value', 'GETSET.'),
  key('delete', 'keys', 'DEL one key or a list.'),
  key('exists', 'key', 'EXISTS.'),
  key('keys', "pattern='*', limit=None", 'Keys matching a pattern (SCAN).'),
  key('type', 'key', 'TYPE.'),
  key('expire', 'key, expires', 'EXPIRE in seconds.'),
  key('ttl', 'key', 'TTL in seconds.'),
  key('incr', 'key', 'INCR.'),
  key('incrby', 'key, step=1', 'INCRBY.'),
  key('hget', 'key, field', 'HGET.'),
  key('hset', 'key, field=None, value=None, field_values=None', 'HSET one field or a dict of them.'),
  key('hmset', 'key, field_values', 'HSET from a dict.'),
  key('hmget', 'key, fields', 'HMGET: a dict field → value.'),
  key('hgetall', 'key', 'HGETALL as a dict.'),
  key('hkeys', 'key', 'HKEYS.'),
  key('hdel', 'key, field', 'HDEL.'),
  key('hincrby', 'key, field, step=1', 'HINCRBY.'),
  key('lpush', 'key, value', 'LPUSH.'),
  key('rpush', 'key, value', 'RPUSH.'),
  key('lpop', 'key', 'LPOP.'),
  key('rpop', 'key', 'RPOP.'),
  key('llen', 'key', 'LLEN.'),
  key('lrange', 'key, start=0, stop=-1', 'LRANGE.'),
  key('ltrim', 'key, start, stop', 'LTRIM.'),
  key('sadd', 'key, member', 'SADD.'),
  key('srem', 'key, member', 'SREM.'),
  key('scard', 'key', 'SCARD.'),
  key('smembers', 'key', 'SMEMBERS.'),
  key('sismember', 'key, member', 'SISMEMBER.'),
  key('zadd', 'key, member_scores', 'ZADD from a dict member → score.'),
  key('zrange', 'key, start=0, stop=-1, with_scores=False', 'ZRANGE, with scores if asked.'),
  key('zrangebyscore', "key, min_score='-inf', max_score='+inf', with_scores=False", 'ZRANGEBYSCORE, with scores if asked.'),
  key('zrem', 'key, member', 'ZREM one member or a list.'),
  key('zcard', 'key', 'ZCARD.'),
  key('info', '', 'INFO as a dict.'),
  key('dbsize', '', 'DBSIZE.'),
  key('expireat', 'key, timestamp', 'EXPIREAT an epoch second.'),
  key('pttl', 'key', 'PTTL in milliseconds.'),
  key('hsetnx', 'key, field, value', 'HSETNX.'),
  key('hincr', 'key, field', 'HINCRBY by 1.'),
  key('rpoplpush', 'key, dest_key=None', 'RPOPLPUSH (onto the same list unless `dest_key`).'),
  key('push', '*args, **kwargs', 'Another name for `lpush`.'),
  key('pop', '*args, **kwargs', 'Another name for `rpop`.'),
  key('get_pattern', 'pattern', 'A dict key → value of the keys matching a pattern (None when none).'),
  key('delete_pattern', 'pattern', 'Deletes the keys matching a pattern: how many (None when none).'),
  key('lock', 'lock_key, lock_value, max_lock_time', 'Takes the lock for `max_lock_time` seconds unless held: True, else None.'),
  key('extend_lock_time', 'lock_key, lock_value, max_lock_time', 'Holds the lock longer; raises when `lock_value` does not hold it.'),
  key('unlock', 'lock_key, lock_value', 'Frees the lock if `lock_value` holds it.'),
];
const http = (name: string, params: string): ConnMethod => ({
  name,
  params,
  doc: `HTTP ${name.toUpperCase()} under the connector's base URL, with its headers; answers the body (JSON parsed), raising EConnectorFailed on a status of 400 or more.`,
});

export const CONN_METHODS: Readonly<Record<ConnectorType, readonly ConnMethod[]>> = {
  mysql: [check, ...sql],
  postgresql: [check, ...sql],
  redis: [check, ...redis],
  mqtt: [check, ...publish('topic, message, qos=0, retain=False', 'Publishes to an MQTT topic.')],
  amqp: [check, ...publish('topic, message, exchange=None', 'Publishes to the exchange (the default one routes to the queue named `topic`), confirmed by the broker.')],
  nats: [
    check,
    ...publish('topic, message', 'Publishes to a NATS subject.'),
    key('request', 'topic, message, timeout=None', 'Request/reply on a subject; answers the reply text.'),
  ],
  http: [
    check,
    { name: 'request', params: "method, path='', query=None, body=None, headers=None", doc: "Any method under the connector's base URL; answers `{status, headers, body}`." },
    http('get', "path='', query=None, headers=None"),
    http('delete', "path='', query=None, headers=None"),
    http('post', "path='', body=None, query=None, headers=None"),
    http('put', "path='', body=None, query=None, headers=None"),
    http('patch', "path='', body=None, query=None, headers=None"),
  ],
};

export interface KnownConnector {
  id: string;
  type: ConnectorType;
  title?: string | null;
}

export type ConnCompletion =
  { kind: 'ids'; connectors: readonly KnownConnector[]; quoted: boolean } | { kind: 'methods'; connector: KnownConnector; methods: readonly ConnMethod[] };

const ID_CALL = /\bDFF\.(?:CONN|SRC)\(\s*(['"]?)[\w-]*$/;
const METHOD_CALL = /\bDFF\.(?:CONN|SRC)\(\s*['"]([\w-]+)['"][^)]*\)\.\w*$/;
const VAR_ACCESS = /\b([A-Za-z_]\w*)\.\w*$/;

/** What to offer at the end of `linePrefix` (the line up to the cursor); `text` is the whole file, for variables. */
export function connCompletion(linePrefix: string, text: string, connectors: readonly KnownConnector[]): ConnCompletion | null {
  const idCall = ID_CALL.exec(linePrefix);
  if (idCall) return { kind: 'ids', connectors, quoted: idCall[1] !== '' };
  let id = METHOD_CALL.exec(linePrefix)?.[1];
  if (id === undefined) {
    const name = VAR_ACCESS.exec(linePrefix)?.[1];
    if (name === undefined || name === 'DFF') return null;
    const assigned = new RegExp(`^\\s*${name}\\s*=\\s*DFF\\.(?:CONN|SRC)\\(\\s*['"]([\\w-]+)['"]`, 'gm');
    let m: RegExpExecArray | null;
    while ((m = assigned.exec(text)) !== null) id = m[1];
  }
  const connector = connectors.find((c) => c.id === id);
  return connector ? { kind: 'methods', connector, methods: CONN_METHODS[connector.type] } : null;
}

let known: readonly KnownConnector[] = [];

/** The connectors the editor offers (the console sets them when it has the list). */
export function setKnownConnectors(list: readonly KnownConnector[]): void {
  known = list;
}

export function knownConnectors(): readonly KnownConnector[] {
  return known;
}
