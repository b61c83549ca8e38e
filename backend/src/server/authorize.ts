/** The one permission check: every `signedIn` operation, HTTP and (through it) the desktop bridge. */
import { ApiError } from '../../../contract/errors.js';
import type { Operation } from '../../../contract/operation.js';
import { hasPermission, PERMISSIONS, type Permission } from '../../../contract/permissions.js';
import type { Caller } from './auth.js';

/** 403 EUserPrivilege naming the permission, unless the caller holds it. */
export function requirePermission(caller: Caller, permission: Permission): void {
  if (hasPermission(caller.user, permission)) return;
  const roles = caller.user.roles.length > 0 ? caller.user.roles.join(', ') : 'none';
  throw new ApiError('EUserPrivilege', `This needs the permission ${permission} (${PERMISSIONS[permission]}), which the roles of ${caller.user.username} (${roles}) do not grant`, {
    permission,
  });
}

export function authorize(caller: Caller, op: Operation): void {
  if (op.permission !== null) requirePermission(caller, op.permission);
}
