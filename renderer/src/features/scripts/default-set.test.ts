import { describe, expect, it } from 'vitest';
import { defaultScriptSet } from './default-set';

describe('defaultScriptSet', () => {
  const sets = ['alpha', 'beta', 'gamma'];
  it("proposes the open script's set, not the first set", () => {
    expect(defaultScriptSet(sets, 'gamma__main', null)).toBe('gamma');
    expect(defaultScriptSet(sets, undefined, null)).toBe('alpha');
    expect(defaultScriptSet([], undefined, null)).toBe('');
  });

  it('proposes a set just created, until another script is opened', () => {
    expect(defaultScriptSet(sets, 'gamma__main', { set: 'beta', whileOpen: 'gamma__main' })).toBe('beta');
    expect(defaultScriptSet(sets, undefined, { set: 'beta', whileOpen: undefined })).toBe('beta');
    expect(defaultScriptSet(sets, 'alpha__x', { set: 'beta', whileOpen: 'gamma__main' })).toBe('alpha');
    // A set created but not listed yet (the list being read again) is not proposed.
    expect(defaultScriptSet(sets, 'gamma__main', { set: 'delta', whileOpen: 'gamma__main' })).toBe('gamma');
  });
});
