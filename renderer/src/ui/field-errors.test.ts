import { describe, expect, it } from 'vitest';
import { ApiError } from '@contract/errors';
import { errorFor, fieldOf, plainWords } from './field-errors';

describe('fieldOf', () => {
  it('maps the field a 400 names to the form field', () => {
    expect(fieldOf(new ApiError('EClientBadRequest', 'x', { field: 'body.data.id' }))).toBe('id');
    expect(fieldOf(new ApiError('EClientBadRequest', 'x', { field: 'body.data.funcCallKwargsJSON.a' }))).toBe('funcCallKwargsJSON');
    expect(fieldOf(new ApiError('EClientBadRequest', 'x', { field: 'body.kwargs' }))).toBe('kwargs');
    expect(fieldOf(new ApiError('EBizRequestConflict', 'x', { field: 'prevCodeDraftMD5' }))).toBe('prevCodeDraftMD5');
    expect(fieldOf(new ApiError('EBizCondition', 'x', { field: 'data.isDisabled' }))).toBe('isDisabled');
  });

  it('is null without a field or for other errors', () => {
    expect(fieldOf(new ApiError('EClientNotFound'))).toBeNull();
    expect(fieldOf(new ApiError('EClientBadRequest', 'x', { field: 3 }))).toBeNull();
    expect(fieldOf(new Error('body.data.id'))).toBeNull();
    expect(fieldOf(null)).toBeNull();
  });
});

describe('errorFor', () => {
  it('gives the message to the field it names only', () => {
    const err = new ApiError('EClientBadRequest', 'body.data.cronExpr: Invalid cron expression', { field: 'body.data.cronExpr' });
    expect(errorFor(err, 'cronExpr')).toBe('Invalid cron expression');
    expect(errorFor(err, 'note')).toBeNull();
  });

  it('leaves out the request path the message starts with, keeping what lies below the field', () => {
    const short = new ApiError('EClientBadRequest', 'body.data.password: Too small: expected string to have >=8 characters', { field: 'body.data.password' });
    expect(errorFor(short, 'password')).toBe('At least 8 characters');
    const nested = new ApiError('EClientBadRequest', 'body.data.funcCallKwargsJSON.a: Invalid input', { field: 'body.data.funcCallKwargsJSON.a' });
    expect(errorFor(nested, 'funcCallKwargsJSON')).toBe('a: Invalid input');
    const top = new ApiError('EBizCondition', 'body.targetPath: exists already: /qa dir', { field: 'body.targetPath' });
    expect(errorFor(top, 'targetPath')).toBe('exists already: /qa dir');
  });

  it('keeps a message that does not start with the path as it is', () => {
    const err = new ApiError('EClientDuplicated', 'A connector with id db exists already', { field: 'data.id' });
    expect(errorFor(err, 'id')).toBe('A connector with id db exists already');
  });
});

describe('plainWords', () => {
  it('says a length or range refusal plainly at the field (the users form showed the validator text)', () => {
    const err = new ApiError('EClientBadRequest', 'body.data.password: Too small: expected string to have >=8 characters', { field: 'body.data.password' });
    expect(errorFor(err, 'password')).toBe('At least 8 characters');
    expect(plainWords('Too big: expected string to have <=100 characters')).toBe('At most 100 characters');
    expect(plainWords('Too small: expected number to be >=1')).toBe('At least 1');
    expect(plainWords('Too small: expected array to have >=1 items')).toBe('At least 1 items');
    expect(plainWords('letters, digits and _ only')).toBe('letters, digits and _ only');
  });
});
