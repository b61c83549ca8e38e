/** Sign-in, sign-out, profile. */
import { ApiError } from '../../../../contract/errors.js';
import { verifyPassword } from '../../domain/auth/password.js';
import type { Handlers } from '../handler.js';

export const authHandlers: Pick<Handlers, 'signIn' | 'signOut' | 'profile'> = {
  signIn: async ({ body }, { ctx }) => {
    const { username, password } = body.signIn;
    const [user] = await ctx.store.entity('users').list({ username }, { limit: 1 });
    if (!user || !(await verifyPassword(password, user.passwordHash))) throw new ApiError('EUserPassword', undefined, { field: 'signIn.password' });
    if (user.isDisabled) throw new ApiError('EUserDisabled');
    return { xAuthToken: ctx.tokens.issue(user.id), userId: user.id, username: user.username };
  },
  signOut: (_input, { ctx, caller }) => {
    if (caller?.token) ctx.tokens.revoke(caller.token);
    return null;
  },
  profile: (_input, { caller }) => {
    const u = caller!.user;
    return { id: u.id, username: u.username, name: u.name, roles: u.roles };
  },
};
