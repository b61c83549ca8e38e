/** First start: the admin user, and an example script set to try the platform with. */
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../domain/auth/password.js';
import { md5Hex } from '../domain/ids.js';
import type { FuncRunnerPool } from '../domain/ports/runner.js';
import type { Store } from '../domain/ports/store.js';
import { publishScript } from '../domain/scripts/publish-script.js';

/** Creates user `admin` when there is no user yet; answers the password when it was generated. */
export async function ensureAdmin(store: Store, password: string | undefined, now: number): Promise<{ created: boolean; generatedPassword?: string }> {
  const users = store.entity('users');
  if ((await users.list({}, { limit: 1 })).length > 0) return { created: false };
  const generated = password === undefined ? randomBytes(12).toString('base64url') : undefined;
  await users.insert({
    id: 'u-admin',
    username: 'admin',
    name: 'Administrator',
    passwordHash: await hashPassword(password ?? generated!),
    roles: ['admin'],
    isDisabled: false,
    createTime: now,
    updateTime: now,
  });
  return generated === undefined ? { created: true } : { created: true, generatedPassword: generated };
}

/**
 * Runs the rest of a start after `ensureAdmin`: when it fails (a port in use, no Python), an admin
 * this start created with a generated password is removed again — that password was never shown —
 * so the next start creates the admin anew and shows its password (or takes FUNC_ADMIN_PASSWORD).
 */
export async function unlessStarted<T>(store: Store, admin: { generatedPassword?: string }, rest: () => Promise<T>): Promise<T> {
  try {
    return await rest();
  } catch (err) {
    if (admin.generatedPassword !== undefined)
      await store
        .entity('users')
        .delete('u-admin')
        .catch(() => false);
    throw err;
  }
}

export const EXAMPLE_SCRIPT_ID = 'demo__basics';

export const EXAMPLE_SCRIPT = `# Example functions: call them from the console or with curl (see README.md).
import time

@DFF.API('Hello', category='demo', tags=['example'])
def hello(name='world'):
    '''Greets someone.'''
    return {'message': f'Hello, {name}!'}

@DFF.API('Add two numbers', category='demo')
def add(a, b=1):
    '''Returns a + b.'''
    return a + b

@DFF.API('Sleep for a while', category='demo', timeout=30)
def slow(seconds=2):
    '''Sleeps, then says how long.'''
    time.sleep(seconds)
    return {'slept': seconds}

@DFF.API('Print some lines', category='demo')
def chatty(lines=3):
    '''Prints, and logs with DFF.LOG; the output is kept in the task record.'''
    for i in range(lines):
        print(f'line {i + 1} of {lines}')
    DFF.LOG('done printing')
    return lines

@DFF.API('Always fails', category='demo')
def broken(x=1):
    '''Raises, to show a traceback with its line number.'''
    return x / 0
`;

/** Adds and publishes the example script set when the store has no script set at all. */
export async function seedExamples(store: Store, discoverer: Pick<FuncRunnerPool, 'discover'>, now: number): Promise<boolean> {
  if ((await store.entity('scriptSets').list({}, { limit: 1 })).length > 0) return false;
  await store
    .entity('scriptSets')
    .insert({ id: 'demo', title: 'Examples', description: 'Example functions added on first start', requirements: null, createTime: now, updateTime: now });
  const script = {
    id: EXAMPLE_SCRIPT_ID,
    scriptSetId: 'demo',
    title: 'Basics',
    description: null,
    code: null,
    codeMD5: null,
    codeDraft: EXAMPLE_SCRIPT,
    codeDraftMD5: md5Hex(EXAMPLE_SCRIPT),
    publishVersion: 0,
    createTime: now,
    updateTime: now,
  };
  await store.entity('scripts').insert(script);
  await publishScript(store, discoverer, script, 'Example functions', now);
  return true;
}
