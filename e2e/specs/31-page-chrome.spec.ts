/**
 * The console's chrome as a new user sees it: a page's main action stays beside its title and description,
 * at the right, even when the page's description is long, a badge never breaks over two lines, and a
 * table's header is one colour up to its last (sticky) column.
 */
import type { Locator } from '@playwright/test';
import { expect, test } from '../support/fixtures.js';
import { ConsolePage } from '../pages/console-page.js';
import { client } from '../support/stack.js';

const box = async (l: Locator): Promise<{ x: number; y: number; width: number; height: number }> => {
  const b = await l.boundingBox();
  if (!b) throw new Error('not laid out');
  return b;
};

/** The colour an element shows: its own background or, while transparent, its nearest ancestor's (plain JS: e2e has no DOM types). */
const SHOWN_BACKGROUND = `(el) => {
  for (let e = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
  }
  return 'none';
}`;

async function shownBackground(l: Locator): Promise<string> {
  const bg: unknown = await l.evaluate(SHOWN_BACKGROUND);
  return String(bg);
}

test.describe('1440 px wide', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("a page's add button stays at the right of its title, beside a long description", async ({ page }) => {
    const p = new ConsolePage(page);
    // Connectors and API auth have the longest descriptions: their button went below them, on the left.
    for (const [path, button] of [
      ['/connectors', 'connectors-add'],
      ['/api-auth', 'api-auth-add'],
      ['/env-variables', 'env-variables-add'],
    ] as const) {
      await p.open(path);
      // The title and the description under it.
      const text = await box(p.byTestId('page-title').locator('..'));
      const add = await box(p.byTestId(button));
      const main = await box(p.page.locator('main'));
      expect(add.x + add.width, `${path}: the button at the right edge`).toBeGreaterThan(main.x + main.width - 40);
      expect(add.y, `${path}: the button beside the title and description, not under them`).toBeLessThan(text.y + text.height);
    }
  });

  test("the capacity planner's header is one colour up to its sticky last column", async ({ page }) => {
    const p = new ConsolePage(page);
    await p.open('/topology?tab=capacity');
    const heads = p.byTestId('capacity-table').locator('thead th');
    await expect(heads.first()).toBeVisible();
    expect(await shownBackground(heads.last())).toBe(await shownBackground(heads.first()));
  });
});

test.describe('760 px wide', () => {
  test.use({ viewport: { width: 760, height: 900 } });

  test("an unpublished script's badge and save state stay on one line beside its title", async ({ page }) => {
    const api = client();
    if ((await api.listScriptSets({ query: { id: 'e2echrome' } })).length === 0) {
      await api.addScriptSet({ body: { data: { id: 'e2echrome', title: 'Chrome' } } });
      await api.addScript({ body: { data: { id: 'e2echrome__a_rather_long_name', codeDraft: 'x = 1\n' } } });
    }
    const p = new ConsolePage(page);
    await p.open('/scripts/e2echrome__a_rather_long_name');
    await expect(p.byTestId('script-version')).toHaveText('not published');
    // The tree shown too, as after creating a script: the header has the least room.
    if ((await p.byTestId('script-tree-pane').count()) === 0) await p.byTestId('script-tree-toggle').click();
    await expect(p.byTestId('script-tree-pane')).toBeVisible();
    const badge = await box(p.byTestId('script-version'));
    const status = await box(p.byTestId('save-status'));
    // One line of text-xs: about 20 px; two lines are about 36.
    expect(badge.height).toBeLessThan(26);
    expect(status.height).toBeLessThan(26);
  });
});
