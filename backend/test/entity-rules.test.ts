/** The entity rules of domain/entities on a real SQLite store, with a fixed clock and no server. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors.js';
import { fileStore } from '../src/testing/file-store.js';
import { funcRow } from '../src/adapters/store/testing/fixtures.js';
import { SecretBox } from '../src/domain/auth/secret-box.js';
import { ENTITY_RULES, type EntityRuleDeps } from '../src/domain/entities/index.js';
import type { FuncRow } from '../src/domain/ports/store.js';

const NOW = Date.UTC(2026, 0, 1, 10, 0, 30);
const FUNC: FuncRow = funcRow('demo__main.tick', 'demo__main', 0, 1);
const store = await fileStore();
const revoked: string[] = [];
const admin = { user: { id: 'u-admin', roles: ['admin'] } };
const viewer = { user: { id: 'u-view', roles: ['readonlyUser'] } };

const deps: EntityRuleDeps = {
  store,
  secrets: new SecretBox('entity-rules-test-secret'),
  now: () => NOW,
  catalog: { func: (id) => Promise.resolve(id === FUNC.id ? FUNC : undefined), invalidate: () => undefined },
  discoverer: { discover: () => Promise.resolve({ ok: true, funcs: [] }) },
  userRevoked: (id) => void revoked.push(id),
};

const fieldOf = async (p: Promise<unknown>): Promise<unknown> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return (err as ApiError).detail.field;
};

describe('cron jobs', () => {
  it('compute the next run from the clock, and none while disabled', async () => {
    const row = await ENTITY_RULES.cronJobs.fromAdd({ funcId: FUNC.id, funcCallKwargsJSON: {}, cronExpr: '*/5 * * * *' }, deps, admin);
    expect(row.nextRunTime).toBe(Date.UTC(2026, 0, 1, 10, 5, 0));
    const patch = await ENTITY_RULES.cronJobs.fromModify({ isDisabled: true }, row, deps);
    expect(patch.nextRunTime).toBeNull();
  });
  it('refuse an unknown function and a bad expression, naming the field', async () => {
    expect(await fieldOf(ENTITY_RULES.cronJobs.fromAdd({ funcId: 'nope__x', funcCallKwargsJSON: {}, cronExpr: '* * * * *' }, deps, admin))).toBe('funcId');
    expect(await fieldOf(ENTITY_RULES.cronJobs.fromAdd({ funcId: FUNC.id, funcCallKwargsJSON: {}, cronExpr: '61 * * * *' }, deps, admin))).toBe('cronExpr');
  });
  it('accept no expression where the function has none, as DataFlux Func does: it never fires by itself', async () => {
    const row = await ENTITY_RULES.cronJobs.fromAdd({ funcId: FUNC.id, funcCallKwargsJSON: {} }, deps, admin);
    expect(row.cronExpr).toBeNull();
    expect(row.nextRunTime).toBeNull();
  });
  it('modify a job whose function is gone (deleted, or renamed by a publish): disable it, note it, give it another expression; a new function must be published', async () => {
    const row = await ENTITY_RULES.cronJobs.fromAdd({ funcId: FUNC.id, funcCallKwargsJSON: {}, cronExpr: '*/5 * * * *' }, deps, admin);
    const orphan = { ...row, funcId: 'demo__main.renamed_away' };
    expect((await ENTITY_RULES.cronJobs.fromModify({ isDisabled: true }, orphan, deps)).isDisabled).toBe(true);
    expect((await ENTITY_RULES.cronJobs.fromModify({ note: 'function renamed' }, orphan, deps)).note).toBe('function renamed');
    const other = await ENTITY_RULES.cronJobs.fromModify({ cronExpr: '0 * * * *', funcCallKwargsJSON: { a: 1 } }, orphan, deps);
    // No function: no next run (it fires again once the function is back), and no signature to check the kwargs against.
    expect([other.cronExpr, other.nextRunTime]).toEqual(['0 * * * *', null]);
    // What is still checked: the expression, the time zone, and a function given.
    expect(await fieldOf(ENTITY_RULES.cronJobs.fromModify({ cronExpr: '61 * * * *' }, orphan, deps))).toBe('cronExpr');
    expect(await fieldOf(ENTITY_RULES.cronJobs.fromModify({ timezone: 'Mars/Base' }, orphan, deps))).toBe('timezone');
    expect(await fieldOf(ENTITY_RULES.cronJobs.fromModify({ funcId: 'demo__main.nope' }, orphan, deps))).toBe('funcId');
    expect((await ENTITY_RULES.cronJobs.fromModify({ funcId: FUNC.id }, orphan, deps)).nextRunTime).toBe(Date.UTC(2026, 0, 1, 10, 5, 0));
  });
});

describe('users', () => {
  it('revoke tokens on a new password or other roles, not on a new name', async () => {
    const row = await ENTITY_RULES.users.fromAdd({ username: 'dev1', name: 'Dev', password: 'long-enough-pass' }, deps, admin);
    await store.entity('users').insert(row);
    const renamed = await ENTITY_RULES.users.fromModify({ name: 'Dev One' }, row, deps);
    expect(renamed.tokensValidAfter).toBeUndefined();
    expect(revoked).toEqual([]);
    const promoted = await ENTITY_RULES.users.fromModify({ roles: ['admin'] }, row, deps);
    expect(promoted.tokensValidAfter).toBe(NOW);
    expect(revoked).toEqual([row.id]);
    expect(ENTITY_RULES.users.toApi(row, deps, admin)).not.toHaveProperty('passwordHash');
  });
});

describe('env variables and API auth', () => {
  it('keep a password value encrypted and never show it', async () => {
    const row = await ENTITY_RULES.envVariables.fromAdd({ id: 'pw', autoTypeCasting: 'password', valueTEXT: 'hunter2-secret' }, deps, admin);
    expect(row.valueTEXT).not.toContain('hunter2');
    expect(deps.secrets.decrypt(row.valueTEXT)).toBe('hunter2-secret');
    expect(ENTITY_RULES.envVariables.toApi(row, deps, admin).valueTEXT).toBeUndefined();
  });
  it('modify checks the type and value that result, as add checks them: a new type alone must fit the value kept', async () => {
    const e = await ENTITY_RULES.envVariables.fromAdd({ id: 'greeting', autoTypeCasting: 'string', valueTEXT: 'hello' }, deps, admin);
    for (const [type, problem] of [
      ['integer', '"hello" is not an integer'],
      ['float', '"hello" is not a number'],
      ['boolean', '"hello" is not a boolean (true/false)'],
      ['json', 'is not valid JSON'],
    ] as const) {
      const err = await Promise.resolve()
        .then(() => ENTITY_RULES.envVariables.fromModify({ autoTypeCasting: type }, e, deps))
        .then(
          () => undefined,
          (x: unknown) => x,
        );
      expect(err, type).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(400);
      expect((err as ApiError).detail.field).toBe('autoTypeCasting');
      expect((err as ApiError).message).toBe(`autoTypeCasting: "${type}" does not fit the value kept (valueTEXT ${problem}): send a valueTEXT of that type with it`);
    }
    expect(await ENTITY_RULES.envVariables.fromModify({ autoTypeCasting: 'commaArray' }, e, deps)).toMatchObject({ autoTypeCasting: 'commaArray' });
    expect(await ENTITY_RULES.envVariables.fromModify({ autoTypeCasting: 'integer', valueTEXT: '42' }, e, deps)).toMatchObject({ autoTypeCasting: 'integer', valueTEXT: '42' });
    const n = await ENTITY_RULES.envVariables.fromAdd({ id: 'n', autoTypeCasting: 'string', valueTEXT: ' 7 ' }, deps, admin);
    expect(await ENTITY_RULES.envVariables.fromModify({ autoTypeCasting: 'integer' }, n, deps)).toMatchObject({ autoTypeCasting: 'integer' });
    expect(await fieldOf(Promise.resolve().then(() => ENTITY_RULES.envVariables.fromModify({ autoTypeCasting: 'integer', valueTEXT: 'abc' }, n, deps)))).toBe('valueTEXT');
  });
  it('show an API auth secret in clear to a writer and masked to a viewer', async () => {
    const row = await ENTITY_RULES.apiAuth.fromAdd({ type: 'fixedField', configJSON: { fields: [{ location: 'header', name: 'x-k', value: 'v-secret-1' }] } }, deps, admin);
    expect(JSON.stringify(row.configJSON)).not.toContain('v-secret-1');
    expect(JSON.stringify(ENTITY_RULES.apiAuth.toApi(row, deps, admin).configJSON)).toContain('v-secret-1');
    expect(JSON.stringify(ENTITY_RULES.apiAuth.toApi(row, deps, viewer).configJSON)).not.toContain('v-secret-1');
  });
});

describe('script sets', () => {
  it('delete their scripts after the set', async () => {
    const set = await ENTITY_RULES.scriptSets.fromAdd({ id: 'gone' }, deps, admin);
    await store.entity('scriptSets').insert(set);
    const s = { scriptSetId: 'gone', title: null, description: null, code: null, codeMD5: null, codeDraft: '', codeDraftMD5: 'm', publishVersion: 0, createTime: 1, updateTime: 1 };
    await store.entity('scripts').insert({ ...s, id: 'gone__a' });
    await store.entity('scriptSets').delete('gone');
    expect(await ENTITY_RULES.scriptSets.afterDelete!('gone', deps)).toEqual([{ name: 'scripts', ids: ['gone__a'] }]);
    expect(await store.entity('scripts').list({ scriptSetId: 'gone' })).toEqual([]);
  });
});
