/** A small JSON client for tests that talk to a real server over HTTP, plus script publishing. */

export interface HttpAnswer {
  status: number;
  data: unknown;
  text: string;
}

export type HttpApi = (method: string, path: string, body?: unknown, auth?: boolean) => Promise<HttpAnswer>;

/** `base()` and `token()` are read at each call (a test may restart its server or sign in again). */
export function httpApi(base: () => string, token: () => string): HttpApi {
  return async (method, path, body, auth = true) => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(auth && token() ? { 'x-dff-auth-token': token() } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let data: unknown;
    try {
      data = (JSON.parse(text) as { data?: unknown }).data;
    } catch {
      data = undefined;
    }
    return { status: res.status, data, text };
  };
}

/** Adds a script set and a script with `code`, publishes it; throws with the answer on failure. */
export async function publishOverHttp(api: HttpApi, scriptId: string, code: string): Promise<void> {
  const steps: [string, unknown][] = [
    ['/api/v1/script-sets/do/add', { data: { id: scriptId.split('__')[0] } }],
    ['/api/v1/scripts/do/add', { data: { id: scriptId, codeDraft: code } }],
    [`/api/v1/scripts/${scriptId}/do/publish`, { data: {} }],
  ];
  for (const [path, body] of steps) {
    const r = await api('POST', path, body);
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}: ${r.text}`);
  }
}
