/**
 * A request must arrive whole within FUNC_REQUEST_TIMEOUT_S: a client that stops sending its body
 * (a Content-Length it never fills) or its headers gets a 408 and its connection closed, instead of
 * holding it for ever. The handler's own time is not counted: a sync call waits as long as it runs.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';

const CODE = `
import time

@DFF.API('Slow')
def slow(s=0):
    time.sleep(s)
    return 'slept'
`;

let t: TestStack;
let base: string;

/** Sends `head` on a raw connection and answers what came back, and after how long, once the server closed it. */
function stall(port: number, head: string): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const t0 = Date.now();
    socket.on('connect', () => socket.write(head));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve({ text: Buffer.concat(chunks).toString(), ms: Date.now() - t0 }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server still held the stalled connection after 10 s'));
    }, 10_000);
  });
}

beforeAll(async () => {
  t = await startTestStack({ FUNC_REQUEST_TIMEOUT_S: '1' });
  await t.publish('slow__fn', CODE);
  base = await t.stack.app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => t?.close());

describe('FUNC_REQUEST_TIMEOUT_S', () => {
  it('a body that stops short of its Content-Length: 408 naming the request, the connection closed', async () => {
    const port = Number(new URL(base).port);
    const r = await stall(port, 'POST /api/v1/do/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"kwargs":');
    expect(r.text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(r.text.slice(r.text.indexOf('\r\n\r\n') + 4))).toMatchObject({
      ok: false,
      error: 408,
      reason: 'EClientBadRequest',
      message: 'request: not received in time',
      detail: { field: 'request' },
    });
    expect(r.ms).toBeGreaterThanOrEqual(900);
  });

  it('headers that never end: the same', async () => {
    const port = Number(new URL(base).port);
    const r = await stall(port, 'GET /api/v1/do/ping HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(r.text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('a sync call that runs longer than the timeout still gets its answer, and the server answers afterwards', async () => {
    const res = await fetch(`${base}/api/v1/func/slow__fn.slow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dff-auth-token': t.token },
      body: JSON.stringify({ kwargs: { s: 2.5 } }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { result: unknown } }).data.result).toBe('slept');
    expect((await fetch(`${base}/api/v1/do/ping`)).status).toBe(200);
  });
});
