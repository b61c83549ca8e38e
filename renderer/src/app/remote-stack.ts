/**
 * Talking to a remote stack from the browser: HMAC-SHA1 with WebCrypto for access-key signatures,
 * and fetch failures turned into messages that say what to fix (unreachable, CORS, bad key).
 */
import { createHttpClient, type FetchLike, type HttpFuncApi } from '@contract/client/index';
import { ApiError } from '@contract/errors';
import type { StackProfile } from './profiles';

const keys = new Map<string, Promise<CryptoKey>>();

export async function webHmacSha1Hex(secret: string, text: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('Signing with an access key needs WebCrypto: open this console over https or on localhost.');
  const enc = new TextEncoder();
  let key = keys.get(secret);
  if (!key) {
    key = subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    keys.set(secret, key);
  }
  const sig = await subtle.sign('HMAC', await key, enc.encode(text));
  return Array.from(new Uint8Array(sig), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Why a fetch to `baseUrl` threw: a no-cors probe answers when the stack is up but refuses our origin. */
async function explainFailure(baseUrl: string): Promise<string> {
  try {
    await fetch(`${baseUrl.replace(/\/+$/, '')}/healthz`, { mode: 'no-cors', cache: 'no-store' });
    return `The remote stack does not allow this console's origin (${location.origin}): set FUNC_CORS_ORIGINS there.`;
  } catch {
    return `Cannot reach ${baseUrl}: check the URL and that the stack is running.`;
  }
}

export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

function browserFetch(baseUrl: string): FetchLike {
  return async (url, init) => {
    try {
      return await fetch(url, init as RequestInit);
    } catch (err) {
      if (!(err instanceof TypeError) || baseUrl === '') throw err;
      throw new ConnectionError(await explainFailure(baseUrl));
    }
  };
}

export function clientFor(profile: StackProfile): HttpFuncApi {
  return createHttpClient({
    baseUrl: profile.baseUrl,
    fetch: browserFetch(profile.baseUrl),
    getToken: () => profile.token,
    eventSource: (url) => new EventSource(url),
    ...(profile.accessKey ? { accessKey: { ...profile.accessKey, hmacSha1Hex: webHmacSha1Hex } } : {}),
  });
}

/** An access key the stack refused (401 on a signed request). */
export function isRefusedKey(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status === 401 && /^(X-Dff-Ak|xDffAk)/.test(typeof err.detail.field === 'string' ? err.detail.field : '');
}

/** Signs one request (who am I) to check URL, CORS and key before a profile is saved. */
export async function checkRemote(baseUrl: string, accessKey: { id: string; secret: string }): Promise<string> {
  const api = clientFor({ id: 'check', name: '', baseUrl, token: null, username: null, accessKey });
  return (await api.profile({})).username;
}
