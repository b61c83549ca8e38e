/**
 * The Connectors page (issue 17): an MQTT connector added through its form with a topic handler,
 * its connection tested; a bad Redis config refused with the driver's message; the connector's
 * subscription shown subscribed and counting a message published to Mosquitto, whose handler ran
 * on queue #6; the editor completing `DFF.CONN(` with its id and its helpers; then deleted.
 */
import mqtt from 'mqtt';
import { expect, test } from '../support/fixtures.js';
import { client } from '../support/stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { ConsolePage } from '../pages/console-page.js';
import { ScriptsPage } from '../pages/scripts-page.js';

const HANDLER = `
@DFF.API('On message')
def on_msg(topic, message):
    return message.upper()
`;

test('connectors: add with a topic handler, test, live subscription counters, delete', async ({ page }) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const id = `e2e_mqtt_${stamp}`;
  const topic = `e2e/${stamp}/+`;
  await publishScript(client(), 'e2econn__main', HANDLER);

  const p = new ConsolePage(page);
  await p.open('/overview');
  await p.nav('connectors');
  await expect(p.byTestId('page-title')).toHaveText('Connectors');

  // A Redis config that cannot connect: refused with the driver's own message, nothing stored.
  await p.byTestId('connectors-add').click();
  await p.byTestId('connectors-field-id').fill(`e2e_bad_${stamp}`);
  await p.byTestId('connectors-field-type').selectOption('redis');
  await p.byTestId('connectors-field-port').fill('6390');
  await p.byTestId('connectors-save').click();
  await expect(p.byTestId('connectors-dialog')).toContainText('ECONNREFUSED');
  await p.byTestId('connectors-dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(p.byTestId(`connectors-row-e2e_bad_${stamp}`)).toHaveCount(0);

  // An MQTT connector with one subscription, its connection tested first.
  await p.byTestId('connectors-add').click();
  await p.byTestId('connectors-field-id').fill(id);
  await p.byTestId('connectors-field-type').selectOption('mqtt');
  await p.byTestId('connectors-field-title').fill('Sensors');
  await p.byTestId('connectors-field-host').fill('127.0.0.1');
  await p.byTestId('connectors-handler-add').click();
  await p.byTestId('connectors-handler-0-topic').fill(topic);
  await p.byTestId('connectors-handler-0-func').fill('e2econn__main.on_msg');
  await p.byTestId('connectors-test').click();
  await expect(p.byTestId('connectors-test-result')).toHaveText('✓ Connected');
  await p.screenshot('connectors-form');
  await p.byTestId('connectors-save').click();
  await expect(p.byTestId(`connectors-row-${id}`)).toContainText('mqtt');

  // Its subscription: subscribed, then counting a message whose handler ran on queue #6.
  await p.byTestId(`connectors-subs-toggle-${id}`).click();
  const sub = p.byTestId(`connectors-sub-${id}-${topic}`);
  await expect(sub.getByTestId('connectors-sub-state')).toHaveText('subscribed', { timeout: 20_000 });
  const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
  await pub.publishAsync(`e2e/${stamp}/t1`, 'hello', { qos: 1 });
  await pub.endAsync();
  await expect(sub.getByTestId('connectors-sub-received')).toHaveText('1', { timeout: 20_000 });
  await expect(sub.getByTestId('connectors-sub-dispatched')).toHaveText('1');
  await expect
    .poll(async () => {
      const recs = await client().listTaskRecords({ query: { origin: 'connector', originId: id } });
      return recs.map((r) => `${r.queue}:${r.status}:${JSON.stringify(r.returnValueJSON)}`);
    })
    .toEqual(['6:success:"HELLO"']);
  await p.screenshot('connectors-subscriptions');

  // The script editor offers the connector's id inside DFF.CONN( and its type's helpers after it.
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts/e2econn__main');
  await scripts.replaceCode(`${HANDLER}\nc = DFF.CONN(`);
  const ids = await scripts.complete('', id);
  await expect(ids).toContainText('mqtt connector · Sensors');
  await scripts.screenshot('connectors-editor-ids');
  await page.keyboard.press('Escape');
  await scripts.replaceCode(`${HANDLER}\nc = DFF.CONN('${id}')\nc.`);
  const helpers = await scripts.complete('', 'publish');
  await expect(helpers).toContainText('check');
  await expect(helpers).not.toContainText('query');
  await scripts.screenshot('connectors-editor-completions');
  await page.keyboard.press('Escape');
  await scripts.replaceCode(HANDLER);
  await p.open('/connectors');

  await p.byTestId(`connectors-delete-${id}`).click();
  await p.byTestId('connectors-delete-dialog-confirm').click();
  await expect(p.byTestId(`connectors-row-${id}`)).toHaveCount(0);
});
