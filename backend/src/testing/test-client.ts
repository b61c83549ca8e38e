/**
 * The one HTTP client of the tests (the in-process stack of test-stack.ts, the spawned roles of
 * processes.ts, the e2e stack of e2e/support/stack.ts):
 *
 * - `testClient`: the contract's typed client (contract/client, one method per operation, typed
 *   input and output, failures thrown as ApiError), signed in with a token or an access key. Tests
 *   arrange and read data with it.
 * - `rawApi`: the one escape hatch, method + path + body + headers in, status + parsed body + text
 *   + headers out, nothing checked. Only for tests about the raw HTTP behaviour: malformed input,
 *   routes probed by path (authorization matrix and probes, fuzz, edge cases), headers, answers
 *   that are not an envelope.
 * - `publishScript`: a script set and script with this code, published, through the typed client.
 * - `taskSucceeded`: a task's record once it succeeded, polled through the typed client.
 * - `topologyServices`: what a test waits for among the topology's services, likewise.
 *
 * Both go through a `TestTransport`: real HTTP (`httpTransport`) or Fastify's inject
 * (`injectTransport`). Every answer carrying a server-made `secret` (an access key's) is passed to
 * `rememberSecret`, so the secrets check greps the logs for it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createHttpClient, type HttpFuncApi, type OutputOf } from '../../../contract/client/index.js';
import { eventually } from './eventually.js';
import { rememberSecret } from './test-secrets.js';

export interface TestRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/scripts/do/list?id=a`. */
  path: string;
  headers: Record<string, string>;
  /** JSON text, or the bytes of a multipart/form-data body (uploads). */
  body?: string | Uint8Array;
}

export interface TestResponse {
  status: number;
  text: string;
  headers: Record<string, string | string[] | number | undefined>;
}

export type TestTransport = (req: TestRequest) => Promise<TestResponse>;

/** Real HTTP to `base()` (read at each call: a test may restart its server on another port). */
export function httpTransport(base: () => string): TestTransport {
  return async ({ method, path, headers, body }) => {
    const res = await fetch(`${base()}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    return { status: res.status, text: await res.text(), headers: Object.fromEntries(res.headers.entries()) };
  };
}

/** What `injectTransport` needs of a Fastify app. */
export interface Injectable {
  inject(opts: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; payload?: string | Buffer }): Promise<{
    statusCode: number;
    body: string;
    headers: Record<string, string | string[] | number | undefined>;
  }>;
}

/** Requests into the app in process (no socket). */
export function injectTransport(app: Injectable): TestTransport {
  return async ({ method, path, headers, body }) => {
    const res = await app.inject({
      method: method as 'GET' | 'POST',
      url: path,
      headers,
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : Buffer.from(body) }),
    });
    return { status: res.statusCode, text: res.body, headers: res.headers };
  };
}

export interface TestClientOptions {
  transport: TestTransport;
  /** Sent as X-Dff-Auth-Token, read at each call; empty: none. */
  token?: () => string | null | undefined;
  /** Sign each request with this access key instead (typed client only). */
  accessKey?: { id: string; secret: string };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Records the secret of an answer that carries one (an added access key's). */
function noteSecret(body: unknown): void {
  const data = isRecord(body) ? body.data : undefined;
  if (isRecord(data) && typeof data.secret === 'string' && data.secret !== '') rememberSecret(data.secret);
}

export type TestClient = HttpFuncApi;

/** The contract's typed client over `transport`: one method per operation; a failure throws its ApiError. */
export function testClient(opts: TestClientOptions): TestClient {
  const key = opts.accessKey;
  return createHttpClient({
    baseUrl: '',
    getToken: () => opts.token?.() ?? null,
    ...(key
      ? {
          accessKey: {
            id: key.id,
            secret: key.secret,
            hmacSha1Hex: (secret: string, text: string) => Promise.resolve(createHmac('sha1', secret).update(text, 'utf8').digest('hex')),
            randomBytes: (n: number) => new Uint8Array(randomBytes(n)),
          },
        }
      : {}),
    fetch: async (url, init) => {
      const res = await opts.transport({ method: init.method, path: url, headers: init.headers, ...(init.body === undefined ? {} : { body: init.body }) });
      noteSecret(parse(res.text));
      return { status: res.status, text: () => Promise.resolve(res.text) };
    },
  });
}

export interface RawAnswer {
  status: number;
  /** The parsed JSON answer (`{}` when it is not JSON): the envelope of the API routes. */
  body: Record<string, unknown> & { ok?: boolean; data?: unknown; reason?: string; message?: string; detail?: Record<string, unknown> };
  /** `body.data`: what the envelope carries. */
  data: unknown;
  text: string;
  headers: Record<string, string | string[] | number | undefined>;
}

/**
 * Sends exactly this request. A string body goes as it is (no content type unless `headers` say
 * one); any other body as JSON. The client's token is sent unless `headers` carry their own
 * `x-dff-auth-token` (`ANONYMOUS`: none).
 */
export type RawApi = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<RawAnswer>;

/** Headers for a raw call sent without the client's token. */
export const ANONYMOUS: Readonly<Record<string, string>> = { 'x-dff-auth-token': '' };

/**
 * The escape hatch, for tests about raw HTTP only: malformed bodies, routes probed by path
 * (authorization matrix, probes, fuzz), headers, answers that are not an envelope. Everything else
 * goes through `testClient`.
 */
export function rawApi(opts: Pick<TestClientOptions, 'transport' | 'token'>): RawApi {
  return async (method, path, body, headers = {}) => {
    const sent: Record<string, string> = {};
    const token = opts.token?.();
    if (token) sent['x-dff-auth-token'] = token;
    const own = Object.keys(headers).map((h) => h.toLowerCase());
    if (body !== undefined && typeof body !== 'string' && !own.includes('content-type')) sent['content-type'] = 'application/json';
    for (const [name, value] of Object.entries(headers)) {
      if (name.toLowerCase() === 'x-dff-auth-token') delete sent['x-dff-auth-token'];
      if (value !== '' || name.toLowerCase() !== 'x-dff-auth-token') sent[name] = value;
    }
    const res = await opts.transport({
      method,
      path,
      headers: sent,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const parsed = parse(res.text);
    noteSecret(parsed);
    const envelope = (parsed ?? {}) as RawAnswer['body'];
    return { status: res.status, body: envelope, data: isRecord(parsed) ? parsed.data : undefined, text: res.text, headers: res.headers };
  };
}

/**
 * Adds the script set and the script with `code` (replaces the draft of an existing one) and
 * publishes it; a refusal throws its ApiError (e.g. EScriptPublishFailed with the line).
 */
export async function publishScript(client: TestClient, scriptId: string, code: string): Promise<OutputOf<'publishScript'>> {
  const setId = scriptId.split('__')[0]!;
  if ((await client.listScriptSets({ query: { id: setId } })).length === 0) await client.addScriptSet({ body: { data: { id: setId } } });
  if ((await client.listScripts({ query: { id: scriptId } })).length === 0) await client.addScript({ body: { data: { id: scriptId, codeDraft: code } } });
  else await client.modifyScript({ params: { id: scriptId }, body: { data: { codeDraft: code } } });
  return client.publishScript({ params: { id: scriptId }, body: { data: { note: 'test' } } });
}

/** Polls the task's record until its status is success (any other keeps it polling until `timeoutMs`) and answers it. */
export function taskSucceeded(client: TestClient, id: string, timeoutMs = 10_000, what = `task ${id}`): Promise<OutputOf<'getTask'>> {
  return eventually(
    async () => {
      const task = await client.getTask({ params: { id } });
      return task.status === 'success' ? task : undefined;
    },
    timeoutMs,
    what,
  );
}

/** The task once it ended, however it ended (not `queued` or `running` any more). */
export function taskFinished(client: TestClient, id: string, timeoutMs = 30_000): Promise<OutputOf<'getTask'>> {
  return eventually(
    async () => {
      const task = await client.getTask({ params: { id } });
      return task.status !== 'queued' && task.status !== 'running' ? task : undefined;
    },
    timeoutMs,
    `task ${id} to finish`,
  );
}

/** What `pick` finds among the topology's services (their heartbeats), polled through the typed client until it finds something. */
export function topologyServices<T>(client: TestClient, pick: (services: OutputOf<'getTopology'>['services']) => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return eventually(async () => pick((await client.getTopology({})).services), timeoutMs, what);
}

/** The typed client and the raw hatch of a server over HTTP at `base()`, both sending `token()` (each read at each call). */
export function httpClients(base: () => string, token: () => string | null | undefined = () => null): { client: TestClient; api: RawApi } {
  const transport = httpTransport(base);
  return { client: testClient({ transport, token }), api: rawApi({ transport, token }) };
}
