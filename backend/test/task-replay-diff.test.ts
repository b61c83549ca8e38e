/** Replay of recorded tasks (against the draft and a published version) and the diff of two runs, on a real embedded stack. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors.js';
import { useTestStack } from '../src/testing/test-stack.js';
import { taskSucceeded } from '../src/testing/test-client.js';

const V1 = `@DFF.API('Shape')
def shape(n, label='a'):
    print('v1 run', n)
    req = _DFF_HTTP_REQUEST or {}
    return {'version': 1, 'items': list(range(n)), 'label': label, 'method': req.get('method'), 'auth': (req.get('headers') or {}).get('authorization')}
`;
const V2 = V1.replace("'version': 1", "'version': 2").replace("'v1 run'", "'v2 run'").replace('list(range(n))', 'list(range(n + 1))');

const t = useTestStack();
let directId: string;

const refusal = async (p: Promise<unknown>): Promise<ApiError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
};

beforeAll(async () => {
  await t.publish('replay__main', V1);
  const r = await t.admin('POST', '/api/v1/func/replay__main.shape', { kwargs: { n: 2 } });
  expect(r.status, r.text).toBe(200);
  const records = await t.client.listTaskRecords({ query: { funcId: 'replay__main.shape' } });
  directId = records[0]!.id;
  // Version 2 published; the draft then holds v2 too.
  await t.admin('POST', '/api/v1/scripts/replay__main/do/modify', { data: { codeDraft: V2 } });
  await t.client.publishScript({ params: { id: 'replay__main' }, body: { data: {} } });
}, 60_000);

describe('replay', () => {
  it('re-runs the exact kwargs against the draft, in a new record linked to the original', async () => {
    const run = await t.client.replayTask({ params: { id: directId }, body: { against: 'draft' } });
    expect(run).toMatchObject({ status: 'success', replayOf: directId, against: 'draft', kwargs: { n: 2 } });
    expect(run.result).toMatchObject({ version: 2, items: [0, 1, 2] });
    expect(run.printLogsTEXT).toContain('v2 run 2');
    const record = await t.client.getTask({ params: { id: run.taskId } });
    expect(record).toMatchObject({ origin: 'debugger', replayOf: directId, funcCallKwargsJSON: { n: 2 } });
  });

  it('runs a chosen published version', async () => {
    const run = await t.client.replayTask({ params: { id: directId }, body: { against: 1 } });
    expect(run.result).toMatchObject({ version: 1, items: [0, 1] });
  });

  it('refuses an unknown version and an unknown task, naming the field', async () => {
    const err = await refusal(t.client.replayTask({ params: { id: directId }, body: { against: 9 } }));
    expect(err.detail.field).toBe('against');
    const missing = await refusal(t.client.replayTask({ params: { id: 'no-such-task' }, body: {} }));
    expect(missing.code).toBe('EClientNotFound');
    const bad = await t.admin('POST', `/api/v1/tasks/${directId}/do/replay`, { against: 'latest' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('against');
  });

  it('re-sends the request an API call came with, its credentials masked', async () => {
    const apiId = await t.add('/api/v1/sync-apis/do/add', { funcId: 'replay__main.shape', funcCallKwargsJSON: { n: 'FROM_PARAMETER' } });
    const call = await t.api('POST', `/api/v1/sync/${apiId}`, { kwargs: { n: 1 } }, { authorization: 'Bearer very-secret-value' });
    expect(call.status, call.text).toBe(200);
    expect(call.body).toMatchObject({ auth: 'Bearer very-secret-value' });
    const [original] = await t.client.listTaskRecords({ query: { originId: apiId } });
    const stored = await t.client.getTask({ params: { id: original!.id } });
    expect(JSON.stringify(stored)).not.toContain('very-secret-value');
    const run = await t.client.replayTask({ params: { id: original!.id }, body: {} });
    expect(run.result).toMatchObject({ method: 'POST', auth: '***', items: [0, 1] });
  });
});

describe('diff', () => {
  it('compares two runs: return values, kwargs, logs, duration and memory', async () => {
    const replay = await t.client.replayTask({ params: { id: directId }, body: {} });
    // The record's outcome is written by the record batcher shortly after the answer.
    await taskSucceeded(t.client, replay.taskId, 10_000, 'the replay record');
    const d = await t.client.diffTaskRecords({ query: { a: directId, b: replay.taskId } });
    expect(d.sameFunc).toBe(true);
    expect(d.a.replayOf).toBeNull();
    expect(d.b.replayOf).toBe(directId);
    expect(d.returnValueChanges).toEqual([
      { path: '$.version', kind: 'changed', a: 1, b: 2 },
      { path: '$.items[2]', kind: 'added', b: 2 },
    ]);
    expect(d.kwargsChanges).toEqual([]);
    expect(d.a.printLogs.join('\n')).toContain('v1 run 2');
    expect(d.b.printLogs.join('\n')).toContain('v2 run 2');
    expect(typeof d.durationDeltaMs).toBe('number');
  });

  it('names the side that does not exist', async () => {
    const err = await refusal(t.client.diffTaskRecords({ query: { a: directId, b: 'nope' } }));
    expect(err.detail.field).toBe('b');
    const bad = await t.admin('GET', '/api/v1/task-records/do/diff?a=x');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('b');
  });
});
