/** Users: unique usernames, hashed passwords, one enabled admin kept, tokens revoked by a change that matters, access keys deleted with their user. */
import { ApiError } from '../../../../contract/errors.js';
import { keepOneAdmin } from '../auth/last-admin.js';
import { hashPassword } from '../auth/password.js';
import { newId } from '../ids.js';
import { nothingAdded, pick, stamp, type EntityRules } from './entity-rules.js';

const sameRoles = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join('\n') === [...b].sort().join('\n');

/** Refuses a username another user (not `self`) has: 409 naming the field. */
async function usernameFree(deps: Parameters<EntityRules<'users'>['fromAdd']>[1], username: string, self: string | undefined): Promise<void> {
  const taken = await deps.store.entity('users').list({ username }, { limit: 2 });
  if (taken.some((u) => u.id !== self)) throw new ApiError('EClientDuplicated', `username ${username} is taken`, { field: 'username' });
}

export const userRules: EntityRules<'users'> = {
  name: 'users',
  fromAdd: async (d, deps) => {
    await usernameFree(deps, d.username, undefined);
    return {
      id: newId('u'),
      username: d.username,
      name: d.name,
      email: d.email ?? null,
      mobile: d.mobile ?? null,
      passwordHash: await hashPassword(d.password),
      roles: d.roles ?? ['user'],
      isDisabled: d.isDisabled === true,
      ...stamp(deps),
    };
  },
  fromModify: async (d, e, deps) => {
    if (d.username !== undefined && d.username !== e.username) await usernameFree(deps, d.username, e.id);
    await keepOneAdmin(deps.store.entity('users'), e, { roles: d.roles ?? e.roles, isDisabled: d.isDisabled ?? e.isDisabled });
    // A new password, other roles or disabling end every token the user has.
    const revoke = d.password !== undefined || (d.roles !== undefined && !sameRoles(d.roles, e.roles)) || (d.isDisabled === true && !e.isDisabled);
    if (revoke) deps.userRevoked(e.id);
    return {
      ...pick(d, ['username', 'name', 'email', 'mobile', 'roles', 'isDisabled']),
      ...(d.password !== undefined ? { passwordHash: await hashPassword(d.password) } : {}),
      ...(revoke ? { tokensValidAfter: deps.now() } : {}),
      updateTime: deps.now(),
    };
  },
  addedView: nothingAdded,
  toApi: ({ passwordHash: _h, tokensValidAfter: _t, email, mobile, ...rest }) => ({ ...rest, email: email ?? null, mobile: mobile ?? null }),
  beforeDelete: (user, deps) => keepOneAdmin(deps.store.entity('users'), user, undefined),
  // Its access keys go with it: they could not sign in as anyone any more, and were still listed.
  // (DataFlux Func leaves them in its table, refused at use.)
  afterDelete: async (id, deps) => {
    const keys = deps.store.entity('accessKeys');
    const owned = await keys.list({ userId: id });
    for (const key of owned) await keys.delete(key.id);
    return [{ name: 'accessKeys', ids: owned.map((k) => k.id) }];
  },
};
