/**
 * Alerts on a real embedded stack (real Python processes): a queue-wait rule on worker-5 fires
 * when slow tasks pile up on queue 5 (evaluated at most every 5 s) — in GET /api/v1/alerts, as an `alert` event on
 * /api/v1/events and as func_alert_active on /metrics — and resolves once they ran. Bad rules
 * are refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { eventually, useTestStack } from '../src/testing/test-stack.js';
import { sleepFunc } from '../src/testing/python-fixtures.js';

const CODE = `import time

${sleepFunc('sleep', 'queue=5, timeout=60')}
@DFF.API('Fail', queue=6)
def fail(i):
    raise ValueError('no %d' % i)
`;

const t = useTestStack({ al__main: CODE });

interface Alerts {
  rules: unknown[];
  active: { id: string; unit: string; kind: string; value: number; threshold: number; message: string }[];
}
const alerts = async (): Promise<Alerts> => (await t.admin('GET', '/api/v1/alerts')).body.data as Alerts;

describe('alerts', () => {
  it('refuses a rule without a threshold, with a bad unit or for a unit ruled twice, naming the field', async () => {
    const none = await t.admin('POST', '/api/v1/alerts/do/set-rules', { rules: [{ unit: 'worker-5' }] });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toMatch(/maxWaitMs/);
    const bad = await t.admin('POST', '/api/v1/alerts/do/set-rules', { rules: [{ unit: 'Worker 5', maxWaitMs: 1000 }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/unit/);
    const twice = await t.admin('POST', '/api/v1/alerts/do/set-rules', {
      rules: [
        { unit: 'worker-1', maxWaitMs: 100 },
        { unit: 'worker-1', maxWaitMs: 200 },
      ],
    });
    expect(twice.status, twice.text).toBe(400);
    expect(twice.body.detail?.field).toBe('body.rules.1.unit');
  });

  it('fires a queue-wait alert as tasks pile up (API, event, metric) and resolves it after', async () => {
    // T measured first.
    expect((await t.admin('POST', '/api/v1/func/al__main.sleep', { kwargs: { s: 1 } })).status).toBe(200);
    const set = await t.admin('POST', '/api/v1/alerts/do/set-rules', { rules: [{ unit: 'worker-5', maxWaitMs: 2000, maxDeadLetters: 5 }] });
    expect(set.status, set.text).toBe(200);
    expect(await alerts()).toMatchObject({ rules: [{ unit: 'worker-5', maxWaitMs: 2000, maxDeadLetters: 5 }], active: [] });

    const address = await t.stack.app.listen({ host: '127.0.0.1', port: 0 });
    const events = await fetch(`${address}/api/v1/events?xDFFAuthToken=${t.token}`);
    const reader = events.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    let streamed = '';
    const reading = (async () => {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return;
        streamed += new TextDecoder().decode(chunk.value);
      }
    })();

    for (let i = 0; i < 10; i++) expect((await t.admin('POST', '/api/v1/func/al__main.sleep', { kwargs: { s: 2 }, options: { async: true } })).status).toBe(200);
    const fired = await eventually(async () => (await alerts()).active.find((a) => a.id === 'worker-5:queueWait'), 15_000, 'the queue-wait alert');
    expect(fired).toMatchObject({ unit: 'worker-5', kind: 'queueWait', threshold: 2000 });
    expect(fired.value).toBeGreaterThan(2000);
    expect(fired.message).toMatch(/^worker-5: predicted queue wait p95 \d+\.\d s is above 2\.0 s$/);
    const metrics = (await t.api('GET', '/metrics')).text;
    expect(metrics).toMatch(/func_alert_active\{unit="worker-5",kind="queueWait"\} 1/);
    await eventually(() => (/event: alert\ndata: \{"fired":\[\{"id":"worker-5:queueWait"/.test(streamed) ? true : undefined), 10_000, 'the alert event');

    // They run (about 20 s); the alert resolves.
    await eventually(async () => ((await alerts()).active.length === 0 ? true : undefined), 45_000, 'the alert to resolve');
    await eventually(() => (/"resolved":\[\{"id":"worker-5:queueWait"/.test(streamed) ? true : undefined), 10_000, 'the resolve event');
    expect((await t.api('GET', '/metrics')).text).not.toMatch(/func_alert_active\{unit="worker-5"/);
    await reader.cancel();
    await reading;
  }, 90_000);

  it('fires a failure-rate alert when most tasks of a unit fail', async () => {
    const set = await t.admin('POST', '/api/v1/alerts/do/set-rules', { rules: [{ unit: 'worker-6', maxFailureRate: 0.5, windowMinutes: 5 }] });
    expect(set.status, set.text).toBe(200);
    for (let i = 0; i < 12; i++) await t.admin('POST', '/api/v1/func/al__main.fail', { kwargs: { i } });
    const fired = await eventually(async () => (await alerts()).active.find((a) => a.id === 'worker-6:failureRate'), 15_000, 'the failure-rate alert');
    expect(fired).toMatchObject({ unit: 'worker-6', kind: 'failureRate', value: 1, threshold: 0.5, message: 'worker-6: 100 % of 12 tasks failed in 5 min, above 50 %' });
  }, 30_000);
});
