/**
 * Findings of a QA pass in Chromium, one test each: a cron job's next run never shown in the past,
 * the overview's charts keeping their history across pages, the topology graph readable on a narrow
 * window, the task records filters on one row at 1440 px, a first publish's diff without an empty
 * removed line, a draft conflict whose other side was cleared (in a neutral colour), one number format on the topology
 * tabs, and native controls (date pickers, selects) drawn in the console's theme, not the system's.
 */
import type { Page } from '@playwright/test';
import { expect, test, ensureGreeter } from '../support/fixtures.js';
import { ConsolePage } from '../pages/console-page.js';
import { EntityPage } from '../pages/entity-page.js';
import { TopologyPage } from '../pages/topology-page.js';
import { ScriptsPage } from '../pages/scripts-page.js';
import { client } from '../support/stack.js';

/** In the page: the text colour of the element `selector` finds, as sRGB [r, g, b] (Tailwind's colours are oklch). */
const srgbOfColour = (selector: string): string => `(() => {
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.fillStyle = getComputedStyle(document.querySelector(${JSON.stringify(selector)})).color;
  ctx.fillRect(0, 0, 1, 1);
  return [...ctx.getImageData(0, 0, 1, 1).data].slice(0, 3);
})()`;

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
      // Shown to the second: a time whose whole second has ended is past; a second more for a
      // loaded machine's timers (before the fix it stayed up to 5 s).
      const now = Date.now();
      if (at + 2000 <= now) seen.push(sel + ': ' + text + ' at ' + new Date(now).toISOString());
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

test.describe('numbers', () => {
  test("the cron load tab says a queue's capacity as the capacity planner says rates (6,806, not 6806.4)", async ({ page }) => {
    const funcId = await ensureGreeter();
    const api = client();
    const id = 'e2e-capacity-format';
    await api.deleteCronJob({ params: { id } }).catch(() => undefined);
    await api.addCronJob({ body: { data: { id, funcId, cronExpr: '0 3 * * *', funcCallKwargsJSON: {} } } });
    try {
      // One run on the cron queue, measured: a short task, hundreds of tasks a minute or more.
      await api.runCronJob({ params: { id }, body: {} });
      await expect.poll(async () => (await api.listTaskRecords({ query: { origin: 'cronJob', originId: id, pageSize: 1 } }))[0]?.status, { timeout: 20_000 }).toBe('success');
      const forecast = await api.getCronForecast({ query: { hours: 24 } });
      // From 10 a minute up a rate is a whole number, thousands separated (formatRate).
      const fast = forecast.queues.find((q) => (q.capacityPerMinute ?? 0) >= 10);
      expect(fast, 'a queue with a measured capacity').toBeDefined();
      const topo = new TopologyPage(page);
      await topo.open('/topology?tab=cron');
      const card = topo.byTestId(`cron-forecast-queue-${fast!.queue}`);
      await expect(card).toContainText(/capacity \S+ tasks a minute/);
      // A whole number with thousands separated (the measured time may move between two reads).
      const shown = /capacity (\S+) tasks a minute/.exec(await card.innerText())![1]!;
      expect(shown).toMatch(/^\d{1,3}(,\d{3})*$/);
    } finally {
      await api.deleteCronJob({ params: { id } }).catch(() => undefined);
    }
  });
});

test.describe('publish', () => {
  test("a script's first publish shows its draft as all new, with no removed line on the side not published yet", async ({ page }) => {
    const api = client();
    if ((await api.listScriptSets({ query: { id: 'e2efirstpub' } })).length === 0) {
      await api.addScriptSet({ body: { data: { id: 'e2efirstpub', title: 'First publish' } } });
      await api.addScript({ body: { data: { id: 'e2efirstpub__main', codeDraft: 'x = 1\ny = 2\n' } } });
    }
    const scripts = new ScriptsPage(page);
    await scripts.open('/scripts/e2efirstpub__main');
    await scripts.byTestId('publish-button').click();
    const dialog = scripts.byTestId('publish-dialog');
    await expect(dialog.getByTestId('diff-view')).toBeVisible();
    await expect(dialog.getByText('Not published yet')).toBeVisible();
    await expect(dialog.locator('.view-lines').last()).toContainText('y = 2');
    // Monaco marks a removed line `line-delete` (and its gutter `delete-sign`): there is nothing to remove.
    await expect(dialog.locator('.line-delete, .delete-sign, .char-delete')).toHaveCount(0);
    await expect(dialog.getByTestId('diff-all-new')).toHaveText('All new: 2 lines');
  });
});

test.describe('draft conflict', () => {
  test('a draft they cleared is said to be empty, not shown under "their saved draft" as all new', async ({ page }) => {
    const api = client();
    if ((await api.listScriptSets({ query: { id: 'e2econflict' } })).length === 0) await api.addScriptSet({ body: { data: { id: 'e2econflict', title: 'Cleared draft' } } });
    if ((await api.listScripts({ query: { id: 'e2econflict__main' } })).length === 0) await api.addScript({ body: { data: { id: 'e2econflict__main', codeDraft: 'x = 1\n' } } });
    else await api.modifyScript({ params: { id: 'e2econflict__main' }, body: { data: { codeDraft: 'x = 1\n' } } });
    const scripts = new ScriptsPage(page);
    await scripts.open('/scripts/e2econflict__main');
    await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();
    await api.modifyScript({ params: { id: 'e2econflict__main' }, body: { data: { codeDraft: '' } } });

    await scripts.typeAtEnd('y = 2');
    const dialog = scripts.byTestId('conflict-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('conflict-caption')).toContainText('They cleared the draft: their saved draft is empty.');
    await expect(dialog.getByTestId('conflict-caption')).not.toContainText('Left: their saved draft');
    await expect(dialog.getByTestId('diff-all-new')).toHaveText('Their draft is empty. Yours: 2 lines');
    // Neutral grey, not the green of a first publish's "All new": its colour as sRGB has no green cast.
    await expect(dialog.getByTestId('diff-all-new')).toHaveAttribute('data-tone', 'neutral');
    const [r, g, b] = await page.evaluate<number[]>(srgbOfColour('[data-testid="conflict-dialog"] [data-testid="diff-all-new"]'));
    expect(g! - Math.max(r!, b!), `caption colour rgb(${r}, ${g}, ${b})`).toBeLessThan(20);
    await dialog.screenshot({ path: test.info().outputPath('conflict-cleared.png') });
    await scripts.byTestId('conflict-keep-mine').click();
    await expect(scripts.byTestId('save-status')).toHaveAttribute('data-state', 'saved');
    expect((await api.getScript({ params: { id: 'e2econflict__main' } })).codeDraft).toBe('x = 1\ny = 2');
  });
});

test.describe('task records filters', () => {
  const bottoms = async (page: Page): Promise<number[]> =>
    page
      .getByTestId('task-filters')
      .locator(':scope > label, :scope > button')
      .evaluateAll((els) => els.map((e) => Math.round((e as unknown as { getBoundingClientRect(): { bottom: number } }).getBoundingClientRect().bottom)));

  test.describe('1440 px wide', () => {
    test.use({ viewport: { width: 1440, height: 900 } });
    test('the six filters and "Clear filters" stand on one row', async ({ page }) => {
      const p = new EntityPage(page, 'tasks');
      await p.open('/tasks?id=nothing-like-this');
      await expect(p.byTestId('task-filters').getByRole('button', { name: 'Clear filters' })).toBeVisible();
      const seen = await bottoms(page);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size, `bottoms: ${seen.join(', ')}`).toBe(1);
    });
  });

  test.describe('1000 px wide', () => {
    test.use({ viewport: { width: 1000, height: 900 } });
    test('they wrap onto rows inside the bar, none cut', async ({ page }) => {
      const p = new EntityPage(page, 'tasks');
      await p.open('/tasks');
      const bar = p.byTestId('task-filters');
      await expect(bar).toBeVisible();
      expect(new Set(await bottoms(page)).size).toBeGreaterThan(1);
      const barBox = (await bar.boundingBox())!;
      for (const input of await bar.locator('input, select').all()) {
        const b = (await input.boundingBox())!;
        expect(b.x + b.width).toBeLessThanOrEqual(barBox.x + barBox.width);
        expect(b.width).toBeGreaterThanOrEqual(120);
      }
    });
  });
});

test.describe('overview', () => {
  test('the charts keep their history when the overview is left and opened again', async ({ page }) => {
    const p = new EntityPage(page, 'overview');
    await p.open('/overview');
    const chart = p.byTestId('chart-throughput');
    const samples = async (): Promise<number> => Number(await chart.getAttribute('data-samples'));
    await expect.poll(samples, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
    // Away (inside the console, no reload) and back.
    await p.nav('scripts');
    await expect(p.byTestId('overview-total-done')).toBeHidden();
    await page.waitForTimeout(2000);
    const before = Date.now();
    await p.nav('overview');
    await expect(chart).toBeVisible();
    // At once, not built up again: what it had, and what came while away.
    expect(await samples()).toBeGreaterThanOrEqual(6);
    expect(Date.now() - before).toBeLessThan(5000);
  });
});

test.describe('topology graph, 760 px wide', () => {
  test.use({ viewport: { width: 760, height: 900 } });

  test('keeps its text readable: not shrunk under 0.8, shown from its top left, dragged to see the rest', async ({ page }) => {
    const topo = new TopologyPage(page);
    await topo.open('/topology');
    await expect(topo.graph).toBeVisible();
    await expect(topo.byTestId('topo-server')).toBeVisible();
    const scale = async (): Promise<number> => {
      const transform = (await topo.graph.locator('.react-flow__viewport').getAttribute('style')) ?? '';
      return Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? 0);
    };
    // Let the fit settle (it runs 50 ms after the graph is laid out).
    await page.waitForTimeout(500);
    await expect.poll(scale).toBeGreaterThanOrEqual(0.8);
    // The smallest node text, 10 px, reads at 8 px or more.
    const title = topo.byTestId('topo-server').locator('span').first();
    expect(((await title.boundingBox())!.height * 10) / 13).toBeGreaterThanOrEqual(8);
    // The top of the graph is in view, and the rest is a drag away.
    const graph = (await topo.graph.boundingBox())!;
    const server = (await topo.byTestId('topo-server').boundingBox())!;
    expect(server.y).toBeGreaterThanOrEqual(graph.y);
    await expect(topo.byTestId('topology-pan-hint')).toBeVisible();
    await topo.screenshot('topology-narrow');
  });
});

test.describe('native controls follow the theme', () => {
  // A light system: the dark theme must still draw the date pickers' icons and selects' arrows for a dark page.
  test.use({ colorScheme: 'light' });

  test("the dark theme's date inputs and selects are drawn dark, the light theme's light", async ({ page }) => {
    await page.addInitScript("localStorage.setItem('func.theme', 'dark')");
    const p = new ConsolePage(page);
    await p.open('/tasks');
    const since = page.locator('input[type="datetime-local"]').first();
    const sinceScheme = `getComputedStyle(document.querySelector('input[type="datetime-local"]')).colorScheme`;
    await expect(since).toBeVisible();
    const scheme = (): Promise<string> => page.evaluate<string>(sinceScheme);
    expect(await scheme()).toBe('dark');
    await p.byTestId('theme-toggle').click();
    await expect.poll(scheme).toBe('light');
  });
});
