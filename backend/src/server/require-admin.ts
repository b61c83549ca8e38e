/** Operations for admin users only: a signed-in caller without the `admin` role gets 403 EUserPrivilege. */
import { ApiError } from '../../../contract/errors.js';
import type { Caller } from './auth.js';

export function requireAdmin(caller: Caller | undefined, what: string): void {
  if (!caller?.user.roles.includes('admin')) throw new ApiError('EUserPrivilege', `Only admin users may ${what}`);
}
