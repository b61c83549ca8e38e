/**
 * DataFlux Func's request timing on every answer (server/request-timing.ts): `clientTime`, `reqTime`,
 * `respTime`, `reqCost` after `traceId` in each envelope, success or failure, as its route.yaml
 * requires them and its console reads them; the same as `X-Request-Time`, `X-Response-Time`,
 * `X-Request-Cost` (and `X-Client-Time` echoed) headers, also on a function's own answer, whose
 * body stays the function's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type ApiResponse, type TestStack } from '../src/testing/test-stack.js';

const CODE = `
import time

@DFF.API('Slow')
def slow(ms=0):
    time.sleep(ms / 1000)
    return 'done'

@DFF.API('Looks like an envelope')
def lookalike():
    return {'ok': True, 'error': 200, 'message': '', 'data': 1, 'traceId': 'mine'}
`;

let t: TestStack;
let lookalikeApi: string;

beforeAll(async () => {
  t = await startTestStack();
  await t.publish('timing__fn', CODE);
  lookalikeApi = (await t.client.addSyncApi({ body: { data: { funcId: 'timing__fn.lookalike', funcCallKwargsJSON: {} } } })).id;
}, 60_000);
afterAll(async () => t?.close());

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The envelope's timing fields, checked against each other and against the headers; answers reqCost. */
function expectTiming(r: ApiResponse, clientTime: string | null = null): number {
  const body = r.body as unknown as Record<string, unknown>;
  const keys = Object.keys(body);
  expect(keys.slice(keys.indexOf('traceId'))).toEqual(['traceId', 'clientTime', 'reqTime', 'respTime', 'reqCost']);
  expect(body.clientTime).toBe(clientTime);
  expect(body.reqTime).toMatch(ISO);
  expect(body.respTime).toMatch(ISO);
  const cost = body.reqCost as number;
  expect(Number.isInteger(cost) && cost >= 0).toBe(true);
  expect(Date.parse(body.respTime as string) - Date.parse(body.reqTime as string)).toBe(cost);
  expect(r.headers['x-request-time']).toBe(body.reqTime);
  expect(r.headers['x-response-time']).toBe(body.respTime);
  expect(r.headers['x-request-cost']).toBe(String(cost));
  expect(r.headers['x-client-time']).toBe(clientTime ?? undefined);
  return cost;
}

describe('request timing, as DataFlux Func answers it', () => {
  it('a success envelope carries it after traceId, the headers agree', async () => {
    const r = await t.api('GET', '/api/v1/do/ping');
    expect(r.status, r.text).toBe(200);
    expectTiming(r);
  });

  it("the caller's X-Client-Time is echoed; one that is not a short plain string is not", async () => {
    const given = '2026-12-07T01:02:03.456Z';
    expectTiming(await t.api('GET', '/api/v1/do/ping', undefined, { 'x-client-time': given }), given);
    expectTiming(await t.api('GET', '/api/v1/do/ping', undefined, { 'x-client-time': 'x'.repeat(65) }));
  });

  it('every failure envelope carries it: 404, 400, 401, 599', async () => {
    const notFound = await t.api('GET', '/api/v1/no-such-route');
    expect(notFound.status).toBe(404);
    expectTiming(notFound);
    const bad = await t.admin('GET', '/api/v1/task-records/func/do/list?pageSize=x');
    expect(bad.status).toBe(400);
    expectTiming(bad);
    const anonymous = await t.api('GET', '/api/v1/script-sets/do/list');
    expect(anonymous.status).toBe(401);
    expectTiming(anonymous);
    const failed = await t.admin('POST', '/api/v1/func/timing__fn.slow', { kwargs: { ms: 'x' } });
    expect(failed.status).toBe(599);
    expectTiming(failed);
  });

  it("reqCost is the time the request took: a call's wait is in it", async () => {
    const r = await t.admin('POST', '/api/v1/func/timing__fn.slow', { kwargs: { ms: 300 } });
    expect(r.status, r.text).toBe(200);
    expect((r.body.data as { result: unknown }).result).toBe('done');
    expect(expectTiming(r)).toBeGreaterThanOrEqual(300);
  });

  it("a function's own answer keeps its body as returned (even one shaped like an envelope) and gets the headers", async () => {
    const r = await t.api('GET', `/api/v1/sync/${lookalikeApi}`);
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ ok: true, error: 200, message: '', data: 1, traceId: 'mine' });
    expect(r.headers['x-request-time']).toMatch(ISO);
    expect(r.headers['x-request-cost']).toMatch(/^\d+$/);
  });
});
