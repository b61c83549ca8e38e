/**
 * Running a test script's function as a draft (`POST /api/v1/func-draft/:funcId`, one real runner):
 * its run record, or its result once it succeeded; and checking a function that tries many cases
 * and answers each one's outcome as text.
 */
import { expect } from 'vitest';
import type { TestStack } from './test-stack.js';

export interface DraftRun {
  status: string;
  result: unknown;
  printLogs: string[];
  exceptionType: string | null;
  exception: string | null;
}

export function draftRunner(
  t: Pick<TestStack, 'admin'>,
  scriptId: string,
): { run: (name: string, kwargs?: Record<string, unknown>) => Promise<DraftRun>; result: (name: string, kwargs?: Record<string, unknown>) => Promise<unknown> } {
  const run = async (name: string, kwargs: Record<string, unknown> = {}): Promise<DraftRun> => {
    const r = await t.admin('POST', `/api/v1/func-draft/${scriptId}.${name}`, { kwargs });
    expect(r.status, r.text).toBe(200);
    return r.data as DraftRun;
  };
  const result = async (name: string, kwargs: Record<string, unknown> = {}): Promise<unknown> => {
    const r = await run(name, kwargs);
    expect(r.status, `${r.exceptionType}: ${r.exception}`).toBe('success');
    return r.result;
  };
  return { run, result };
}

/**
 * Python for a test script: `_try(cases)` calls each case (a name → a function of no arguments) and
 * answers each one's outcome as text, `accepted: <repr>` or `<ExceptionType>: <message>`, for
 * `expectOutcomes`.
 */
export const PY_TRY_CASES = `
def _try(cases):
    out = {}
    for name, fn in cases.items():
        try:
            out[name] = 'accepted: %r' % (fn(),)
        except Exception as e:
            out[name] = '%s: %s' % (type(e).__name__, e)
    return out
`;

/** Each case's outcome matches its pattern; every case that does not is listed at once. */
export function expectOutcomes(out: Record<string, unknown>, expected: Record<string, RegExp>): void {
  const wrong = Object.fromEntries(Object.entries(expected).flatMap(([name, pattern]) => (pattern.test(String(out[name])) ? [] : [[name, out[name]]])));
  expect(wrong).toEqual({});
}
