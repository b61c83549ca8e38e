import { describe, expect, it } from 'vitest';
import type { FieldSpec } from './entity-types';
import { fieldHint, initialValues, isSecret, localDateTime, mustBeGiven, toData, type FormValues } from './form-values';
import { apiAuthConfigRows, configFromRows } from './api-auth-config';

const FIELDS: FieldSpec[] = [
  { name: 'id', label: 'ID', kind: 'text', addOnly: true },
  { name: 'funcId', label: 'Function', kind: 'func', required: true },
  { name: 'kwargs', label: 'kwargs', kind: 'json', initial: '{}' },
  { name: 'cronExpr', label: 'Cron expression', kind: 'text' },
  { name: 'note', label: 'Note', kind: 'text' },
  { name: 'type', label: 'Type', kind: 'select', options: ['string', 'password'], initial: 'string' },
  { name: 'value', label: 'Value', kind: 'textarea', required: true, keepWhenEmpty: true },
  { name: 'password', label: 'Password', kind: 'password', required: true },
  { name: 'roles', label: 'Roles', kind: 'roles' },
  { name: 'isDisabled', label: 'Disabled', kind: 'checkbox' },
];

describe('initialValues', () => {
  it('adding: each kind starts from its default', () => {
    expect(initialValues(FIELDS, null)).toEqual({
      id: '',
      funcId: '',
      kwargs: '{}',
      cronExpr: '',
      note: '',
      type: 'string',
      value: '',
      password: '',
      roles: ['readonlyUser'],
      isDisabled: false,
    });
  });

  it('editing: shows the row, JSON pretty-printed, never a password; a missing value is empty, not the add default', () => {
    const row = { id: 'x', funcId: 's__m.f', kwargs: { a: 1 }, cronExpr: null, note: 'hi', value: 'v', password: 'hash?', roles: ['admin', 'user'], isDisabled: true };
    expect(initialValues(FIELDS, row)).toEqual({
      id: 'x',
      funcId: 's__m.f',
      kwargs: '{\n  "a": 1\n}',
      cronExpr: '',
      note: 'hi',
      type: '',
      value: 'v',
      password: '',
      roles: ['admin', 'user'],
      isDisabled: true,
    });
  });

  it('editing: a null JSON value shows the field default', () => {
    expect(initialValues(FIELDS, { kwargs: null }).kwargs).toBe('{}');
  });
});

describe('toData when adding', () => {
  const values = (over: FormValues = {}): FormValues => ({ ...initialValues(FIELDS, null), ...over });

  it('sends what was filled in, parsed JSON, booleans and roles as they are; skips optional empty text', () => {
    const r = toData(FIELDS, values({ funcId: 's__m.f', kwargs: '{"a": [1]}', value: 'v', password: 'secret-123', isDisabled: true, roles: ['admin'] }), true);
    expect(r.errors).toEqual({});
    expect(r.data).toEqual({ funcId: 's__m.f', kwargs: { a: [1] }, type: 'string', value: 'v', password: 'secret-123', roles: ['admin'], isDisabled: true });
  });

  it('names every required field left empty, whitespace counting as empty', () => {
    const r = toData(FIELDS, values({ funcId: '   ' }), true);
    expect(r.errors).toEqual({ funcId: 'Function is required', value: 'Value is required', password: 'Password is required' });
  });

  it('refuses JSON that does not parse, naming the field', () => {
    const r = toData(FIELDS, values({ funcId: 'f', value: 'v', password: 'p', kwargs: '{a:1}' }), true);
    expect(Object.keys(r.errors)).toEqual(['kwargs']);
    expect(r.errors.kwargs).toMatch(/^Not valid JSON: /);
    expect(r.data).not.toHaveProperty('kwargs');
  });

  it('an emptied JSON field sends its default (the add schema requires kwargs)', () => {
    const r = toData(FIELDS, values({ funcId: 'f', value: 'v', password: 'p', kwargs: '' }), true);
    expect(r.errors).toEqual({});
    expect(r.data.kwargs).toEqual({});
  });
});

describe('toData when editing', () => {
  const row = { id: 'x', funcId: 's__m.f', kwargs: { a: 1 }, cronExpr: '*/5 * * * *', note: 'old note', type: 'string', value: 'v', roles: ['user'], isDisabled: false };
  const edit = (over: Record<string, string | boolean | string[]>): ReturnType<typeof toData> => toData(FIELDS, { ...initialValues(FIELDS, row), ...over }, false);

  it('never sends add-only fields', () => {
    expect(edit({ id: 'changed' }).data).not.toHaveProperty('id');
  });

  it('an optional text field emptied is cleared (null), not silently kept', () => {
    const r = edit({ note: '', cronExpr: '  ' });
    expect(r.errors).toEqual({});
    expect(r.data.note).toBeNull();
    expect(r.data.cronExpr).toBeNull();
  });

  it('a required field emptied is an error, not silently kept', () => {
    expect(edit({ funcId: '' }).errors).toEqual({ funcId: 'Function is required' });
  });

  it('an empty password or keep-when-empty field keeps the stored value (not sent)', () => {
    const r = edit({ value: '', password: '' });
    expect(r.errors).toEqual({});
    expect(r.data).not.toHaveProperty('value');
    expect(r.data).not.toHaveProperty('password');
  });

  it('sends unchanged values back as they were', () => {
    const r = edit({});
    expect(r.errors).toEqual({});
    expect(r.data).toEqual({ funcId: 's__m.f', kwargs: { a: 1 }, cronExpr: '*/5 * * * *', note: 'old note', type: 'string', value: 'v', roles: ['user'], isDisabled: false });
  });
});

describe('mustBeGiven (the fields marked *)', () => {
  const byName = (name: string): FieldSpec => FIELDS.find((f) => f.name === name)!;
  it('adding: every required field', () => {
    expect(FIELDS.filter((f) => mustBeGiven(f, true)).map((f) => f.name)).toEqual(['funcId', 'value', 'password']);
  });
  it('editing: not a password nor a field an empty answer keeps', () => {
    expect(mustBeGiven(byName('password'), false)).toBe(false);
    expect(mustBeGiven(byName('value'), false)).toBe(false);
    expect(mustBeGiven(byName('funcId'), false)).toBe(true);
  });
});

describe('secrets and hints', () => {
  const value: FieldSpec = {
    name: 'valueTEXT',
    label: 'Value',
    kind: 'textarea',
    required: true,
    keepWhenEmpty: true,
    editHint: 'Leave empty to keep the current value',
    secretWhen: { field: 'autoTypeCasting', equals: 'password' },
  };
  const password: FieldSpec = { name: 'password', label: 'Password', kind: 'password', required: true, hint: 'At least 8 characters', editHint: 'leave empty to keep it' };

  it("an env variable's value of type password is typed unseen and never filled from the row (it was a clear textarea)", () => {
    expect(isSecret(value, { autoTypeCasting: 'password' })).toBe(true);
    expect(isSecret(value, { autoTypeCasting: 'string' })).toBe(false);
    expect(isSecret(password, {})).toBe(true);
    expect(initialValues([value], { id: 'k', autoTypeCasting: 'password', valueTEXT: 's3cret' }).valueTEXT).toBe('');
    expect(initialValues([value], { id: 'k', autoTypeCasting: 'string', valueTEXT: 'plain' }).valueTEXT).toBe('plain');
  });

  it('"leave empty to keep" is said only when editing, not under a required field of a new item', () => {
    expect(fieldHint(value, true)).toBeUndefined();
    expect(fieldHint(value, false)).toBe('Leave empty to keep the current value');
    expect(fieldHint(password, true)).toBe('At least 8 characters');
    expect(fieldHint(password, false)).toBe('At least 8 characters; leave empty to keep it');
  });
});

describe('the API fields (auth, expiry, throttling, tags, record limit)', () => {
  const API: FieldSpec[] = [
    { name: 'apiAuthId', label: 'API auth', kind: 'apiAuth' },
    { name: 'expireTime', label: 'Expires', kind: 'datetime' },
    { name: 'throttlingJSON', label: 'Throttling', kind: 'throttling' },
    { name: 'tagsJSON', label: 'Tags', kind: 'tags' },
    { name: 'taskRecordLimit', label: 'Task records kept', kind: 'number' },
    { name: 'showInDoc', label: 'Show in doc', kind: 'checkbox' },
  ];
  const expire = new Date(2030, 0, 2, 3, 4).getTime();
  const row = { apiAuthId: 'a1', expireTime: expire, throttlingJSON: { byMinute: 10 }, tagsJSON: ['x', 'y'], taskRecordLimit: 5, showInDoc: true };

  it('shows a row: local date and time, a limit per rule, tags joined', () => {
    expect(initialValues(API, row)).toEqual({
      apiAuthId: 'a1',
      expireTime: '2030-01-02T03:04',
      throttlingJSON: { bySecond: '', byMinute: '10', byHour: '', byDay: '', byMonth: '', byYear: '' },
      tagsJSON: 'x, y',
      taskRecordLimit: '5',
      showInDoc: true,
    });
  });

  it('sends them typed as the contract takes them, and back again', () => {
    const r = toData(API, initialValues(API, row), false);
    expect(r).toEqual({ errors: {}, data: row });
    expect(localDateTime(expire)).toBe('2030-01-02T03:04');
  });

  it('adding: nothing filled sends nothing but the checkbox', () => {
    expect(toData(API, initialValues(API, null), true)).toEqual({ errors: {}, data: { showInDoc: false } });
  });

  it('editing: emptied fields clear the stored values (no auth, no expiry, no throttling)', () => {
    const empty = { apiAuthId: '', expireTime: '', throttlingJSON: {}, tagsJSON: '', taskRecordLimit: '', showInDoc: false };
    expect(toData(API, empty, false).data).toEqual({ apiAuthId: null, expireTime: null, throttlingJSON: null, tagsJSON: null, taskRecordLimit: null, showInDoc: false });
  });

  it('refuses a limit that is not a whole number ≥ 1, and a record limit that is not a number, at their fields', () => {
    const r = toData(API, { ...initialValues(API, null), throttlingJSON: { byHour: '0' }, taskRecordLimit: 'ten' }, true);
    expect(r.errors).toEqual({ throttlingJSON: 'byHour: a whole number of calls, at least 1', taskRecordLimit: 'A whole number' });
  });
});

describe('API auth configuration rows', () => {
  it('fixedField: fields ↔ rows', () => {
    const json = JSON.stringify({ fields: [{ location: 'query', name: 'k', value: 'v' }] });
    const rows = apiAuthConfigRows('fixedField', json);
    expect(rows).toEqual([{ key: 'k', secret: 'v', location: 'query' }]);
    expect(JSON.parse(configFromRows('fixedField', rows))).toEqual(JSON.parse(json));
  });

  it('httpBasic and httpDigest: users ↔ rows; an empty or other type configuration starts with one empty row', () => {
    const rows = [{ key: 'u', secret: 'p', location: 'header' }];
    expect(JSON.parse(configFromRows('httpDigest', rows))).toEqual({ users: [{ username: 'u', password: 'p' }] });
    expect(apiAuthConfigRows('httpBasic', configFromRows('httpBasic', rows))).toEqual(rows);
    expect(apiAuthConfigRows('httpBasic', '{}')).toEqual([{ key: '', secret: '', location: 'header' }]);
    expect(apiAuthConfigRows('httpBasic', configFromRows('fixedField', rows))).toEqual([{ key: '', secret: '', location: 'header' }]);
  });

  it('func: the function id', () => {
    expect(apiAuthConfigRows('func', configFromRows('func', 's__m.check'))).toBe('s__m.check');
  });
});
