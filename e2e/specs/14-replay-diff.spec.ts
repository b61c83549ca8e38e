import { expect, test } from '../support/fixtures.js';
import { TasksPage } from '../pages/tasks-page.js';
import { client } from '../support/stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';

const V1 = `@DFF.API('Totals')
def totals(items):
    print('summing', len(items), 'items')
    return {'total': sum(items), 'count': len(items), 'rounding': 'none'}
`;
const V2 = V1.replace("'rounding': 'none'", "'rounding': 'half-up', 'max': max(items)").replace("'summing'", "'v2 summing'");

test('replay a recorded task in the editor against the draft and a published version, then compare the runs', async ({ page }) => {
  const api = client();
  await publishScript(api, 'e2ereplay__totals', V1);
  const first = await api.callFunc({ params: { funcId: 'e2ereplay__totals.totals' }, body: { kwargs: { items: [3, 4, 5] } } });
  expect(first).toMatchObject({ result: { total: 12 } });
  const [original] = await api.listTaskRecords({ query: { funcId: 'e2ereplay__totals.totals' } });
  await api.modifyScript({ params: { id: 'e2ereplay__totals' }, body: { data: { codeDraft: V2 } } });

  const tasks = new TasksPage(page);
  await tasks.open(`/tasks?task=${original!.id}`);
  await expect(tasks.byTestId('task-detail-status')).toHaveText('success');
  await tasks.byTestId('task-open-in-editor').click();
  await expect(tasks.byTestId('script-title')).toHaveText('e2ereplay__totals');
  await expect(tasks.byTestId('replay-bar')).toContainText(original!.id);
  await expect(tasks.byTestId('run-kwargs')).toHaveValue(/"items"/);

  // Against the published version 1: the same answer as the original.
  await tasks.byTestId('replay-against').selectOption('1');
  await tasks.byTestId('replay-button').click();
  await expect(tasks.byTestId('run-replay-of')).toContainText('on v1');
  await expect(tasks.byTestId('run-result')).toContainText('"rounding": "none"');

  // Against the draft (version 2's code, not published yet).
  await tasks.byTestId('replay-against').selectOption('draft');
  await tasks.byTestId('replay-button').click();
  await expect(tasks.byTestId('run-replay-of')).toContainText('on the draft');
  await expect(tasks.byTestId('run-result')).toContainText('"rounding": "half-up"');
  await expect(tasks.byTestId('run-logs')).toContainText('v2 summing 3 items');
  await page.screenshot({ path: 'test-results/screenshots/replay-in-editor.png' });

  await tasks.byTestId('run-compare').click();
  await expect(tasks.byTestId('page-title')).toHaveText('Compare runs');
  const changes = tasks.byTestId('diff-return').getByTestId('diff-change');
  await expect(changes).toHaveCount(2);
  await expect(changes.nth(0)).toContainText('$.rounding');
  await expect(changes.nth(1)).toContainText('$.max');
  await expect(tasks.byTestId('diff-kwargs-same')).toBeVisible();
  await expect(tasks.byTestId('diff-logs-a')).toContainText('summing 3 items');
  await expect(tasks.byTestId('diff-logs-b')).toContainText('v2 summing 3 items');
  await page.screenshot({ path: 'test-results/screenshots/run-diff.png', fullPage: true });
});
