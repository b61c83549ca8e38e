import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, parseInput, safeParseReporting } from './errors.js';

const schema = z.object({
  data: z.preprocess(
    (v) => (v !== null && typeof v === 'object' && 'crontab' in v ? { ...v, cronExpr: v.crontab } : v),
    z.object({
      funcId: z.string(),
      funcCallKwargsJSON: z.record(z.string(), z.unknown()),
      cronExpr: z.string().optional(),
      mode: z.enum(['a', 'b']),
      either: z.union([z.string(), z.number()]),
    }),
  ),
});

function refusal(value: unknown): ApiError {
  try {
    parseInput(schema, value, 'body');
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('accepted');
}

const full = { funcId: 'x__y.z', funcCallKwargsJSON: {}, mode: 'a', either: 1 };

describe('parseInput', () => {
  it('answers the parsed value', () => {
    expect(parseInput(schema, { data: full }, 'body')).toEqual({ data: full });
  });

  it('says a field left out is required (not "Invalid input: expected record, received undefined"), naming it', () => {
    const { funcCallKwargsJSON: _k, ...noKwargs } = full;
    const e = refusal({ data: noKwargs });
    expect(e.message).toBe('body.data.funcCallKwargsJSON: required');
    expect(e.detail).toEqual({ field: 'body.data.funcCallKwargsJSON' });
    expect(e.status).toBe(400);
    expect(refusal({}).message).toBe('body.data: required');
    const { either: _e, ...noUnion } = full;
    expect(refusal({ data: noUnion }).message).toBe('body.data.either: required');
    // One of a few values: required, and which.
    const { mode: _m, ...noMode } = full;
    expect(refusal({ data: noMode }).message).toBe('body.data.mode: required (expected one of "a"|"b")');
  });

  it("a field given with the wrong value keeps zod's words, also when a preprocess renamed it", () => {
    expect(refusal({ data: { ...full, funcCallKwargsJSON: 5 } }).message).toBe('body.data.funcCallKwargsJSON: Invalid input: expected record, received number');
    expect(refusal({ data: { ...full, funcCallKwargsJSON: null } }).message).toBe('body.data.funcCallKwargsJSON: Invalid input: expected record, received null');
    // The old name `crontab` becomes `cronExpr`: a wrong value is wrong, not missing.
    expect(refusal({ data: { ...full, crontab: 5 } }).message).toBe('body.data.cronExpr: Invalid input: expected string, received number');
    expect(refusal({ data: { ...full, mode: 'c' } }).message).toBe('body.data.mode: Invalid option: expected one of "a"|"b"');
  });
});

describe('safeParseReporting', () => {
  it('answers the parsed value; a refused one comes with the input each issue is about', () => {
    expect(safeParseReporting(schema, { data: full })).toEqual({ success: true, data: { data: full } });
    const r = safeParseReporting(schema, { data: { ...full, mode: 'c' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['data', 'mode'], input: 'c' });
  });
});
