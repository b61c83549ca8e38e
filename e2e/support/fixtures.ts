/**
 * `test` signed in as admin (the token from global-setup in localStorage), plus data helpers.
 * Every test of `test` and of `anonymousTest` (not signed in) fails when a page of its browser
 * context reported a Content-Security-Policy violation (a `securitypolicyviolation` event or a
 * "Refused to …" console message) or threw an error nothing caught (`pageerror`: an exception or
 * an unhandled rejection), naming each: a feature that looks present but throws fails its test.
 */
import { test as base, type BrowserContext, type ConsoleMessage, type Page } from '@playwright/test';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { client, signedInStorage, stack } from './stack.js';

/** Registered in every page and frame before the console's scripts run (plain JS: e2e has no DOM types). */
const RECORD_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' in ' + (e.sourceFile || location.href) + ':' + e.lineNumber);
  });
`;

const CSP_CONSOLE = /Content Security Policy|Refused to (load|execute|apply|connect|create|frame|evaluate)/i;

/** Collects the violations and uncaught errors of every page of a context; `check()` throws naming them. */
async function watchPages(context: BrowserContext): Promise<() => Promise<void>> {
  const fromConsole: string[] = [];
  const uncaught: string[] = [];
  const listen = (msg: ConsoleMessage): void => {
    if (CSP_CONSOLE.test(msg.text())) fromConsole.push(msg.text());
  };
  const watch = (page: Page): void => {
    page.on('console', listen);
    page.on('pageerror', (err) => uncaught.push(`${page.url()}: ${err.stack ?? err.message}`));
  };
  await context.addInitScript({ content: RECORD_VIOLATIONS });
  for (const page of context.pages()) watch(page);
  context.on('page', watch);
  return async () => {
    if (uncaught.length > 0) throw new Error(`Uncaught errors in the console's pages:\n  ${uncaught.join('\n  ')}`);
    const fromEvents: string[] = [];
    for (const page of context.pages()) {
      if (page.isClosed()) continue;
      for (const frame of page.frames()) {
        const seen = (await frame.evaluate('window.__cspViolations || []').catch(() => [])) as string[];
        fromEvents.push(...seen);
      }
    }
    const all = [...new Set([...fromEvents, ...fromConsole])];
    if (all.length > 0) throw new Error(`Content-Security-Policy violations in the console:\n  ${all.join('\n  ')}`);
  };
}

/** A test without a signed-in profile (the sign-in page, other users), still failing on CSP violations and uncaught errors. */
export const anonymousTest = base.extend<{ pageCheck: undefined }>({
  pageCheck: [
    async ({ context }, use) => {
      const check = await watchPages(context);
      await use(undefined);
      await check();
    },
    { auto: true },
  ],
});

export const test = anonymousTest.extend({
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
  const api = client();
  if ((await api.listScriptSets({ query: { id: 'e2eapi' } })).length === 0) await publishScript(api, 'e2eapi__hello', GREETER);
  return 'e2eapi__hello.greet';
}
