/**
 * GET /api/v1/dead-letters on the embedded stack: a task whose consumer reserves it and vanishes
 * five times (visibility timeout shortened to 200 ms) is listed with its history, and its record
 * ends failure / EWorkerNoResponse. The limit is validated; only admin users may read the list.
 * The same through Redis with real workers killed by a poison task: production-faults.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack({ dl__code: `@DFF.API('Echo')\ndef echo(x=1):\n    return x\n` }, {}, { visibilityTimeoutMs: 200 });

describe('dead letters', () => {
  it('lists a task delivered 5 times without an outcome with every delivery; its record ends failure', async () => {
    expect(await t.client.listDeadLetters({})).toEqual([]);
    // Queue #15: no unit of the standalone topology listens to it, only the vanishing consumers below.
    const call = await t.client.callFunc({ params: { funcId: 'dl__code.echo' }, body: { kwargs: { x: 7 }, options: { async: true, queue: 15 } } });
    if (!('id' in call)) throw new Error(`an async call answered no task id: ${JSON.stringify(call)}`);
    const { id } = call;
    for (let i = 1; i <= 5; i++) {
      const d = await t.stack.broker.reserve([15], `gone@test:${i}#0`, 5000);
      expect(d?.task.id).toBe(id);
      expect(d?.attempt).toBe(i);
    }
    const listed = await eventually(async () => (await t.client.listDeadLetters({ query: { limit: 10 } }))[0], 5000, 'the dead letter');
    expect(listed).toMatchObject({ taskId: id, funcId: 'dl__code.echo', queue: 15, attempts: 5, task: { id, kwargs: { x: 7 }, origin: 'direct' } });
    expect(listed.history.map((h) => [h.attempt, h.consumer])).toEqual([1, 2, 3, 4, 5].map((i) => [i, `gone@test:${i}#0`]));
    expect(listed.at).toBeGreaterThanOrEqual(listed.history[4]!.at);
    const record = await eventually(
      async () => {
        const r = await t.client.getTask({ params: { id } });
        return r.status === 'failure' ? r : undefined;
      },
      5000,
      'the record to end',
    );
    expect(record.reason).toBe('EWorkerNoResponse');
  });

  it('leaves out the HTTP request headers of an API call (they may carry credentials)', async () => {
    const now = Date.now();
    await t.stack.broker.enqueue({
      id: 't-api-call',
      funcId: 'dl__code.echo',
      scriptId: 'dl__code',
      funcName: 'echo',
      kwargs: {},
      origin: 'asyncAPI',
      originId: 'api-1',
      queue: 14,
      timeoutMs: 1000,
      expiresAt: now + 60_000,
      triggerTime: now,
      httpRequest: { method: 'POST', url: '/api/v1/al/api-1', headers: { authorization: 'Bearer secret-token' }, query: {}, body: { x: 1 } },
    });
    for (let i = 1; i <= 5; i++) expect((await t.stack.broker.reserve([14], 'gone#0', 5000))?.attempt).toBe(i);
    const listed = await eventually(async () => (await t.client.listDeadLetters({})).find((d) => d.taskId === 't-api-call'), 5000, 'the dead letter');
    expect(listed.task).toMatchObject({ origin: 'asyncAPI', httpRequest: { method: 'POST', url: '/api/v1/al/api-1', body: { x: 1 } } });
    expect(JSON.stringify(listed)).not.toContain('secret-token');
  });

  it('validates the limit: 1-500, 100 by default', async () => {
    for (const limit of ['0', '501', 'many', '1.5']) {
      const r = await t.admin('GET', `/api/v1/dead-letters?limit=${limit}`);
      expect(r.status, limit).toBe(400);
      expect(r.body).toMatchObject({ ok: false, reason: 'EClientBadRequest', detail: { field: 'query.limit' } });
    }
    expect((await t.admin('GET', '/api/v1/dead-letters?limit=500')).status).toBe(200);
  });

  it('answers 401 without credentials and 403 naming general_r to users without it', async () => {
    expect((await t.api('GET', '/api/v1/dead-letters')).body).toMatchObject({ ok: false, reason: 'EUserAuth' });
    await t.client.addUser({ body: { data: { id: 'u-plain', username: 'plain', name: 'Plain', password: 'plain-password', roles: ['customUser'] } } });
    const { xAuthToken: token } = await t.client.signIn({ body: { signIn: { username: 'plain', password: 'plain-password' } } });
    const r = await t.api('GET', '/api/v1/dead-letters', undefined, { 'x-dff-auth-token': token });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ ok: false, reason: 'EUserPrivilege', detail: { permission: 'general_r' } });
    expect((r.body as { message: string }).message).toMatch(/needs the permission general_r/);
  });
});
