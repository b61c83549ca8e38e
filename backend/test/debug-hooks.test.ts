/**
 * DataFlux Func's POST /api/v1/debug/worker-queues/do/clear on the embedded stack: the tasks
 * waiting on the queues named (ready or delayed) are taken out and their records end cancelled,
 * tasks on other queues stay; without queues every queue is cleared; bad queues are refused
 * naming them with nothing cleared; general_w as DataFlux Func requires.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

// Queues 13–15: no unit of the standalone topology takes them, so tasks wait there.
const t = useTestStack({ dbg__code: `@DFF.API('Echo')\ndef echo(x=1):\n    return x\n` });

async function waitingOn(queue: number, delay?: number): Promise<string> {
  const call = await t.client.callFunc({ params: { funcId: 'dbg__code.echo' }, body: { kwargs: { x: queue }, options: { async: true, queue, ...(delay ? { delay } : {}) } } });
  if (!('id' in call)) throw new Error(`no task id: ${JSON.stringify(call)}`);
  return call.id;
}

const statusOf = async (id: string): Promise<string> => (await t.client.getTask({ params: { id } })).status;

describe('POST /api/v1/debug/worker-queues/do/clear', () => {
  it('cancels the tasks waiting on the queues named, ready or delayed, and leaves the others', async () => {
    const ready15 = [await waitingOn(15), await waitingOn(15)];
    const delayed15 = await waitingOn(15, 600);
    const on14 = await waitingOn(14);
    const r = await t.admin('POST', '/api/v1/debug/worker-queues/do/clear', { workerQueues: [15, 12] });
    expect(r.status, r.text).toBe(200);
    expect(r.data).toEqual({ cancelled: 3, queues: { '12': 0, '15': 3 } });
    for (const id of [...ready15, delayed15]) {
      expect(await statusOf(id)).toBe('cancelled');
      expect(await t.stack.broker.queuePosition(id, 15)).toBeNull();
    }
    expect(await statusOf(on14)).toBe('queued');
    expect(await t.stack.broker.queuePosition(on14, 14)).toBe(1);

    const all = await t.admin('POST', '/api/v1/debug/worker-queues/do/clear', { workerQueues: null });
    expect(all.status, all.text).toBe(200);
    expect(all.data).toMatchObject({ cancelled: 1, queues: { '0': 0, '14': 1, '15': 0 } });
    expect(await statusOf(on14)).toBe('cancelled');
    expect((await t.admin('POST', '/api/v1/debug/worker-queues/do/clear', {})).data).toMatchObject({ cancelled: 0 });
  });

  it('refuses a queue Func does not have, naming it, and clears nothing', async () => {
    const id = await waitingOn(13);
    for (const [workerQueues, field] of [
      [[13, 16], 'body.workerQueues.1'],
      [['x'], 'body.workerQueues.0'],
      ['13', 'body.workerQueues'],
    ] as const) {
      const r = await t.admin('POST', '/api/v1/debug/worker-queues/do/clear', { workerQueues });
      expect(r.status).toBe(400);
      expect(r.body.message).toContain(field);
    }
    expect(await statusOf(id)).toBe('queued');
    await t.admin('POST', '/api/v1/debug/worker-queues/do/clear', { workerQueues: [13] });
    expect(await statusOf(id)).toBe('cancelled');
  });

  it('needs general_w: a read-only user is refused, no token is 401', async () => {
    await t.client.addUser({ body: { data: { username: 'dbg-viewer', name: 'v', password: 'debug-password-1', roles: ['readonlyUser'] } } });
    const { xAuthToken } = await t.client.signIn({ body: { signIn: { username: 'dbg-viewer', password: 'debug-password-1' } } });
    const id = await waitingOn(13);
    const refused = await t.api('POST', '/api/v1/debug/worker-queues/do/clear', {}, { 'x-dff-auth-token': xAuthToken });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ reason: 'EUserPrivilege', detail: { permission: 'general_w' } });
    expect((await t.api('POST', '/api/v1/debug/worker-queues/do/clear', {})).status).toBe(401);
    expect(await statusOf(id)).toBe('queued');
  });
});
