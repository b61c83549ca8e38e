/** Sign-in, sign-out, profile. */
import { ApiError } from '../../../../contract/errors.js';
import { checkPassword } from '../../domain/auth/sign-in-guard.js';
import { authState } from '../auth.js';
import type { Handlers } from '../handler.js';
import { captchas } from './admin.js';

export const authHandlers: Pick<Handlers, 'signIn' | 'signOut' | 'profile'> = {
  signIn: async ({ body }, { ctx, req, reply }) => {
    const { username, password } = body.signIn;
    const { guard } = authState(ctx);
    if (ctx.config.captcha) await captchas(ctx).check('signIn', body.captchaToken, body.captcha);
    const block = await guard.blocked(username, req.ip);
    if (block) {
      void reply.header('Retry-After', String(block.retryAfterS));
      throw new ApiError('EClientRateLimit', `Too many failed sign-ins for this ${block.by}: retry in ${block.retryAfterS} s`, { field: 'signIn', retryAfterS: block.retryAfterS });
    }
    const [user] = await ctx.store.entity('users').list({ username }, { limit: 1 });
    const passwordOk = await checkPassword(password, user);
    if (!user || !passwordOk) {
      await guard.failed(username, req.ip);
      throw new ApiError('EUserPassword', undefined, { field: 'signIn.password' });
    }
    await guard.succeeded(username);
    if (user.isDisabled) throw new ApiError('EUserDisabled');
    return { xAuthToken: ctx.tokens.issue(user.id), userId: user.id, username: user.username };
  },
  signOut: async (_input, { ctx, caller }) => {
    if (caller?.claims) await authState(ctx).marks.revoke(caller.claims);
    return null;
  },
  profile: async (_input, { ctx, caller }) => {
    // Read again, not the user authentication reuses for a moment (server/auth.ts USER_CACHE_MS):
    // what an administrator just changed (a name, an email) is what the profile shows.
    const u = await ctx.store.entity('users').get(caller!.user.id);
    if (!u) throw new ApiError('EUserAuth', 'The user of this token or access key does not exist any more');
    return { id: u.id, username: u.username, name: u.name, email: u.email ?? null, mobile: u.mobile ?? null, roles: u.roles };
  },
};
