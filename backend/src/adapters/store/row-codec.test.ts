import { describe, expect, it } from 'vitest';
import { isDuplicatePrimaryKey } from './db-errors.js';
import { globToLike } from './func-store-ops.js';
import { decodeRow, encodePatch, encodeRow } from './row-codec.js';
import { ENTITY_TABLES } from './tables.js';
import { ENTITY_CASES } from './testing/fixtures.js';

describe('row codec', () => {
  const spec = ENTITY_TABLES.syncApis;

  it('encodes JSON as text and booleans as 0/1, and decodes back', () => {
    const row = ENTITY_CASES.syncApis.row('a', 5);
    const stored = encodeRow(spec, row);
    expect(stored.funcCallKwargsJSON).toBe(JSON.stringify(row.funcCallKwargsJSON));
    expect(stored.showInDoc).toBe(1);
    expect(stored.isDisabled).toBe(0);
    expect(stored.throttlingJSON).toBe('{"bySecond":10}');
    expect(decodeRow(spec, { ...stored })).toEqual(row);
  });

  it('encodes patches: undefined skipped, unknown fields and id changes refused', () => {
    expect(encodePatch(spec, { isDisabled: true, note: undefined, tagsJSON: null }, 'a')).toEqual({ isDisabled: 1, tagsJSON: null });
    expect(encodePatch(spec, { id: 'a', note: 'n' }, 'a')).toEqual({ note: 'n' });
    expect(() => encodePatch(spec, { id: 'b' }, 'a')).toThrow(/id/);
    expect(() => encodePatch(spec, { bogus: 1 }, 'a')).toThrow(/bogus/);
  });
});

describe('func store patterns', () => {
  it('turns * globs into LIKE prefilters (the exact match: domain/glob.test.ts)', () => {
    expect(globToLike('100%_!*')).toBe('100!%!_!!%');
  });
});

describe('duplicate key detection', () => {
  it('recognises primary key violations only', () => {
    expect(isDuplicatePrimaryKey({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })).toBe(true);
    expect(isDuplicatePrimaryKey({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(false);
    expect(isDuplicatePrimaryKey({ code: 'ER_DUP_ENTRY', errno: 1062, message: "Duplicate entry 'x' for key 'PRIMARY'" })).toBe(true);
    expect(isDuplicatePrimaryKey({ code: 'ER_DUP_ENTRY', errno: 1062, message: "Duplicate entry 'x' for key 'users.PRIMARY'" })).toBe(true);
    expect(isDuplicatePrimaryKey({ code: 'ER_DUP_ENTRY', errno: 1062, message: "Duplicate entry 'x' for key 'idx_users_username'" })).toBe(false);
    expect(isDuplicatePrimaryKey(new Error('x'))).toBe(false);
  });
});
