/** Errors turned into the text the console shows: the one place, so every page says the same. */
import { ApiError } from '@contract/errors';

/**
 * A fetch that never got an answer: the browsers' own words ("Failed to fetch" in Chromium,
 * "NetworkError when attempting to fetch resource." in Firefox, "Load failed" in Safari) say
 * nothing about what failed.
 */
export function isNetworkFailure(err: unknown): boolean {
  return err instanceof TypeError && /failed to fetch|networkerror|load failed|fetch failed|network request failed/i.test(err.message);
}

/** `stackUrl`: where this console's own stack is (its origin), named when it cannot be reached. */
export function errorMessage(err: unknown, stackUrl: string | undefined = globalThis.location?.origin): string {
  if (err instanceof ApiError && err.status === 401 && /^(X-Dff-Ak|xDffAk)/.test(typeof err.detail.field === 'string' ? err.detail.field : '')) {
    return `The stack refused the access key (401): ${err.message}`;
  }
  if (isNetworkFailure(err)) return `The stack cannot be reached${stackUrl ? ` at ${stackUrl}` : ''}: check that it is running and that this computer can reach it.`;
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
