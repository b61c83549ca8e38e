/**
 * Findings of a QA pass in Chromium, one test each: a cron job's next run never shown in the past,
 * the overview's charts keeping their history across pages, the topology graph readable on a narrow
 * window, the task records filters on one row at 1440 px, a first publish's diff without an empty
 * removed line, and one number format on the topology tabs.
 */
import { expect, test, ensureGreeter } from '../support/fixtures.js';
import { EntityPage } from '../pages/entity-page.js';
import { client } from '../support/stack.js';

/**
 * In the page, every 150 ms for `ms`: each element of `selectors` whose text is a time
 * (`YYYY-MM-DD HH:mm:ss`, local) is checked to be in the future; answers what was seen otherwise.
 */
const PAST_TIMES_SEEN = `async ([selectors, ms]) => {
  const seen = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const sel of selectors) {
      const el = document.querySelector(sel);
      const text = el ? el.textContent.trim() : '';
      const m = /^(\\d{4})-(\\d\\d)-(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d)$/.exec(text);
      if (!m) continue;
      const at = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]).getTime();
      // Shown to the second: a time whose whole second has ended is past.
      const now = Date.now();
      if (at + 1000 <= now) seen.push(sel + ': ' + text + ' at ' + new Date(now).toISOString());
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return seen;
}`;

test.describe('cron jobs', () => {
  test('a job firing every 5 s never shows a past time as its next run, in the list or its detail', async ({ page }) => {
    const funcId = await ensureGreeter();
    const api = client();
    const id = 'e2e-every5s';
    await api.deleteCronJob({ params: { id } }).catch(() => undefined);
    await api.addCronJob({ body: { data: { id, funcId, cronExpr: '*/5 * * * * *', funcCallKwargsJSON: {} } } });
    try {
      const cron = new EntityPage(page, 'cron-jobs');
      await cron.open('/cron-jobs');
      await expect(cron.row(id)).toBeVisible();
      await cron.byTestId(`cron-jobs-expand-${id}`).click();
      await expect(cron.byTestId(`cron-next-fire-${id}`)).toBeVisible();
      const list = `[data-testid="cron-jobs-row-${id}"] [data-testid="cron-next-run"]`;
      const detail = `[data-testid="cron-next-fire-${id}"]`;
      const seen: unknown = await page.evaluate(`(${PAST_TIMES_SEEN})(${JSON.stringify([[list, detail], 16_000])})`);
      expect(seen).toEqual([]);
    } finally {
      await api.deleteCronJob({ params: { id } }).catch(() => undefined);
    }
  });
});
