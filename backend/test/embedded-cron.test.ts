/** The beat with an injected clock: fires due jobs once, skips overlaps, drops runs missed by long downtime. */
import { describe, expect, it } from 'vitest';
import { eventually, useTestStack } from '../src/testing/test-stack.js';
import { taskSucceeded } from '../src/testing/test-client.js';
import { queuedRecord } from '../src/domain/tasks/task-record.js';
import { staleGraceMs } from '../src/beat/beat.js';

const CODE = `import time

@DFF.API('Tick')
def tick(label='x'):
    return label

@DFF.API('Long')
def long_one():
    time.sleep(3)
    return 'done'

@DFF.API('Fixed', fixed_cron_expr='0 12 * * *')
def fixed():
    return 'fixed'
`;

let clock = Date.UTC(2026, 0, 1, 0, 0, 30);
const t = useTestStack({ cron__jobs: CODE }, {}, { now: () => clock });

describe('cron jobs', () => {
  it('refuses an invalid expression or time zone with the field', async () => {
    const bad = await t.admin('POST', '/api/v1/cron-jobs/do/add', { data: { funcId: 'cron__jobs.tick', cronExpr: '61 * * * *', funcCallKwargsJSON: {} } });
    expect(bad.status).toBe(400);
    expect(bad.body.detail?.field).toBe('cronExpr');
    const tz = await t.admin('POST', '/api/v1/cron-jobs/do/add', { data: { funcId: 'cron__jobs.tick', cronExpr: '* * * * *', timezone: 'Mars/Base', funcCallKwargsJSON: {} } });
    expect(tz.status).toBe(400);
  });

  it('fires when due, once, with the scheduled trigger time', async () => {
    const { id } = await t.client.addCronJob({ body: { data: { id: 'every-minute', funcId: 'cron__jobs.tick', cronExpr: '* * * * *', funcCallKwargsJSON: { label: 'm' } } } });
    const job = await t.client.getCronJob({ params: { id } });
    expect(job.nextRunTime).toBe(Date.UTC(2026, 0, 1, 0, 1, 0));
    expect((await t.stack.beat.tick()).fired).toBe(0);
    clock = Date.UTC(2026, 0, 1, 0, 1, 0, 200);
    expect((await t.stack.beat.tick()).fired).toBe(1);
    expect((await t.stack.beat.tick()).fired).toBe(0);
    const rec = await eventually(async () => {
      const rows = await t.client.listTaskRecords({ query: { origin: 'cronJob', originId: id } });
      return rows[0]?.status === 'success' ? rows[0] : undefined;
    });
    expect(rec.triggerTimeMs).toBe(Date.UTC(2026, 0, 1, 0, 1, 0));
    expect(rec.returnValueJSON).toBe('m');
    await t.client.modifyCronJob({ params: { id }, body: { data: { isDisabled: true } } });
  });

  it('records an overlapping run as skipped', async () => {
    const { id } = await t.client.addCronJob({ body: { data: { id: 'every-second', funcId: 'cron__jobs.long_one', cronExpr: '* * * * * *', funcCallKwargsJSON: {} } } });
    clock += 1000;
    expect((await t.stack.beat.tick()).fired).toBe(1);
    await eventually(async () => {
      return (await t.client.listTaskRecords({ query: { originId: id, status: 'running' } })).length > 0 ? true : undefined;
    });
    clock += 1000;
    expect((await t.stack.beat.tick()).skipped).toBe(1);
    expect(await t.client.listTaskRecords({ query: { originId: id, status: 'skipped' } })).toHaveLength(1);
    await t.client.modifyCronJob({ params: { id }, body: { data: { isDisabled: true } } });
  });

  it('a previous run lost while queued (its task gone with the broker) stops holding the job back once past its chances', async () => {
    const { id } = await t.client.addCronJob({ body: { data: { id: 'lost-run', funcId: 'cron__jobs.tick', cronExpr: '* * * * *', funcCallKwargsJSON: {} } } });
    const firedAt = Math.floor(clock / 60_000) * 60_000;
    // Recorded queued, never enqueued anywhere: what a Redis that keeps nothing leaves after a restart.
    const lost = 'task-lost-cron-run';
    await t.stack.store.taskRecords.insert(
      queuedRecord({
        id: lost,
        funcId: 'cron__jobs.tick',
        scriptId: 'cron__jobs',
        funcName: 'tick',
        kwargs: {},
        origin: 'cronJob',
        originId: id,
        queue: 5,
        timeoutMs: 35_000,
        expiresAt: firedAt + 900_000,
        triggerTime: firedAt,
      }),
    );
    // While it may still run, the next fire is skipped as an overlap.
    clock = firedAt + 60_000;
    const young = await t.stack.beat.tick();
    expect([young.fired, young.skipped]).toEqual([0, 1]);
    // Past its expiry, its timeout and the grace: the job fires again (it was skipped for good).
    clock = firedAt + 900_000 + 35_000 + staleGraceMs(35_000) + 60_000;
    clock -= clock % 60_000;
    const later = await t.stack.beat.tick();
    expect(later.fired).toBe(1);
    expect((await t.client.getTask({ params: { id: lost } })).status).toBe('queued');
    await t.client.modifyCronJob({ params: { id }, body: { data: { isDisabled: true } } });
  });

  it('after downtime fires each run within the misfire window once and drops older ones', async () => {
    const { id } = await t.client.addCronJob({ body: { data: { id: 'hourly', funcId: 'cron__jobs.tick', cronExpr: '0 * * * *', funcCallKwargsJSON: {} } } });
    clock = Date.UTC(2026, 0, 1, 1, 2, 0);
    expect((await t.stack.beat.tick()).fired).toBe(1);
    clock = Date.UTC(2026, 0, 1, 5, 30, 0);
    const late = await t.stack.beat.tick();
    expect(late.missed).toBe(4);
    expect(late.fired).toBe(0);
    const job = await t.client.getCronJob({ params: { id } });
    expect(job.nextRunTime).toBe(Date.UTC(2026, 0, 1, 6, 0, 0));
    await t.client.modifyCronJob({ params: { id }, body: { data: { isDisabled: true } } });
  });

  it('catches up every run of a short stop (a beat handover) once, none twice', async () => {
    const { id } = await t.client.addCronJob({ body: { data: { id: 'five-seconds', funcId: 'cron__jobs.tick', cronExpr: '*/5 * * * * *', funcCallKwargsJSON: {} } } });
    const start = clock;
    clock = start + 21_000;
    const r = await t.stack.beat.tick();
    // The first catch-up run is still queued when the next is due: those are recorded as skipped.
    expect(r.fired + r.skipped).toBe(4);
    expect(r.fired).toBeGreaterThanOrEqual(1);
    const again = await t.stack.beat.tick();
    expect(again.fired + again.skipped).toBe(0);
    const rows = await t.client.listTaskRecords({ query: { origin: 'cronJob', originId: id } });
    const times = rows.map((x) => x.triggerTimeMs).sort();
    expect(new Set(times).size).toBe(times.length);
    expect(times.every((t2, i) => i === 0 || t2 - times[i - 1]! === 5000)).toBe(true);
    await t.client.modifyCronJob({ params: { id }, body: { data: { isDisabled: true } } });
  });

  it('uses the decorator fixed_cron_expr over the job expression, in the job time zone', async () => {
    const { id } = await t.client.addCronJob({ body: { data: { funcId: 'cron__jobs.fixed', cronExpr: '* * * * *', timezone: 'Asia/Shanghai', funcCallKwargsJSON: {} } } });
    const job = await t.client.getCronJob({ params: { id } });
    expect(job.nextRunTime).toBe(Date.UTC(2026, 0, 2, 4, 0, 0));
  });

  it('runs a cron job now through POST /api/v1/cron/:id', async () => {
    const { id: taskId } = await t.client.runCronJob({ params: { id: 'hourly' }, body: {} });
    await taskSucceeded(t.client, taskId);
  });
});
