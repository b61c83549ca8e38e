import { describe, expect, it } from 'vitest';
import { choiceOf, keepOffered, KEEP, NEW_USER_ROLES, rolesOf, rolesText } from './role-choice';

describe('role choice', () => {
  it('a new user starts as a viewer, never with write rights', () => {
    expect(NEW_USER_ROLES).toEqual(['readonlyUser']);
  });

  it('one known role is one choice; choosing a role replaces the others', () => {
    expect(choiceOf(['user'])).toBe('user');
    expect(keepOffered(['user'])).toBe(false);
    expect(keepOffered(null)).toBe(false);
    expect(rolesOf('readonlyUser', ['user'])).toEqual(['readonlyUser']);
  });

  it('several stored roles (or an unknown one) are kept as stored until another role is chosen', () => {
    const stored = ['user', 'readonlyUser'];
    expect(keepOffered(stored)).toBe(true);
    expect(choiceOf(stored)).toBe(KEEP);
    expect(rolesOf(KEEP, stored)).toEqual(stored);
    expect(rolesOf('admin', stored)).toEqual(['admin']);
    expect(keepOffered(['auditor'])).toBe(true);
    expect(choiceOf(['auditor'])).toBe(KEEP);
  });

  it('names stored roles by their labels', () => {
    expect(rolesText(['user', 'readonlyUser'])).toBe('Developer + Viewer');
    expect(rolesText(['admin', 'auditor'])).toBe('Administrator + auditor');
    expect(rolesText([])).toBe('no role');
  });
});
