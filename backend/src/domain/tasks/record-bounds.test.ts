import { describe, expect, it } from 'vitest';
import { capJson, capText, isLeftOutJson, jsonCharsUpTo, RECORD_JSON_MAX_CHARS, TEXT_HEAD_CHARS, TEXT_TAIL_CHARS } from './record-bounds.js';
import { outcomePatch, queuedRecord, recordToApi } from './task-record.js';
import type { TaskMessage } from './task.js';

describe('jsonCharsUpTo', () => {
  it('counts the JSON text of values without escapes exactly', () => {
    const values: unknown[] = [null, true, 12.5, -3, 'abc', '', [], {}, [1, 'a', null, { b: true }], { a: [1, 2, { c: 'ü' }], d: {}, e: [] }];
    for (const v of values) expect(jsonCharsUpTo(v, Infinity), JSON.stringify(v)).toBe(JSON.stringify(v).length);
  });
  it('stops once past the bound: a huge array is not walked', () => {
    const big = new Array<number>(5_000_000).fill(1);
    const n = jsonCharsUpTo([big], 100);
    expect(n).toBeGreaterThan(100);
    expect(n).toBeLessThan(big.length * 2);
  });
});

describe('capJson', () => {
  it('keeps a value at the bound whole (the same value)', () => {
    const v = { s: 'x'.repeat(90) };
    expect(JSON.stringify(v).length).toBe(98);
    expect(capJson(v, 98)).toBe(v);
    expect(capJson('x'.repeat(RECORD_JSON_MAX_CHARS - 2))).toHaveLength(RECORD_JSON_MAX_CHARS - 2);
  });
  it('stores a value over the bound as a marker: truncated, its JSON length, the head of its JSON', () => {
    const s = 'y'.repeat(RECORD_JSON_MAX_CHARS - 1);
    const capped = capJson(s);
    expect(capped).toEqual({ truncated: true, chars: RECORD_JSON_MAX_CHARS + 1, head: `"${'y'.repeat(TEXT_HEAD_CHARS - 1)}` });
    expect(isLeftOutJson(capped)).toBe(true);
    const list = Array.from({ length: 50 }, (_, i) => ({ i }));
    const many = capJson(list, 100);
    expect(many).toMatchObject({ truncated: true, chars: JSON.stringify(list).length });
    expect(isLeftOutJson(many) && many.head.startsWith('[{"i":0}')).toBe(true);
  });
});

describe('capText', () => {
  it('keeps short text; of long text the head and tail with how much was left out', () => {
    expect(capText('abc')).toBe('abc');
    const long = `${'h'.repeat(TEXT_HEAD_CHARS)}${'m'.repeat(1000)}${'t'.repeat(TEXT_TAIL_CHARS)}`;
    expect(capText(long)).toBe(`${'h'.repeat(TEXT_HEAD_CHARS)}\n… 1000 characters left out …\n${'t'.repeat(TEXT_TAIL_CHARS)}`);
  });
});

describe('records', () => {
  const task: TaskMessage = {
    id: 't1',
    funcId: 's__m.f',
    scriptId: 's__m',
    funcName: 'f',
    kwargs: { big: 'k'.repeat(RECORD_JSON_MAX_CHARS) },
    origin: 'direct',
    originId: 'direct',
    queue: 1,
    timeoutMs: 1000,
    triggerTime: 0,
    expiresAt: 30_000,
  };
  it('bound the return value, exception and traceback of an outcome, and the kwargs of a queued task', () => {
    const huge = 'e'.repeat(3 * RECORD_JSON_MAX_CHARS);
    const patch = outcomePatch({ status: 'failure', printLogs: [], result: huge, exception: huge, traceback: `Traceback\n${huge}` }, 1);
    expect(patch.returnValueJSON).toMatchObject({ truncated: true, chars: huge.length + 2 });
    expect(patch.exceptionTEXT).toHaveLength(TEXT_HEAD_CHARS + TEXT_TAIL_CHARS + `\n… ${huge.length - TEXT_HEAD_CHARS - TEXT_TAIL_CHARS} characters left out …\n`.length);
    expect(patch.tracebackTEXT!.startsWith('Traceback\n')).toBe(true);
    expect(patch.tracebackTEXT!.length).toBeLessThan(TEXT_HEAD_CHARS + TEXT_TAIL_CHARS + 100);
    expect(outcomePatch({ status: 'success', printLogs: [], result: { a: 1 } }, 1).returnValueJSON).toEqual({ a: 1 });
    const queued = queuedRecord(task);
    expect(queued.kwargsJSON).toMatchObject({ truncated: true, chars: JSON.stringify(task.kwargs).length });
    // The message keeps them whole: the task still runs with them.
    expect(queued.messageJSON).toMatchObject({ kwargs: task.kwargs });
  });
  it('bound a record stored before the bounds when it is shown', () => {
    const huge = 'r'.repeat(RECORD_JSON_MAX_CHARS + 1);
    const shown = recordToApi({
      ...queuedRecord({ ...task, kwargs: {} }),
      kwargsJSON: { huge },
      returnValueJSON: huge,
      exceptionTEXT: huge,
      tracebackTEXT: huge,
      printLogsTEXT: huge,
    });
    expect(shown.returnValueJSON).toMatchObject({ truncated: true, chars: huge.length + 2 });
    expect(shown.funcCallKwargsJSON).toMatchObject({ truncated: true });
    for (const f of ['exceptionTEXT', 'tracebackTEXT', 'printLogsTEXT']) expect((shown[f] as string).length, f).toBeLessThan(TEXT_HEAD_CHARS + TEXT_TAIL_CHARS + 100);
    expect(recordToApi(queuedRecord({ ...task, kwargs: { a: 1 } }))).toMatchObject({ funcCallKwargsJSON: { a: 1 }, returnValueJSON: null, exceptionTEXT: null });
  });
});
