/** A stack always keeps one enabled admin: no change may remove the last one (nobody could manage users again). */
import { ApiError } from '../../../../contract/errors.js';
import type { EntityRepo, UserRow } from '../ports/store.js';

const isActiveAdmin = (u: Pick<UserRow, 'roles' | 'isDisabled'>): boolean => u.roles.includes('admin') && !u.isDisabled;

/**
 * Refuses (403 EBizCondition) when `existing` is the last enabled admin and would not be one after the change (`after` undefined: deleted),
 * naming what the change does: disabling (`data.isDisabled`), taking the admin role away (`data.roles`) or the delete (`id`).
 */
export async function keepOneAdmin(users: EntityRepo<UserRow>, existing: UserRow, after: Pick<UserRow, 'roles' | 'isDisabled'> | undefined): Promise<void> {
  if (!isActiveAdmin(existing) || (after !== undefined && isActiveAdmin(after))) return;
  const admins = (await users.list({ isDisabled: false })).filter((u) => u.id !== existing.id && isActiveAdmin(u));
  if (admins.length > 0) return;
  const [field, change] = after === undefined ? ['id', 'deleting'] : after.isDisabled ? ['data.isDisabled', 'disabling'] : ['data.roles', 'taking the admin role from'];
  throw new ApiError(
    'EBizCondition',
    `${field}: ${change} ${existing.username} is refused: ${existing.username} is the last enabled admin; make another user an enabled admin first`,
    { field },
  );
}
