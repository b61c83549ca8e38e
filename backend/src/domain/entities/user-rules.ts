/** Users: unique usernames, hashed passwords, one enabled admin kept, and tokens revoked by a change that matters. */
import { ApiError } from '../../../../contract/errors.js';
import { keepOneAdmin } from '../auth/last-admin.js';
import { hashPassword } from '../auth/password.js';
import { newId } from '../ids.js';
import { nothingAdded, pick, stamp, type EntityRules } from './entity-rules.js';

const sameRoles = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join('\n') === [...b].sort().join('\n');

export const userRules: EntityRules<'users'> = {
  name: 'users',
  fromAdd: async (d, deps) => {
    if ((await deps.store.entity('users').list({ username: d.username }, { limit: 1 })).length > 0) {
      throw new ApiError('EClientDuplicated', `username ${d.username} is taken`, { field: 'username' });
    }
    return {
      id: newId('u'),
      username: d.username,
      name: d.name,
      passwordHash: await hashPassword(d.password),
      roles: d.roles ?? ['user'],
      isDisabled: d.isDisabled === true,
      ...stamp(deps),
    };
  },
  fromModify: async (d, e, deps) => {
    await keepOneAdmin(deps.store.entity('users'), e, { roles: d.roles ?? e.roles, isDisabled: d.isDisabled ?? e.isDisabled });
    // A new password, other roles or disabling end every token the user has.
    const revoke = d.password !== undefined || (d.roles !== undefined && !sameRoles(d.roles, e.roles)) || (d.isDisabled === true && !e.isDisabled);
    if (revoke) deps.userRevoked(e.id);
    return {
      ...pick(d, ['name', 'roles', 'isDisabled']),
      ...(d.password !== undefined ? { passwordHash: await hashPassword(d.password) } : {}),
      ...(revoke ? { tokensValidAfter: deps.now() } : {}),
      updateTime: deps.now(),
    };
  },
  addedView: nothingAdded,
  toApi: ({ passwordHash: _h, tokensValidAfter: _t, ...rest }) => rest,
  beforeDelete: (user, deps) => keepOneAdmin(deps.store.entity('users'), user, undefined),
};
