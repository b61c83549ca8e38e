/** The one permission check: every `signedIn` operation, HTTP and (through it) the desktop bridge; and the operations a token only may call. */
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

/**
 * 403 EUserPrivilege when an access key signs an operation that takes a signed-in token only
 * (Operation.tokenOnly: DataFlux Func's builtin.byXAuthToken, which answers such a key
 * `EUserAuth` 'Auth type not supported'; a 403 here, so that a console on a key is not signed out).
 */
export function requireToken(caller: Caller, op: Operation): void {
  if (op.tokenOnly !== true || caller.via === 'token') return;
  throw new ApiError(
    'EUserPrivilege',
    `${op.id} needs a signed-in user's token (X-Dff-Auth-Token): a request signed with an access key may not manage users, access keys, passwords, the profile or system settings`,
    { authType: 'accessKey', supportedAuthType: 'token' },
    'AuthTypeNotSupported',
  );
}

export function authorize(caller: Caller, op: Operation): void {
  if (op.permission !== null) requirePermission(caller, op.permission);
  requireToken(caller, op);
}
