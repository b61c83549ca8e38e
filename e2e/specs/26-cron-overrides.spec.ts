/**
 * What a script sets on a cron job (DFF.CRON_JOB.set_cron_expr and pause) shows on the cron jobs
 * page with its end: the API answers those ends in epoch seconds, as DataFlux Func, and the page
 * shows them as dates (read as ms they would show January 1970).
 */
import { expect, test } from '../support/fixtures.js';
import { EntityPage } from '../pages/entity-page.js';
import { client } from '../support/stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { formatTimeS } from '../../renderer/src/ui/format.js';

const JOB = 'e2eco-job';
const CODE = `@DFF.API('Tick')
def tick():
    return 'tick'

@DFF.API('Fixed', fixed_cron_expr='*/2 * * * * *')
def fixed():
    return 'fixed'

@DFF.API('Hold')
def hold(job):
    DFF.CRON_JOB.set_cron_expr('*/5 * * * *', expires=7200, entity_id=job)
    DFF.CRON_JOB.pause(3600, entity_id=job)
    return DFF.CRON_JOB.get_cron_expr(entity_id=job)
`;

test('a script pauses a cron job and sets its expression: the page shows both with their end dates', async ({ page }) => {
  const api = client();
  await publishScript(api, 'e2eco__main', CODE);
  await api.addCronJob({ body: { data: { id: JOB, funcId: 'e2eco__main.tick', cronExpr: '0 3 * * *', funcCallKwargsJSON: {} } } });
  try {
    const before = Math.floor(Date.now() / 1000);
    await api.callFunc({ params: { funcId: 'e2eco__main.hold' }, body: { kwargs: { job: JOB } } });
    const job = await api.getCronJob({ params: { id: JOB } });
    expect(job.isPaused).toBe(true);
    // Epoch seconds: an hour and two hours from the call.
    expect(job.pauseExpireTime).toBeGreaterThanOrEqual(before + 3600);
    expect(job.pauseExpireTime).toBeLessThanOrEqual(before + 3600 + 60);
    expect(job.dynamicCronExprExpireTime).toBeGreaterThanOrEqual(before + 7200);
    expect(job.dynamicCronExprExpireTime).toBeLessThanOrEqual(before + 7200 + 60);

    const cron = new EntityPage(page, 'cron-jobs');
    await cron.open('/overview');
    await cron.goto();
    const row = cron.row(JOB);
    const year = new Date(job.pauseExpireTime! * 1000).getFullYear();
    await expect(row.getByTestId('cron-dynamic')).toContainText('*/5 * * * *');
    await expect(row.getByTestId('cron-dynamic')).toContainText(`dynamic until ${year}-`);
    await expect(row.getByTestId('cron-paused')).toContainText(`paused until ${year}-`);
    // The next run is the end of the pause, not a time inside it that the beat skips.
    await expect(row.getByTestId('cron-next-run')).toHaveText(`not before ${formatTimeS(job.pauseExpireTime)}`);
    await row.screenshot({ path: '/tmp/cron-overrides-row.png' });
  } finally {
    await api.deleteCronJob({ params: { id: JOB } }).catch(() => undefined);
  }
});

test("a function's fixed_cron_expr shows as the schedule, not the job's own expression it wins over", async ({ page }) => {
  const api = client();
  await publishScript(api, 'e2eco__main', CODE);
  const id = 'e2eco-fixed';
  await api.addCronJob({ body: { data: { id, funcId: 'e2eco__main.fixed', cronExpr: '0 0 1 1 *', timezone: 'Asia/Shanghai', funcCallKwargsJSON: {}, isDisabled: true } } });
  try {
    const cron = new EntityPage(page, 'cron-jobs');
    await cron.open('/overview');
    await cron.goto();
    const row = cron.row(id);
    await expect(row.getByTestId('cron-fixed')).toContainText('*/2 * * * * *');
    await expect(row.getByTestId('cron-fixed')).toContainText('fixed by the function · own 0 0 1 1 * not used');
    await expect(row).toContainText('Asia/Shanghai');
  } finally {
    await api.deleteCronJob({ params: { id } }).catch(() => undefined);
  }
});
