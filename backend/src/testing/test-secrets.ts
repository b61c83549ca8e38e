/**
 * Every secret the tests give Func, in one list, so `scripts/check-no-secrets.mjs` can grep the
 * logs of a full test run (`test-results/logs/`) for them.
 *
 * - Constants: the helpers' own (test-stack, processes, e2e global setup) and those of the tests
 *   that start a process that logs.
 * - Secrets made at run time: `testSecret()` gives `s3cr3t-<hex>`; the check fails on any match
 *   of TEST_SECRET_PATTERN, whoever made it.
 * - Secrets the server makes (access-key secrets): the helpers that receive one pass it to
 *   `rememberSecret()`, which appends it to RUNTIME_SECRETS_FILE (the one file the check skips).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Where the test run's logs go (the combined npm test output, the stacks' and roles' logs). */
export const TEST_LOG_DIR = process.env.FUNC_TEST_LOG_DIR ?? join(ROOT, 'test-results', 'logs');
/** Secrets known only at run time, one a line; the check reads it and never scans it. */
export const RUNTIME_SECRETS_FILE = join(TEST_LOG_DIR, 'runtime-secrets.txt');

/** admin's password in every in-process test stack (test-stack.ts). */
export const ADMIN_PASSWORD = 'admin-password-for-tests';
/** The production roles of processes.ts. */
export const ROLES_SECRET = 'a-shared-secret-for-all-test-roles';
export const ROLES_ADMIN_PASSWORD = 'production-test-password';
/** The e2e stack (e2e/support/global-setup.ts). */
export const E2E_ADMIN_PASSWORD = 'e2e-admin-password';
export const E2E_SECRET = 'e2e-secret-e2e-secret-e2e-secret';

/** Literals of single tests whose processes write logs the check reads. */
const OTHER_TEST_SECRETS = [
  'kill9-password', // kill9-restart.test.ts
  'packaged-install-password', // packaged-install.test.ts
  'fuzz-admin-password', // fuzz-write-routes.test.ts
  'fuzz-user-password',
  'parent-secret-value-0123456789', // runner-isolation.test.ts
  'parent-admin-password',
  'desktop-e2e-password', // e2e/electron/desktop.spec.ts
  'desktop-test-password', // electron/stack/stack-process.test.ts
  'desktop-test-secret-desktop-test',
  'build-test-password', // electron/build.test.ts
  'build-test-secret-build-test-secret',
  'viewer-password', // e2e/specs/13-roles.spec.ts
  'desktop-e2e-secret-desktop-e2e-secret', // e2e/electron/desktop.spec.ts
];

export const TEST_SECRETS: readonly string[] = [ADMIN_PASSWORD, ROLES_SECRET, ROLES_ADMIN_PASSWORD, E2E_ADMIN_PASSWORD, E2E_SECRET, ...OTHER_TEST_SECRETS];

/** Any secret made by testSecret(). */
export const TEST_SECRET_PATTERN = /s3cr3t-[0-9a-f]{12,}/;

/** A fresh secret in the recognisable form the check scans for. */
export function testSecret(): string {
  return `s3cr3t-${randomBytes(8).toString('hex')}`;
}

/** Records a secret the server made (an access key's), so the check greps the logs for it too. */
export function rememberSecret(value: string): void {
  mkdirSync(dirname(RUNTIME_SECRETS_FILE), { recursive: true });
  appendFileSync(RUNTIME_SECRETS_FILE, `${value}\n`, { mode: 0o600 });
}
