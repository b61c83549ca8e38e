import { describe, expect, it } from 'vitest';
import { ApiError } from '@contract/errors';
import { errorFor, fieldOf } from './field-errors';

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
    expect(errorFor(err, 'cronExpr')).toBe('body.data.cronExpr: Invalid cron expression');
    expect(errorFor(err, 'note')).toBeNull();
  });
});
