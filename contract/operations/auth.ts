/** Sign-in. */
import { z } from 'zod';
import { operation } from '../operation.js';

/** DataFlux Func's captcha fields, accepted beside sign-in and change-password (checked only when FUNC_CAPTCHA is on). */
export const captchaFields = {
  captchaToken: z.string().max(128).optional(),
  captcha: z.string().max(16).optional(),
};

export const signIn = operation('signIn', 'POST /api/v1/auth/do/sign-in', 'none', {
  summary: 'Sign in; answers the token for X-Dff-Auth-Token',
  body: z.object({ ...captchaFields, signIn: z.object({ username: z.string().min(1), password: z.string().min(1) }).loose() }).loose(),
  output: z.object({ xAuthToken: z.string(), userId: z.string(), username: z.string() }),
});

export const signOut = operation('signOut', 'GET|POST /api/v1/auth/do/sign-out', 'signedIn', {
  summary: 'Invalidate the current token',
  output: z.null(),
});

export const profile = operation('profile', 'GET /api/v1/auth/profile/do/get', 'signedIn', {
  summary: 'Who I am',
  output: z.object({
    id: z.string(),
    username: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable().optional(),
    mobile: z.string().nullable().optional(),
    roles: z.array(z.string()),
  }),
});
