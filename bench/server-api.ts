/** A bench's calls to a `func server` process over HTTP: JSON POSTs, and the no-op script it times. */

/** The script bench__noop's code: one API that does nothing. */
export const NOOP_CODE = "@DFF.API('No-op')\ndef noop():\n    return None\n";
export const NOOP_FUNC_ID = 'bench__noop.noop';

/** POSTs JSON to the server at `base`; answers the body's `data`, throws on a non-2xx answer. */
export type ServerApi = (path: string, body: unknown, token?: string) => Promise<unknown>;

export function serverApi(base: string): ServerApi {
  return async (path, body, token) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-dff-auth-token': token } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return (JSON.parse(text) as { data?: unknown }).data;
  };
}

/** Signs in as admin and publishes the no-op script (script set bench); answers the admin's token. */
export async function publishNoop(api: ServerApi, adminPassword: string | undefined): Promise<string> {
  const token = ((await api('/api/v1/auth/do/sign-in', { signIn: { username: 'admin', password: adminPassword } })) as { xAuthToken: string }).xAuthToken;
  await api('/api/v1/script-sets/do/add', { data: { id: 'bench' } }, token);
  await publishScript(api, token, 'bench__noop', NOOP_CODE);
  return token;
}

/** Adds and publishes a script of the script set bench (made by publishNoop). */
export async function publishScript(api: ServerApi, token: string, id: string, code: string): Promise<void> {
  await api('/api/v1/scripts/do/add', { data: { id, codeDraft: code } }, token);
  await api(`/api/v1/scripts/${id}/do/publish`, { data: {} }, token);
}
