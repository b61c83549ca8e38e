import { describe, expect, it } from 'vitest';
import { formatTtl } from './ttl';

describe('formatTtl', () => {
  it.each([
    [-1, 'no expiry'],
    [0, '0 s'],
    [59, '59 s'],
    [61, '1 min 1 s'],
    [3600 * 3 + 300, '3 h 5 min'],
    [3600 * 50, '2 d 2 h'],
  ])('formatTtl(%s) is %s', (ttl, shown) => {
    expect(formatTtl(ttl)).toBe(shown);
  });
});
