/**
 * eta/delay bounds and cancelling a waiting task, through HTTP on a real embedded stack (and
 * across a restart of it: a cancelled task is not recovered).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestStack, type TestStack } from '../src/testing/test-stack.js';
import { sleepFunc } from '../src/testing/python-fixtures.js';

const CODE = `import time

@DFF.API('Mark', timeout=30)
def mark(i):
    DFF.STORE.set(f'ran-{i}', i, scope='cancel')
    return i

@DFF.API('Eta')
def eta_of():
    return _DFF_ETA

${sleepFunc('sleep', 'timeout=30')}`;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number): string => new Date(ms).toISOString();

let t: TestStack;
let restarted: TestStack | undefined;
let home = '';

const status = async (s: TestStack, id: string): Promise<string> => ((await s.admin('GET', `/api/v1/tasks/${id}`)).body.data as { status: string }).status;
const callAsync = async (s: TestStack, funcId: string, kwargs: Record<string, unknown>, options: Record<string, unknown> = {}): Promise<string> => {
  const r = await s.admin('POST', `/api/v1/func/${funcId}`, { kwargs, options: { async: true, ...options } });
  expect(r.status, r.text).toBe(200);
  return (r.body.data as { id: string }).id;
};

beforeAll(async () => {
  t = await startTestStack({}, { keepHome: true });
  home = t.home;
  await t.publish('cancel__main', CODE);
}, 60_000);

let firstClosed = false;

afterAll(async () => {
  if (!firstClosed) await t?.close();
  await restarted?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('eta and delay', () => {
  it('refuses an eta or a delay beyond 30 days with a 400 naming the field', async () => {
    const far = await t.admin('POST', '/api/v1/func/cancel__main.mark', { kwargs: { i: 0 }, options: { async: true, eta: iso(Date.now() + 31 * DAY) } });
    expect(far.status, far.text).toBe(400);
    expect(far.body.detail?.field).toBe('body.options.eta');
    const farDelay = await t.admin('POST', '/api/v1/func/cancel__main.mark', { kwargs: { i: 0 }, options: { async: true, delay: 31 * 86400 } });
    expect(farDelay.status, farDelay.text).toBe(400);
    expect(farDelay.body.detail?.field).toBe('body.options.delay');
    // Nothing was queued for either.
    const records = await t.admin('GET', '/api/v1/task-records/func/do/list?funcId=cancel__main.mark');
    expect(records.body.data).toEqual([]);
  });

  it('runs a task whose eta is in the past now (not expired)', async () => {
    const sync = await t.admin('POST', '/api/v1/func/cancel__main.mark', { kwargs: { i: 1 }, options: { eta: iso(Date.now() - HOUR) } });
    expect(sync.status, sync.text).toBe(200);
    expect((sync.body.data as { result: number }).result).toBe(1);
    const id = await callAsync(t, 'cancel__main.mark', { i: 2 }, { eta: iso(Date.now() - DAY) });
    await eventually(async () => ((await status(t, id)) === 'success' ? true : undefined), 20_000, 'past-eta task');
  });
});

describe("a sync or async API call's eta, delay and expires", () => {
  // As DataFlux Func, which Object.assign's the caller's options into the task request.
  it('puts off an async API call by its delay or eta and keeps its expires', async () => {
    const api = await t.add('/api/v1/async-apis/do/add', { funcId: 'cancel__main.eta_of', funcCallKwargsJSON: {} });
    const delayed = await t.admin('POST', `/api/v1/async/${api}`, { options: { delay: 3600, expires: 5 } });
    expect(delayed.status, delayed.text).toBe(200);
    const id = (delayed.body.data as { id: string }).id;
    expect(await status(t, id)).toBe('queued');
    const message = (await t.stack.store.taskRecords.get(id))?.messageJSON as { eta: number; expiresAt: number; delay: number };
    expect(message.delay).toBe(3600);
    expect(message.expiresAt - message.eta).toBe(5000);
    const at = await t.admin('GET', `/api/v1/async/${api}?options[eta]=${iso(Date.now() + HOUR)}`);
    expect(at.status, at.text).toBe(200);
    expect((await t.stack.broker.stats()).reduce((n, q) => n + q.delayed, 0)).toBe(2);
    for (const task of [id, (at.body.data as { id: string }).id]) expect((await t.admin('POST', `/api/v1/tasks/${task}/do/cancel`)).status).toBe(200);
  });

  it('runs a sync API call put off by a few seconds and refuses one put off beyond 10 s, naming the option', async () => {
    const api = await t.add('/api/v1/sync-apis/do/add', { funcId: 'cancel__main.eta_of', funcCallKwargsJSON: {} });
    const eta = iso(Date.now() + 1000);
    const r = await t.admin('POST', `/api/v1/sync/${api}`, { options: { eta } });
    expect(r.status, r.text).toBe(200);
    expect(r.text).toBe(eta);
    for (const [options, field] of [
      [{ delay: 60 }, 'options.delay'],
      [{ eta: iso(Date.now() + HOUR), delay: 1 }, 'options.eta'],
    ] as const) {
      const late = await t.admin('POST', `/api/v1/sync/${api}`, { options });
      expect(late.status, late.text).toBe(400);
      expect(late.body.detail?.field).toBe(field);
    }
    const records = await t.admin('GET', `/api/v1/task-records/func/do/list?funcId=cancel__main.eta_of&origin=syncAPI`);
    expect((records.body.data as unknown[]).length).toBe(1);
  });

  it("ignores a sync API call's options.async, as DataFlux Func: the caller waits for the result", async () => {
    const api = await t.add('/api/v1/sync-apis/do/add', { funcId: 'cancel__main.mark', funcCallKwargsJSON: { i: 'INPUT_BY_CALLER' } });
    const r = await t.admin('POST', `/api/v1/sync/${api}`, { kwargs: { i: 7 }, options: { async: true } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toBe(7);
  });
});

describe('the forms of an eta', () => {
  // Through HTTP in this process's time zone (UTC on most CI machines, where local time and UTC
  // agree): eta-time-zone.test.ts parses in a process at UTC+8, where they do not.
  it("takes ISO 8601 dates and date-times without an offset (Python's isoformat(), a space, a date alone) as UTC", async () => {
    const past = Math.floor((Date.now() - HOUR) / 1000) * 1000;
    const noZ = iso(past).slice(0, -1); // 2026-12-07T10:37:15.000
    const today = iso(Date.now()).slice(0, 10);
    for (const [eta, asUtc] of [
      [`${noZ.slice(0, 19)}.817112`, past + 817],
      [noZ.slice(0, 19).replace('T', ' '), past],
      [noZ.slice(0, 16), past - (past % 60_000)],
      [today, Date.parse(`${today}T00:00:00Z`)],
      [`${noZ.slice(0, 19)}+08:00`, past - 8 * HOUR],
    ] as const) {
      const r = await t.admin('POST', '/api/v1/func/cancel__main.eta_of', { options: { eta } });
      expect(r.status, `${eta}: ${r.text}`).toBe(200);
      expect((r.body.data as { result: unknown }).result, eta).toBe(iso(asUtc));
    }
    // Ahead: delayed until then, read as UTC.
    const ahead = Date.now() + HOUR;
    const id = await callAsync(t, 'cancel__main.eta_of', {}, { eta: iso(ahead).slice(0, -1).replace('T', ' ') });
    expect(await status(t, id)).toBe('queued');
    expect((await t.stack.broker.stats()).reduce((n, q) => n + q.delayed, 0)).toBe(1);
    expect((await t.admin('POST', `/api/v1/tasks/${id}/do/cancel`)).status).toBe(200);
    // func-many takes the same forms.
    const many = await t.admin('POST', '/api/v1/func-many', { calls: [{ funcId: 'cancel__main.eta_of', options: { eta: noZ.slice(0, 10) } }] });
    expect(many.status, many.text).toBe(200);
  });

  it('refuses text that is no ISO 8601 date or date-time, naming the field and the forms it takes', async () => {
    for (const eta of ['tomorrow', '2030-02-30', '2030-01-01T25:00', '01/02/2030']) {
      const r = await t.admin('POST', '/api/v1/func/cancel__main.eta_of', { options: { async: true, eta } });
      expect(r.status, r.text).toBe(400);
      expect(r.body.detail?.field).toBe('body.options.eta');
      expect(r.body.message).toMatch(/^body\.options\.eta: must be an ISO 8601 date or date-time: 2030-01-31, or 2030-01-31T08:00.*without one the time is UTC/);
    }
    const many = await t.admin('POST', '/api/v1/func-many', { calls: [{ funcId: 'cancel__main.eta_of', options: { eta: 'soon' } }] });
    expect(many.status, many.text).toBe(400);
    expect(many.body.detail?.field).toBe('body.calls.0.options.eta');
    const far = await t.admin('POST', '/api/v1/func/cancel__main.eta_of', { options: { async: true, eta: iso(Date.now() + 31 * DAY).slice(0, 10) } });
    expect(far.status, far.text).toBe(400);
    expect(far.body.message).toContain('at most 30 days ahead');
  });
});

describe('cancel', () => {
  let delayed = '';

  it('cancels a delayed task: its record is final as cancelled and it never runs', async () => {
    delayed = await callAsync(t, 'cancel__main.mark', { i: 3 }, { eta: iso(Date.now() + HOUR) });
    expect(await status(t, delayed)).toBe('queued');
    const r = await t.admin('POST', `/api/v1/tasks/${delayed}/do/cancel`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ id: delayed, status: 'cancelled', reason: 'EFuncCancelled' });
    expect(await status(t, delayed)).toBe('cancelled');
    expect((await t.stack.broker.stats()).reduce((n, q) => n + q.delayed, 0)).toBe(0);
    // Cancelled once: a second cancel is refused, naming the status.
    const again = await t.admin('POST', `/api/v1/tasks/${delayed}/do/cancel`);
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ reason: 'EBizCondition', detail: { status: 'cancelled' } });
  });

  it('refuses to cancel a finished or running task (403 EBizCondition) and leaves it as it is', async () => {
    const done = await callAsync(t, 'cancel__main.mark', { i: 4 });
    await eventually(async () => ((await status(t, done)) === 'success' ? true : undefined), 20_000, 'finished task');
    const r = await t.admin('POST', `/api/v1/tasks/${done}/do/cancel`);
    expect(r.status, r.text).toBe(403);
    expect(r.body).toMatchObject({ reason: 'EBizCondition', detail: { id: done, status: 'success' } });
    expect(r.body.message).toMatch(/current state/);
    expect(await status(t, done)).toBe('success');

    const running = await callAsync(t, 'cancel__main.sleep', { s: 2 });
    await eventually(async () => ((await status(t, running)) === 'running' ? true : undefined), 20_000, 'running task');
    const busy = await t.admin('POST', `/api/v1/tasks/${running}/do/cancel`);
    expect(busy.status, busy.text).toBe(403);
    expect(busy.body.detail?.status).toBe('running');
    await eventually(async () => ((await status(t, running)) === 'success' ? true : undefined), 20_000, 'running task to end');
    expect((await t.admin('POST', '/api/v1/tasks/no-such-task/do/cancel')).status).toBe(404);
  });

  it('answers a sync caller waiting on a task that is cancelled with an error, at once', async () => {
    const waiting = t.admin('POST', '/api/v1/func/cancel__main.mark', { kwargs: { i: 5 }, options: { delay: 8 } }); // a sync call may be put off by at most 10 s
    const id = await eventually(
      async () => {
        const list = await t.admin('GET', '/api/v1/task-records/func/do/list?funcId=cancel__main.mark&status=queued');
        return (list.body.data as { id: string }[])[0]?.id;
      },
      10_000,
      'the sync task record',
    );
    expect((await t.admin('POST', `/api/v1/tasks/${id}/do/cancel`)).status).toBe(200);
    const answer = await waiting;
    expect(answer.status, answer.text).toBe(599);
    expect(answer.body.reason).toBe('EFuncCancelled');
  });

  it('does not bring a cancelled task back on a restart', async () => {
    const stillQueued = await callAsync(t, 'cancel__main.mark', { i: 6 }, { eta: iso(Date.now() + HOUR) });
    await t.close();
    firstClosed = true;
    restarted = await startTestStack({}, { home, keepHome: true });
    // The other delayed task is recovered; the cancelled ones are not.
    expect(restarted.stack.recovered).toBe(1);
    expect(await status(restarted, stillQueued)).toBe('queued');
    expect(await status(restarted, delayed)).toBe('cancelled');
    expect((await restarted.stack.broker.stats()).reduce((n, q) => n + q.delayed, 0)).toBe(1);
    expect((await restarted.admin('POST', `/api/v1/tasks/${stillQueued}/do/cancel`)).status).toBe(200);
    expect(await restarted.stack.store.funcStore.get('cancel', 'ran-3', Date.now())).toBeUndefined();
    expect(await restarted.stack.store.funcStore.get('cancel', 'ran-5', Date.now())).toBeUndefined();
    expect(await restarted.stack.store.funcStore.get('cancel', 'ran-2', Date.now())).toBe(2);
  }, 60_000);
});
