/**
 * Why the sign-in page shows: the stack refused the token (expired, revoked, signed out elsewhere),
 * so the user is told their session ended instead of landing on the form with no word. Kept in
 * sessionStorage for the tab until the next sign-in.
 */
const KEY = 'func.sessionEnded';

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const tabStorage = (): StorageLike | undefined => globalThis.sessionStorage;

export function markSessionEnded(storage: StorageLike | undefined = tabStorage()): void {
  storage?.setItem(KEY, '1');
}

export function sessionEnded(storage: StorageLike | undefined = tabStorage()): boolean {
  return storage?.getItem(KEY) === '1';
}

export function clearSessionEnded(storage: StorageLike | undefined = tabStorage()): void {
  storage?.removeItem(KEY);
}

export const SESSION_ENDED_TEXT = 'Your session ended (the stack no longer accepts your sign-in): sign in again.';
