import { describe, expect, it } from 'vitest';
import { ApiError } from '@contract/errors';
import { errorMessage, isNetworkFailure } from './error-text';

describe('errorMessage', () => {
  it('says the stack cannot be reached, at its URL, instead of the browser\'s "Failed to fetch"', () => {
    for (const text of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed', 'fetch failed']) {
      expect(isNetworkFailure(new TypeError(text))).toBe(true);
      expect(errorMessage(new TypeError(text), 'http://127.0.0.1:8088')).toBe(
        'The stack cannot be reached at http://127.0.0.1:8088: check that it is running and that this computer can reach it.',
      );
    }
    expect(errorMessage(new TypeError('Failed to fetch'), undefined)).toMatch(/^The stack cannot be reached: /);
  });

  it('keeps the messages of other errors', () => {
    expect(isNetworkFailure(new TypeError('x is not a function'))).toBe(false);
    expect(errorMessage(new TypeError('x is not a function'), 'http://h')).toBe('x is not a function');
    expect(errorMessage(new ApiError('EClientNotFound', 'No such script'), 'http://h')).toBe('No such script');
    expect(errorMessage('plain', 'http://h')).toBe('plain');
  });
});
