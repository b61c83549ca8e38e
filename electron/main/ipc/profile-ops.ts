/**
 * Routes `func:op` by connection profile: the local profile (or none) goes to the embedded stack
 * as before; a remote profile is called from the main process with its access key, decrypted here
 * and only here, every request signed (HMAC-SHA1 with node:crypto). Nothing of the secret is
 * returned: the renderer gets the operation's data or an ApiError.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createHttpClient, type FetchLike } from '../../../contract/client/index.js';
import { ApiError } from '../../../contract/errors.js';
import type { PublicProfile } from '../profiles/profile-schema.js';
import { createOpHandler } from './op-handler.js';

export type OpRouter = (id: unknown, input: unknown, profileId?: unknown) => Promise<unknown>;

export interface ProfileOpsDeps {
  profiles: { list(): PublicProfile[]; secretOf(id: string): string | undefined };
  /** The embedded stack's handler (today's `func:op`). */
  local: (id: unknown, input: unknown) => Promise<unknown>;
  /** Real fetch in the app; must not follow redirects (the signed headers would go along). */
  fetch: FetchLike;
}

export function nodeHmacSha1Hex(secret: string, text: string): Promise<string> {
  return Promise.resolve(createHmac('sha1', secret).update(text, 'utf8').digest('hex'));
}

/** Network failures become an ApiError naming the stack, never the request (it carries the signature). */
function guardedFetch(fetch: FetchLike, origin: string): FetchLike {
  return async (url, init) => {
    try {
      return await fetch(url, init);
    } catch {
      throw new ApiError('ESys', `Cannot reach ${origin}: check the URL and that the stack is running.`, { url: origin });
    }
  };
}

export function createProfileOpRouter(deps: ProfileOpsDeps): OpRouter {
  return async (id, input, profileId) => {
    if (profileId === undefined || profileId === null || profileId === 'local') return deps.local(id, input);
    if (typeof profileId !== 'string') throw new ApiError('EClientBadRequest', 'profileId: must be a string', { field: 'profileId' });
    const profile = deps.profiles.list().find((p) => p.id === profileId);
    if (!profile) throw new ApiError('EClientNotFound', `no profile ${profileId}`, { field: 'profileId' });
    if (profile.kind === 'local') return deps.local(id, input);
    if (profile.kind === 'docker')
      throw new ApiError('EBizCondition', `profile ${profileId} is a Docker endpoint: operations go to a local or remote stack`, { field: 'profileId' });
    const secret = deps.profiles.secretOf(profile.id);
    if (secret === undefined) throw new ApiError('EBizCondition', `profile ${profileId} has no access key secret: add it again`, { field: 'profileId' });
    const client = createHttpClient({
      baseUrl: profile.url,
      fetch: guardedFetch(deps.fetch, profile.url),
      accessKey: { id: profile.accessKeyId, secret, hmacSha1Hex: nodeHmacSha1Hex, randomBytes: (n) => new Uint8Array(randomBytes(n)) },
    });
    // A remote stack is signed per request: no sign-in token is kept for it.
    return createOpHandler(client, { token: null })(id, input);
  };
}
