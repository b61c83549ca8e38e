/**
 * toApiError on what a database or Redis that does not answer throws: the real MySQL driver
 * (Kysely over mysql2) and the real RedisBroker pointed at a port nothing listens on; and on a
 * request whose client went away mid-body, as a real Fastify reports it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Kysely, MysqlDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import { describe, expect, it } from 'vitest';
import { RedisBroker } from '../adapters/broker/redis/redis-broker.js';
import { isConnectionError } from '../adapters/store/db-errors.js';
import { openStore } from '../adapters/store/open-store.js';
import { withRecordBatcher } from '../domain/tasks/record-batcher.js';
import { toApiError } from './errors.js';

/** A free port, closed again: connecting to it is refused. */
const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('toApiError: the database cannot be reached', () => {
  it('answers 503 ESysDB naming the database, not 500 ESys', async () => {
    const db = new Kysely({ dialect: new MysqlDialect({ pool: createPool({ uri: `mysql://root@127.0.0.1:${await closedPort()}/func`, connectTimeout: 2000 }) }) });
    try {
      const err = await failureOf(() => sql`select 1`.execute(db));
      expect(err).toBeInstanceOf(Error);
      const api = toApiError(err, isConnectionError);
      expect(api.code).toBe('ESysDB');
      expect(api.status).toBe(503);
      expect(api.message).toBe('The database cannot be reached (ECONNREFUSED); try again once it is back');
    } finally {
      await db.destroy();
    }
  });

  it("the server's store (the opened store under the record batcher, as the wiring builds it) tells such an error", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'func-errors-'));
    const store = withRecordBatcher(await openStore({ sqlitePath: join(dir, 'func.sqlite') }), 0);
    try {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
      expect(store.isUnreachable?.(refused)).toBe(true);
      expect(toApiError(refused, (e) => store.isUnreachable?.(e) ?? false).code).toBe('ESysDB');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves other errors as they were (a statement the database refused is 500 ESys)', () => {
    const refused = Object.assign(new Error("Table 'x' doesn't exist"), { code: 'ER_NO_SUCH_TABLE', errno: 1146 });
    expect(toApiError(refused, isConnectionError).code).toBe('ESys');
    expect(toApiError(new Error('boom')).code).toBe('ESys');
  });
});

describe('toApiError: the request itself failed', () => {
  it('a client that closes its connection mid-body (Node\'s ECONNRESET "aborted") is a 400 naming the body, not the database\'s 503', async () => {
    // What a real Fastify hands its error handler when the client goes away mid-body.
    const app = Fastify();
    const seen = new Promise<unknown>((resolve) => {
      app.setErrorHandler((err, _req, reply) => {
        resolve(err);
        void reply.status(500).send();
      });
    });
    // The socket goes only once the server has the request's head (its body is being read then), not after a fixed time a loaded machine may not keep.
    let headIn = (): void => undefined;
    const headSeen = new Promise<void>((resolve) => (headIn = resolve));
    app.addHook('onRequest', (_req, _reply, done) => {
      headIn();
      done();
    });
    app.post('/x', () => 'never');
    const base = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    try {
      const socket = connect(Number(base.port), base.hostname, () => {
        socket.write('POST /x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"data":');
        void headSeen.then(() => setTimeout(() => socket.destroy(), 50));
      });
      const err = await seen;
      expect(err).toMatchObject({ code: 'ECONNRESET' });
      // The server's store says ECONNRESET is the database's: the request's own comes first.
      const api = toApiError(err, isConnectionError);
      expect(api.code).toBe('EClientBadRequest');
      expect(api.status).toBe(400);
      expect(api.message).toBe('body: the connection closed before the body arrived whole');
      expect(api.detail).toEqual({ field: 'body' });
      // The database's own ECONNRESET stays a 503.
      expect(toApiError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), isConnectionError).code).toBe('ESysDB');
    } finally {
      await app.close();
    }
  });
});

describe('toApiError: Redis cannot be reached', () => {
  it('answers 503 ERedisUnavailable with the broker error, not 500 ESys', async () => {
    const broker = new RedisBroker({ url: `redis://127.0.0.1:${await closedPort()}`, prefix: 'errors-test:', sweepEveryMs: 0, maxRetriesPerRequest: 1 });
    try {
      const api = toApiError(await failureOf(() => broker.stats()));
      expect(api.code).toBe('ERedisUnavailable');
      expect(api.status).toBe(503);
      // Not where it is: the answer may go to any API caller (the log has the cause).
      expect(api.message).toBe('The broker (Redis) cannot be reached; try again once it is back');
    } finally {
      await broker.close();
    }
  });
});
