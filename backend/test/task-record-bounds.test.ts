/**
 * A task record keeps a bounded part of a large return value or exception (record-bounds.ts): the
 * caller of a sync call still gets the whole value, and the record listing stays usable.
 */
import { describe, expect, it } from 'vitest';
import { RECORD_JSON_MAX_CHARS, TEXT_HEAD_CHARS, TEXT_TAIL_CHARS } from '../src/domain/tasks/record-bounds.js';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

// Just over the bound, not hundreds of MB: the same path, in a fraction of a second.
const BIG = RECORD_JSON_MAX_CHARS + 100;
const CODE = `
@DFF.API('Big')
def big():
    return 'x' * ${BIG}

@DFF.API('Echo')
def echo(**kwargs):
    return len(kwargs['s'])

@DFF.API('Fail')
def fail():
    raise ValueError('e' * ${TEXT_HEAD_CHARS + TEXT_TAIL_CHARS + 5000})
`;

const t = useTestStack({ rb__main: CODE });

interface ListedRecord {
  id: string;
  funcId: string;
  status: string;
  funcCallKwargsJSON: unknown;
  returnValueJSON: unknown;
  exceptionTEXT: string | null;
  tracebackTEXT: string | null;
}

async function listed(funcId: string): Promise<ListedRecord> {
  return eventually(async () => {
    // The default page, as the console asks for it; the record once the task ended.
    const r = await t.admin('GET', '/api/v1/task-records/do/list');
    expect(r.status, r.text.slice(0, 500)).toBe(200);
    return (r.body.data as ListedRecord[]).find((x) => x.funcId === funcId && (x.status === 'success' || x.status === 'failure'));
  });
}

describe('task records of large results', () => {
  it('a return value over the bound: the caller gets it whole, the record holds a marker with its size and head', async () => {
    const call = await t.admin('POST', '/api/v1/func/rb__main.big', { kwargs: {} });
    expect(call.status, call.text.slice(0, 500)).toBe(200);
    expect((call.body.data as { result: string }).result).toBe('x'.repeat(BIG));
    const rec = await listed('rb__main.big');
    expect(rec.returnValueJSON).toEqual({ truncated: true, chars: BIG + 2, head: `"${'x'.repeat(TEXT_HEAD_CHARS - 1)}` });
  });

  it('an exception text over the bound: the record keeps its head and tail', async () => {
    const call = await t.admin('POST', '/api/v1/func/rb__main.fail', { kwargs: {} });
    expect(call.status).toBe(599);
    const rec = await listed('rb__main.fail');
    expect(rec.exceptionTEXT).toContain(' characters left out …');
    expect(rec.exceptionTEXT!.length).toBeLessThan(TEXT_HEAD_CHARS + TEXT_TAIL_CHARS + 100);
    expect(rec.tracebackTEXT!.length).toBeLessThan(TEXT_HEAD_CHARS + TEXT_TAIL_CHARS + 100);
    expect(rec.tracebackTEXT).toContain(' characters left out …');
  });

  it('kwargs over the bound: the function gets them whole, the record holds the marker, and a replay is refused', async () => {
    const call = await t.admin('POST', '/api/v1/func/rb__main.echo', { kwargs: { s: 'k'.repeat(BIG) } });
    expect(call.status, call.text.slice(0, 500)).toBe(200);
    expect((call.body.data as { result: number }).result).toBe(BIG);
    const rec = await listed('rb__main.echo');
    expect(rec.funcCallKwargsJSON).toMatchObject({ truncated: true, chars: BIG + 8 });
    const replay = await t.admin('POST', `/api/v1/tasks/${rec.id}/do/replay`, {});
    expect(replay.status, replay.text).toBe(403);
    expect(replay.body.reason ?? replay.text).toContain('EBizCondition');
  });
});
