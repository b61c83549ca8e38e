import { expect, test } from '../support/fixtures.js';
import { StackSwitcher } from '../pages/stack-switcher.js';

const SECRET = 'e2e-desk-SECRET-0123456789';

/**
 * A stand-in for the Electron preload (same shape as `window.funcDesktop`): the desktop's profiles
 * (secrets only as hasSecret, like main's ProfileStore), `ops` answering IPC envelopes, every call
 * recorded in `window.__desk.calls`. Page source as text: the e2e project has no DOM types.
 */
const FAKE_DESKTOP = `(() => {
  const desk = {
    calls: [],
    profiles: [
      { kind: 'local', id: 'local', name: 'This computer', active: false },
      { kind: 'remote', id: 'prod', name: 'Prod', url: 'https://func.example.com', accessKeyId: 'ak-prod', hasSecret: true, active: true },
      { kind: 'docker', id: 'dock', name: 'Docker here', endpoint: 'unix:///var/run/docker.sock', hasSecret: false, active: false },
    ],
  };
  window.__desk = desk;
  const copy = (v) => JSON.parse(JSON.stringify(v));
  window.funcDesktop = {
    version: 1,
    ops: new Proxy({}, { get: (_t, id) => async (input, profileId) => {
      desk.calls.push({ fn: 'op', id, profileId });
      if (id === 'profile') return { ok: true, data: { id: 'u1', username: 'remote-admin', name: null, roles: ['admin'] } };
      return { ok: false, error: { code: 'EClientNotFound', message: 'stand-in: ' + String(id), detail: {} } };
    } }),
    desktop: {
      listProfiles: async () => { desk.calls.push({ fn: 'listProfiles' }); return copy(desk.profiles); },
      saveProfile: async (p) => {
        desk.calls.push({ fn: 'saveProfile', arg: copy(p) });
        const pub = { kind: 'remote', id: p.id, name: p.name, url: p.url, accessKeyId: p.accessKeyId, hasSecret: !!p.accessKeySecret, active: false };
        desk.profiles.push(pub);
        return copy(pub);
      },
      removeProfile: async (id) => {
        desk.calls.push({ fn: 'removeProfile', arg: id });
        const wasActive = desk.profiles.some((p) => p.id === id && p.active);
        desk.profiles = desk.profiles.filter((p) => p.id !== id);
        if (wasActive) desk.profiles[0].active = true; // like main: back to the local profile
        return null;
      },
      activateProfile: async (id) => {
        desk.calls.push({ fn: 'activateProfile', arg: id });
        desk.profiles.forEach((p) => { p.active = p.id === id; });
        return copy(desk.profiles.find((p) => p.id === id));
      },
      saveFile: async () => ({ saved: false }),
      openFile: async () => null,
      openLogsFolder: async () => null,
    },
  };
})();`;

interface Call {
  fn: string;
  id?: string;
  profileId?: string;
  arg?: unknown;
}

test('in the desktop app: the switcher lists the desktop profiles, a remote profile is added through it, no secret in localStorage', async ({ page }) => {
  const outside: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('example.com')) outside.push(r.url());
  });
  await page.addInitScript({ content: FAKE_DESKTOP });
  const switcher = new StackSwitcher(page);
  await switcher.open('/overview');
  const calls = (): Promise<Call[]> => page.evaluate<Call[]>('window.__desk.calls');

  // The desktop's profiles, its active one selected, Docker listed but not selectable, the key shown by id only.
  const select = switcher.byTestId('stack-switcher');
  await expect(select.locator('option:checked')).toHaveText('Prod — https://func.example.com');
  await expect(select.locator('option')).toHaveText(['This computer', 'Prod — https://func.example.com', 'Docker here — unix:///var/run/docker.sock', '+ Add a remote stack…']);
  await expect(select.locator('option[value="dock"]')).toBeDisabled();
  await expect(switcher.byTestId('stack-key')).toContainText('ak-prod · ••••••••');
  // The console's calls go over the bridge, for the active profile.
  await expect.poll(async () => (await calls()).some((c) => c.fn === 'op' && c.profileId === 'prod')).toBe(true);

  await switcher.addRemote({ name: 'Staging', url: 'https://staging.example.com', keyId: 'ak-stg', secret: SECRET });
  await switcher.expectConnected('Staging');
  await expect(switcher.byTestId('stack-key')).toContainText('ak-stg · ••••••••');

  const all = await calls();
  const saves = all.filter((c) => c.fn === 'saveProfile');
  expect(saves).toEqual([
    { fn: 'saveProfile', arg: { kind: 'remote', id: 'staging', name: 'Staging', url: 'https://staging.example.com', accessKeyId: 'ak-stg', accessKeySecret: SECRET } },
  ]);
  // The secret crossed once (that save); the check and the calls after it name the profile only.
  expect(JSON.stringify(all.filter((c) => c.fn !== 'saveProfile'))).not.toContain(SECRET);
  expect(all.some((c) => c.fn === 'op' && c.id === 'profile' && c.profileId === 'staging')).toBe(true);
  expect(all.some((c) => c.fn === 'activateProfile' && c.arg === 'staging')).toBe(true);

  // Nothing of it kept by the console.
  const stored = await page.evaluate<string>('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })');
  expect(stored).not.toContain(SECRET);
  expect(stored).not.toContain('ak-stg');
  await expect(page.locator('input[type=password]')).toHaveCount(0);
  expect(outside).toEqual([]);

  // Forget: removed through the desktop surface, back to the local profile (not signed in here: the sign-in page).
  await switcher.byTestId('stack-forget').click();
  await expect.poll(async () => (await calls()).some((c) => c.fn === 'removeProfile' && c.arg === 'staging')).toBe(true);
  await expect(page).toHaveURL(/\/sign-in/);
  expect(await page.evaluate<string[]>('window.__desk.profiles.map((p) => p.id)')).toEqual(['local', 'prod', 'dock']);
});
