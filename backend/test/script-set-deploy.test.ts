/**
 * DataFlux Func's POST /api/v1/script-sets/:id/do/deploy: the example script copied into the
 * startup script set with its placeholders filled, published and callable, a cron job for its
 * function with a fixed cron expression; a second deploy keeps both; a failed publish leaves
 * nothing behind; a set without an example changes nothing; refusals name the field.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const EXAMPLE = `API_KEY = "<API Key>"  # from the vendor
HOST = "<Host>"

@DFF.API('Start', fixed_cron_expr='*/5 * * * *')
def start():
    return [API_KEY, HOST]

@DFF.API('Other')
def other(x=1):
    return x
`;

const t = useTestStack();

const exists = async (kind: 'getScript' | 'getScriptSet', id: string): Promise<boolean> =>
  (await t.admin('GET', `/api/v1/${kind === 'getScript' ? 'scripts' : 'script-sets'}/${id}/do/get`)).status === 200;

describe('POST /api/v1/script-sets/:id/do/deploy', () => {
  it('undoes everything it added when the example does not publish', async () => {
    await t.client.addScriptSet({ body: { data: { id: 'depbad' } } });
    await t.client.addScript({ body: { data: { id: 'depbad__example', codeDraft: 'def broken(:\n    pass\n' } } });
    const r = await t.admin('POST', '/api/v1/script-sets/depbad/do/deploy', { withCronJob: true });
    expect(r.status, r.text).toBe(400);
    expect(r.body).toMatchObject({ reason: 'EScriptPublishFailed' });
    expect(await exists('getScript', 'startup__depbad')).toBe(false);
    expect(await exists('getScriptSet', 'startup')).toBe(false);
  });

  it('copies the example into the startup set, fills its placeholders, publishes it and adds its cron job', async () => {
    await t.publish('dep__example', EXAMPLE);
    const r = await t.admin('POST', '/api/v1/script-sets/dep/do/deploy', { withCronJob: true, startupScriptTitle: 'My start', configReplacer: { 'API Key': 'k"1', Host: null } });
    expect(r.status, r.text).toBe(200);
    expect(r.data).toMatchObject({
      startupScriptId: 'startup__dep',
      startupCronJobId: 'cron-starup-dep',
      startupScriptCronJobFunc: { name: 'start', extraConfig: { fixedCronExpr: '*/5 * * * *' } },
    });
    expect(await t.client.getScriptSet({ params: { id: 'startup' } })).toMatchObject({ id: 'startup', title: 'Startup' });
    const script = await t.client.getScript({ params: { id: 'startup__dep' } });
    expect(script).toMatchObject({ scriptSetId: 'startup', title: 'My start', publishVersion: 1 });
    expect(script.code).toContain('API_KEY = "k\\"1"  # from the vendor\n');
    expect(script.code).toContain('HOST = "" # Host\n');
    expect(await t.client.callFunc({ params: { funcId: 'startup__dep.start' }, body: { kwargs: {} } })).toMatchObject({ result: ['k"1', ''] });
    expect(await t.client.getCronJob({ params: { id: 'cron-starup-dep' } })).toMatchObject({ funcId: 'startup__dep.start', taskRecordLimit: 100 });

    // Deployed again (the old field name): the same script and cron job, none added.
    const again = await t.admin('POST', '/api/v1/script-sets/dep/do/deploy', { withCrontabConfig: true });
    expect(again.data).toMatchObject({ startupScriptId: 'startup__dep', startupCronJobId: 'cron-starup-dep' });
    expect((await t.client.listCronJobs({ query: {} })).filter((c) => c.funcId === 'startup__dep.start')).toHaveLength(1);
    expect((await t.client.getScript({ params: { id: 'startup__dep' } })).title).toBe('My start');
  });

  it('without withCronJob adds no cron job; a set without an example changes nothing', async () => {
    await t.publish('dep2__example', EXAMPLE);
    const r = await t.admin('POST', '/api/v1/script-sets/dep2/do/deploy', {});
    expect(r.data).toEqual({ startupScriptId: 'startup__dep2', startupCronJobId: null, startupScriptCronJobFunc: null });
    expect((await t.client.listCronJobs({ query: {} })).filter((c) => c.funcId === 'startup__dep2.start')).toHaveLength(0);

    await t.client.addScriptSet({ body: { data: { id: 'depnone' } } });
    const none = await t.admin('POST', '/api/v1/script-sets/depnone/do/deploy', { withCronJob: true });
    expect(none.status, none.text).toBe(200);
    expect(none.data).toEqual({ startupScriptId: null, startupCronJobId: null, startupScriptCronJobFunc: null });
    expect(await exists('getScript', 'startup__depnone')).toBe(false);
  });

  it('refuses an unknown set, bad fields and callers without general_w', async () => {
    const unknown = await t.admin('POST', '/api/v1/script-sets/nosuchset/do/deploy', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatchObject({ field: 'id' });
    for (const [body, field] of [
      [{ withCronJob: 'yes' }, 'body.withCronJob'],
      [{ configReplacer: { k: 1 } }, 'body.configReplacer.k'],
    ] as const) {
      const r = await t.admin('POST', '/api/v1/script-sets/dep/do/deploy', body);
      expect(r.status).toBe(400);
      expect(r.body.message).toContain(field);
    }
    await t.client.addUser({ body: { data: { username: 'dep-viewer', name: 'v', password: 'deploy-password-1', roles: ['readonlyUser'] } } });
    const { xAuthToken } = await t.client.signIn({ body: { signIn: { username: 'dep-viewer', password: 'deploy-password-1' } } });
    const refused = await t.api('POST', '/api/v1/script-sets/dep/do/deploy', {}, { 'x-dff-auth-token': xAuthToken });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ reason: 'EUserPrivilege', detail: { permission: 'general_w' } });
  });
});
