/**
 * DFF.CRON_JOB's dynamic cron expressions and pause, as DataFlux Func's scripts use them: set from
 * a script in a real Python runner, honoured by the beat (an injected clock, ticked by hand),
 * answered by the cron job list and get.
 */
import { describe, expect, it } from 'vitest';
import { taskSucceeded } from '../src/testing/test-client.js';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const CODE = `
@DFF.API('Tick')
def tick(label='x'):
    return label

@DFF.API('Set')
def set_expr(job_id, expr, expires=None):
    ret = DFF.CRON_JOB.set_cron_expr(expr, expires=expires, entity_id=job_id)
    return {'ret': ret, 'get': DFF.CRON_JOB.get_cron_expr(job_id), 'all': DFF.CRON_JOB.get_all_cron_expr(),
            'effective': DFF.CRON_JOB.get(job_id)['effectiveCronExpr'], 'old_name': DFF.CRON_JOB.get_crontab(job_id)}

@DFF.API('Clear')
def clear_expr(job_id):
    DFF.CRON_JOB.clear_crontab(job_id)
    return {'get': DFF.CRON_JOB.get_cron_expr(job_id), 'effective': DFF.CRON_JOB.get(job_id)['effectiveCronExpr']}

@DFF.API('Pause')
def pause(job_id, expires):
    return ['paused', DFF.CRON_JOB.pause(expires, entity_id=job_id)]

@DFF.API('Refused')
def refused(kind):
    try:
        if kind == 'expr':
            DFF.CRON_JOB.set_cron_expr('61 * * * *', entity_id='cd-members')
        elif kind == 'fields':
            DFF.CRON_JOB.set_cron_expr('* * *', entity_id='cd-members')
        elif kind == 'expires':
            DFF.CRON_JOB.set_cron_expr('* * * * *', expires=-5, entity_id='cd-members')
        elif kind == 'pause0':
            DFF.CRON_JOB.pause(0, entity_id='cd-members')
        elif kind == 'pauseNone':
            DFF.CRON_JOB.pause(None, entity_id='cd-members')
        elif kind == 'missing':
            DFF.CRON_JOB.set_cron_expr('* * * * *', entity_id='no-such-job')
    except Exception as e:
        return [type(e).__name__, str(e)]
    return 'accepted'

@DFF.API('Sets its own cron job')
def self_set():
    answers = [DFF.CRON_JOB.set_temp_crontab('*/5 * * * *', 60), DFF.CRON_JOB.pause(30)]
    return [DFF.CRON_JOB.get_cron_expr()] + answers

@DFF.API('Not run by a cron job')
def no_id():
    return [DFF.CRON_JOB.set_cron_expr('* * * * *'), DFF.CRON_JOB.get_cron_expr(), DFF.CRON_JOB.pause(10), DFF.CRON_JOB.clear_cron_expr()]
`;

const T0 = Date.UTC(2026, 0, 1, 0, 0, 30);
/** T0 in epoch seconds: the unit of dynamicCronExprExpireTime and pauseExpireTime, as DataFlux Func. */
const T0_S = T0 / 1000;
let clock = T0;
const t = useTestStack({ cron__dyn: CODE }, {}, { now: () => clock });

const call = async (name: string, kwargs: Record<string, unknown> = {}): Promise<unknown> => {
  const r = await t.admin('POST', `/api/v1/func/cron__dyn.${name}`, { kwargs });
  expect(r.status, r.text).toBe(200);
  return (r.data as { result: unknown }).result;
};
const addJob = async (id: string, cronExpr: string): Promise<void> => {
  await t.client.addCronJob({ body: { data: { id, funcId: 'cron__dyn.tick', cronExpr, funcCallKwargsJSON: { label: id } } } });
};
const disable = async (id: string): Promise<void> => {
  await t.client.modifyCronJob({ params: { id }, body: { data: { isDisabled: true } } });
};
const at = (min: number, s = 0, ms = 0): number => Date.UTC(2026, 0, 1, 0, min, s, ms);
const runsOf = async (id: string): Promise<number[]> =>
  (await t.client.listTaskRecords({ query: { origin: 'cronJob', originId: id } })).map((r) => r.triggerTimeMs).sort((a, b) => a - b);

/** Waits until each run of the job has ended (a run still queued would make the next one `skipped`). */
const settled = (id: string): Promise<true> =>
  eventually(async () => ((await t.client.listTaskRecords({ query: { origin: 'cronJob', originId: id } })).every((r) => r.status === 'success') ? true : undefined));

describe('DFF.CRON_JOB dynamic cron expressions and pause', () => {
  it('set_cron_expr, get_cron_expr, get_all_cron_expr and clear_cron_expr (and old names) from a script', async () => {
    await addJob('cd-members', '0 * * * *');
    // As DataFlux Func: set_cron_expr answers None, get_cron_expr the expression, get_all_cron_expr {id: expression} (no times).
    expect(await call('set_expr', { job_id: 'cd-members', expr: '*/10 * * * *', expires: 3600 })).toEqual({
      ret: null,
      get: '*/10 * * * *',
      all: { 'cd-members': '*/10 * * * *' },
      effective: '*/10 * * * *',
      old_name: '*/10 * * * *',
    });
    expect(await call('clear_expr', { job_id: 'cd-members' })).toEqual({ get: null, effective: '0 * * * *' });
    // Not run by a cron job and no id: nothing to do, as DataFlux Func.
    expect(await call('no_id')).toEqual([null, null, null, null]);
    await disable('cd-members');
  });

  it('a task run by a cron job sets its own job when given no id', async () => {
    clock = T0;
    await t.client.addCronJob({ body: { data: { id: 'cd-self', funcId: 'cron__dyn.self_set', cronExpr: '0 0 1 1 *', funcCallKwargsJSON: {} } } });
    const { id: taskId } = await t.client.runCronJob({ params: { id: 'cd-self' }, body: {} });
    await taskSucceeded(t.client, taskId);
    const rec = (await t.client.listTaskRecords({ query: { origin: 'cronJob', originId: 'cd-self' } }))[0];
    expect(rec?.returnValueJSON).toEqual(['*/5 * * * *', null, null]);
    const job = await t.client.getCronJob({ params: { id: 'cd-self' } });
    // Epoch seconds, as DataFlux Func (not ms): floor(now) + expires.
    expect(job).toMatchObject({ dynamicCronExpr: '*/5 * * * *', dynamicCronExprExpireTime: T0_S + 60, isPaused: true, pauseExpireTime: T0_S + 30 });
    await call('clear_expr', { job_id: 'cd-self' });
    await disable('cd-self');
  });

  it('refuses a bad expression, expiry or job with a clear exception, storing nothing', async () => {
    await call('set_expr', { job_id: 'cd-members', expr: '*/10 * * * *' });
    const expr = (await call('refused', { kind: 'expr' })) as [string, string];
    expect(expr[0]).toBe('ValueError');
    expect(expr[1]).toContain('Invalid cron expression "61 * * * *"');
    const fields = (await call('refused', { kind: 'fields' })) as [string, string];
    expect(fields[0]).toBe('ValueError');
    expect(fields[1]).toContain('"* * *"');
    expect(((await call('refused', { kind: 'expires' })) as string[])[0]).toBe('ValueError');
    const pause0 = (await call('refused', { kind: 'pause0' })) as [string, string];
    expect(pause0[0]).toBe('ValueError');
    expect(pause0[1]).toContain('positive');
    expect(((await call('refused', { kind: 'pauseNone' })) as string[])[0]).toBe('TypeError');
    expect(((await call('refused', { kind: 'missing' })) as string[])[1]).toContain('no-such-job');
    const job = await t.client.getCronJob({ params: { id: 'cd-members' } });
    expect(job.dynamicCronExpr).toBe('*/10 * * * *');
    expect(job.isPaused).toBe(false);
    await call('clear_expr', { job_id: 'cd-members' });
  });

  it('the beat fires a job by its dynamic expression until it expires, then by its own', async () => {
    clock = T0;
    await addJob('cd-beat', '0 0 1 1 *');
    expect((await t.client.getCronJob({ params: { id: 'cd-beat' } })).nextRunTime).toBe(Date.UTC(2027, 0, 1));
    // Every minute for 150 s: in force until 00:03:00, included.
    await call('set_expr', { job_id: 'cd-beat', expr: '* * * * *', expires: 150 });
    await t.stack.beat.tick();
    let job = await t.client.getCronJob({ params: { id: 'cd-beat' } });
    expect(job.nextRunTime).toBe(at(1));
    expect(job.dynamicCronExpr).toBe('* * * * *');
    expect(job.dynamicCronExprExpireTime).toBe(T0_S + 150);
    const listed = (await t.client.listCronJobs({ query: {} })).find((j) => j.id === 'cd-beat');
    expect(listed).toMatchObject({ dynamicCronExpr: '* * * * *', dynamicCronExprExpireTime: T0_S + 150, isPaused: false, pauseExpireTime: null });

    clock = at(1, 0, 200);
    expect((await t.stack.beat.tick()).fired).toBe(1);
    await settled('cd-beat');
    clock = at(2, 0, 200);
    expect((await t.stack.beat.tick()).fired).toBe(1);
    await settled('cd-beat');
    // 00:03:00 is the last time in force; after it the job's own yearly expression.
    clock = at(3, 0, 200);
    expect((await t.stack.beat.tick()).fired).toBe(1);
    await settled('cd-beat');
    job = await t.client.getCronJob({ params: { id: 'cd-beat' } });
    expect(job.nextRunTime).toBe(Date.UTC(2027, 0, 1));
    // As DataFlux Func (whole seconds), the list shows it through the second it ends, 00:03:00.
    expect(job.dynamicCronExpr).toBe('* * * * *');
    clock = at(3, 1);
    expect((await t.client.getCronJob({ params: { id: 'cd-beat' } })).dynamicCronExpr).toBeNull();
    clock = at(4, 0, 200);
    expect((await t.stack.beat.tick()).fired).toBe(0);
    expect(await runsOf('cd-beat')).toEqual([at(1), at(2), at(3)]);
    // The beat dropped the expired entry.
    expect(await call('set_expr', { job_id: 'cd-members', expr: '5 * * * *' })).toMatchObject({ all: { 'cd-members': '5 * * * *' } });
    await call('clear_expr', { job_id: 'cd-members' });
    await disable('cd-beat');
  });

  it('the beat goes back to the own expression when the dynamic one is cleared', async () => {
    clock = at(10, 30);
    await addJob('cd-clear', '0 * * * *');
    await call('set_expr', { job_id: 'cd-clear', expr: '*/5 * * * * *' });
    await t.stack.beat.tick();
    expect((await t.client.getCronJob({ params: { id: 'cd-clear' } })).nextRunTime).toBe(at(10, 35));
    clock = at(10, 35, 100);
    expect((await t.stack.beat.tick()).fired).toBe(1);
    await call('clear_expr', { job_id: 'cd-clear' });
    clock = at(10, 36);
    await t.stack.beat.tick();
    expect((await t.client.getCronJob({ params: { id: 'cd-clear' } })).nextRunTime).toBe(Date.UTC(2026, 0, 1, 1, 0, 0));
    clock = at(10, 40, 100);
    expect((await t.stack.beat.tick()).fired).toBe(0);
    expect(await runsOf('cd-clear')).toEqual([at(10, 35)]);
    await disable('cd-clear');
  });

  it('a due time another expression put there is moved on, not fired (the job modified while a dynamic one is in force)', async () => {
    clock = at(40, 30);
    await addJob('cd-mod', '* * * * *');
    await call('set_expr', { job_id: 'cd-mod', expr: '0 0 1 1 *', expires: 0 });
    await t.stack.beat.tick();
    expect((await t.client.getCronJob({ params: { id: 'cd-mod' } })).nextRunTime).toBe(Date.UTC(2027, 0, 1));
    await t.client.modifyCronJob({ params: { id: 'cd-mod' }, body: { data: { note: 'edited' } } });
    expect((await t.client.getCronJob({ params: { id: 'cd-mod' } })).nextRunTime).toBe(at(41));
    clock = at(41, 0, 100);
    expect((await t.stack.beat.tick()).fired).toBe(0);
    const job = await t.client.getCronJob({ params: { id: 'cd-mod' } });
    expect(job.nextRunTime).toBe(Date.UTC(2027, 0, 1));
    expect(job.dynamicCronExprExpireTime).toBeNull();
    await call('clear_expr', { job_id: 'cd-mod' });
    await disable('cd-mod');
  });

  it('a paused job does not fire until its pause ends, then fires again', async () => {
    clock = at(20, 30);
    await addJob('cd-pause', '* * * * *');
    expect(await call('pause', { job_id: 'cd-pause', expires: 120 })).toEqual(['paused', null]); // paused until 00:22:30
    let job = await t.client.getCronJob({ params: { id: 'cd-pause' } });
    expect(job.isPaused).toBe(true);
    expect(job.pauseExpireTime).toBe(at(22, 30) / 1000);
    clock = at(21, 0, 100);
    const r1 = await t.stack.beat.tick();
    expect(r1.fired).toBe(0);
    expect(r1.paused).toBe(1);
    clock = at(22, 0, 100);
    expect((await t.stack.beat.tick()).fired).toBe(0);
    clock = at(23, 0, 100);
    expect((await t.stack.beat.tick()).fired).toBe(1);
    expect(await runsOf('cd-pause')).toEqual([at(23)]);
    job = await t.client.getCronJob({ params: { id: 'cd-pause' } });
    expect(job.isPaused).toBe(false);
    expect(job.pauseExpireTime).toBeNull();
    await disable('cd-pause');
  });

  it('the list and get answer whole epoch seconds, floor(now) + expires, as DataFlux Func', async () => {
    clock = at(50, 10, 700);
    await addJob('cd-secs', '0 0 1 1 *');
    await call('set_expr', { job_id: 'cd-secs', expr: '* * * * *', expires: 90 });
    await call('pause', { job_id: 'cd-secs', expires: 20 });
    await t.stack.beat.tick();
    const job = await t.client.getCronJob({ params: { id: 'cd-secs' } });
    expect(job.dynamicCronExprExpireTime).toBe(at(51, 40) / 1000);
    expect(job.pauseExpireTime).toBe(at(50, 30) / 1000);
    const listed = (await t.client.listCronJobs({ query: {} })).find((j) => j.id === 'cd-secs');
    for (const v of [listed?.dynamicCronExprExpireTime, listed?.pauseExpireTime]) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeLessThan(1e11); // seconds, not ms
    }
    // The pause ends at 00:50:30, before 00:51:00: the job fires then by the dynamic expression.
    clock = at(51, 0, 100);
    expect((await t.stack.beat.tick()).fired).toBe(1);
    await settled('cd-secs');
    await call('clear_expr', { job_id: 'cd-secs' });
    await disable('cd-secs');
  });

  it('the beat honours a pause an earlier Func stored in ms', async () => {
    clock = at(55, 30);
    await addJob('cd-oldms', '* * * * *');
    await t.stack.beat.tick();
    await t.stack.ctx.cache.command('hset', ['func:cronJob:pause', 'cd-oldms', String(at(56, 30))]);
    expect((await t.client.getCronJob({ params: { id: 'cd-oldms' } })).pauseExpireTime).toBe(at(56, 30) / 1000);
    clock = at(56, 0, 100);
    const r = await t.stack.beat.tick();
    expect(r.fired).toBe(0);
    expect(r.paused).toBe(1);
    clock = at(57, 0, 100);
    expect((await t.stack.beat.tick()).fired).toBe(1);
    expect(await runsOf('cd-oldms')).toEqual([at(57)]);
    await settled('cd-oldms');
    await disable('cd-oldms');
  });

  it('tickIfDue notices a dynamic expression set while a tick was running (after the tick read the overrides)', async () => {
    clock = at(40, 30);
    await addJob('cd-mid', '0 0 1 1 *');
    await t.stack.beat.tickIfDue();
    expect(await t.stack.beat.tickIfDue()).toBeNull();
    // A script sets the expression just after the tick has read the overrides (its pause hash is read with them).
    const cache = t.stack.ctx.cache;
    const command = cache.command.bind(cache);
    let armed = true;
    cache.command = async (name, args) => {
      const out = await command(name, args);
      if (armed && name === 'hgetall' && args[0] === 'func:cronJob:pause') {
        armed = false;
        await command('hset', ['func:cronJob:dynamicCronExpr', 'cd-mid', JSON.stringify({ value: '*/2 * * * *', expireTime: null })]);
      }
      return out;
    };
    // The store changes too, so this tick runs; the expression comes after its read.
    await t.stack.store.entity('cronJobs').update('cd-mid', { note: 'touched' });
    try {
      expect(await t.stack.beat.tickIfDue()).not.toBeNull();
    } finally {
      cache.command = command;
    }
    expect(armed).toBe(false);
    // The next tick takes it: the job's next run follows the expression.
    expect(await t.stack.beat.tickIfDue()).not.toBeNull();
    expect((await t.client.getCronJob({ params: { id: 'cd-mid' } })).nextRunTime).toBe(at(42));
    await call('clear_expr', { job_id: 'cd-mid' });
    await disable('cd-mid');
  });

  it('tickIfDue notices a dynamic expression set while nothing else changed', async () => {
    clock = at(30, 30);
    await addJob('cd-idle', '0 0 1 1 *');
    await t.stack.beat.tickIfDue();
    expect(await t.stack.beat.tickIfDue()).toBeNull();
    await call('set_expr', { job_id: 'cd-idle', expr: '* * * * *' });
    // The sync call wrote its task record: the store changed too. Settle, then check the cache alone wakes the beat.
    await t.stack.beat.tickIfDue();
    expect(await t.stack.beat.tickIfDue()).toBeNull();
    await t.stack.ctx.cache.command('hset', ['func:cronJob:dynamicCronExpr', 'cd-idle', JSON.stringify({ value: '*/2 * * * *', expireTime: null })]);
    expect(await t.stack.beat.tickIfDue()).not.toBeNull();
    expect((await t.client.getCronJob({ params: { id: 'cd-idle' } })).nextRunTime).toBe(at(32));
    await call('clear_expr', { job_id: 'cd-idle' });
    await disable('cd-idle');
  });
});
