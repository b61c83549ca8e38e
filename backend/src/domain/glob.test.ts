import { describe, expect, it } from 'vitest';
import { globMatch } from './glob.js';

describe('globMatch', () => {
  it('* matches any run, everything else itself, case-sensitively', () => {
    expect(globMatch('user:*', 'user:1')).toBe(true);
    expect(globMatch('user:*', 'User:1')).toBe(false);
    expect(globMatch('a.b*', 'axb')).toBe(false);
    expect(globMatch('a.b*', 'a.bc')).toBe(true);
    expect(globMatch('*\n*', 'x\ny')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('', 'a')).toBe(false);
    expect(globMatch('a*b*c', 'aXbYc')).toBe(true);
    expect(globMatch('a*b*c', 'aXbYcd')).toBe(false);
    expect(globMatch('*abc', 'ababc')).toBe(true);
    expect(globMatch('a**b', 'ab')).toBe(true);
    expect(globMatch('[x](y)', '[x](y)')).toBe(true);
  });

  it('? is one character only where asked (Redis KEYS), else literal', () => {
    expect(globMatch('a?c', 'abc')).toBe(false);
    expect(globMatch('a?c', 'a?c')).toBe(true);
    expect(globMatch('a?c', 'abc', { single: true })).toBe(true);
    expect(globMatch('a?c', 'ac', { single: true })).toBe(false);
  });

  it('does not blow up on patterns that make a regular expression backtrack', () => {
    const t0 = performance.now();
    expect(globMatch(`${'*'.repeat(40)}Z`, 'example'.repeat(20))).toBe(false);
    expect(globMatch(`${'*a'.repeat(120)}b`, 'a'.repeat(1000))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(500); // the RegExp took 4.5 s and 33 s on these
  });
});
