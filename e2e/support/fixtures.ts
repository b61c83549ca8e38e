/** `test` signed in as admin (the token from global-setup in localStorage), plus data helpers. */
import { test as base } from '@playwright/test';
import { api, signedInStorage, stack } from './stack.js';

export const test = base.extend({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures destructure their dependencies; this one has none.
  storageState: async ({}, use) => {
    await use({ cookies: [], origins: [{ origin: stack().url, localStorage: signedInStorage() }] });
  },
});

export { expect } from '@playwright/test';

export const GREETER = `@DFF.API('Greet')
def greet(name='world'):
    print(f'greeting {name}')
    return {'message': f'Hello, {name}!'}
`;

/** A published script `e2eapi__hello` with `greet(name)`; idempotent. */
export async function ensureGreeter(): Promise<string> {
  const sets = await api<{ id: string }[]>('GET', '/api/v1/script-sets/do/list?id=e2eapi');
  if (sets.length === 0) {
    await api('POST', '/api/v1/script-sets/do/add', { data: { id: 'e2eapi' } });
    await api('POST', '/api/v1/scripts/do/add', { data: { id: 'e2eapi__hello', codeDraft: GREETER } });
    await api('POST', '/api/v1/scripts/e2eapi__hello/do/publish', { data: { note: 'e2e' } });
  }
  return 'e2eapi__hello.greet';
}
