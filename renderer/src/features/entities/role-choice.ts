/**
 * A user's role as one choice. DataFlux Func's `roles` is an array and a user's permissions are the union
 * over its roles, so several roles add up (a Developer who is also a Viewer can write). The console offers
 * one role at a time; a user stored with several (or an unknown one) keeps them under "Keep as stored"
 * until another single role is chosen.
 */
import { ROLE_LABELS, isRole, type Role } from '@contract/permissions';

export const KEEP = 'keep';
export type RoleChoiceValue = Role | typeof KEEP;

/** The role a new user starts with: the one granting least of the three main roles (nothing written by mistake). */
export const NEW_USER_ROLES: readonly Role[] = ['readonlyUser'];

function single(roles: readonly string[]): Role | null {
  const [only] = roles;
  return roles.length === 1 && only !== undefined && isRole(only) ? only : null;
}

/** The stored roles can be shown as one choice; otherwise "Keep as stored" is offered. */
export function keepOffered(stored: readonly string[] | null): stored is readonly string[] {
  return stored !== null && single(stored) === null;
}

export function choiceOf(roles: readonly string[]): RoleChoiceValue {
  return single(roles) ?? KEEP;
}

export function rolesOf(choice: RoleChoiceValue, stored: readonly string[] | null): string[] {
  return choice === KEEP ? [...(stored ?? [])] : [choice];
}

/** 'Developer + Viewer'; an unknown role as its id. */
export function rolesText(roles: readonly string[]): string {
  return roles.length === 0 ? 'no role' : roles.map((r) => (isRole(r) ? ROLE_LABELS[r] : r)).join(' + ');
}
