/** The HTTP transport: one function per operation of the table, typed from its schemas. */
import { operations, type OperationId } from '../index.js';
import { ApiError } from '../errors.js';
import type { Operation } from '../operation.js';
import { buildUrl } from './build-url.js';
import { decodeResponse } from './decode-response.js';
import type { EventSourceFactory, EventSourceLike, FetchLike, FetchResponseLike } from './transport.js';
import type { CallOptionsLike, FuncApi, InputOf } from './types.js';
import type { TopologyStatus } from '../operations/topology.js';
import { pythonJsonDumps } from '../signing.js';
import { pathOf, signatureHeaders, signRequest, withSignatureQuery, type AccessKeyAuth } from './access-key.js';
import { encodeMultipart, filesOf, newBoundary } from './multipart.js';

export interface HttpClientOptions {
  /** e.g. `http://127.0.0.1:8088` or `''` for the same origin. */
  baseUrl: string;
  fetch: FetchLike;
  /** The sign-in token sent as X-Dff-Auth-Token, read at each call. */
  getToken?: () => string | null;
  eventSource?: EventSourceFactory;
  /** Sign every request with this access key instead of sending a token. */
  accessKey?: AccessKeyAuth;
}

interface RawInput {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface TopologySubscription {
  close(): void;
}

/** What `streamTaskLogs` tells a subscriber. */
export interface TaskLogHandlers {
  /** A batch of lines (`[+Nms] text`), in order. */
  onLines(lines: string[]): void;
  /** The task ended (its record is stored): no more lines come. */
  onEnd(status: string): void;
  /** The stream failed (the EventSource retries by itself unless closed). */
  onError?: () => void;
}

export type HttpFuncApi = FuncApi & {
  /** `events`, decoded: calls `onTopology` with each `topology` event. */
  subscribeTopology(onTopology: (t: TopologyStatus) => void, onError?: () => void): TopologySubscription;
  /** `streamTaskLogs`, decoded: a running task's lines as they are written (`id`: a task id or a debug run's liveKey). */
  subscribeTaskLogs(id: string, handlers: TaskLogHandlers): TopologySubscription;
  /**
   * The URL of a raw GET operation (`downloadResource`) with its credentials in the query (the
   * token, or the access-key signature): for a link or a new tab, where no header can be set.
   */
  rawUrl<K extends RawGetId>(id: K, input: InputOf<K>): Promise<string>;
  /**
   * Calls a raw operation that answers a file (`exportScriptSets`: a POST, so no link can do it)
   * and answers its bytes, type and name; an error answer throws the ApiError as any call does.
   */
  download<K extends FileAnswerId>(id: K, input: InputOf<K>): Promise<DownloadedFile>;
};

/** The raw GET operations a browser opens by URL. */
export type RawGetId = 'downloadResource';

/** The raw operations whose answer is a file to save. */
export type FileAnswerId = 'exportScriptSets' | 'downloadResource';

export interface DownloadedFile {
  /** From Content-Disposition (`filename*` first); null when the server named none or the header is not readable (CORS). */
  filename: string | null;
  contentType: string;
  data: Uint8Array<ArrayBuffer>;
}

/** The file name of a Content-Disposition header: the RFC 5987 `filename*` (UTF-8) first, else `filename`. */
export function dispositionFilename(header: string | null | undefined): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // a broken encoding: fall back to the plain form
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(header);
  const name = (plain?.[1] ?? plain?.[2] ?? '').trim();
  return name === '' ? null : name;
}

/** Browsers percent-encode `'` in a query; encode it first so the URL signed is the URL sent. */
function signableUrl(url: string): string {
  return url.replace(/'/g, '%27');
}

function subscribe(opts: HttpClientOptions, onTopology: (t: TopologyStatus) => void, onError?: () => void): TopologySubscription {
  return subscribeTo(opts, operations.events.paths[0] ?? '/api/v1/events', onError, (source) => {
    source.addEventListener('topology', (e) => {
      if (typeof e.data === 'string') onTopology(JSON.parse(e.data) as TopologyStatus);
    });
    source.addEventListener('error', () => onError?.());
  });
}

function subscribeLogs(opts: HttpClientOptions, id: string, handlers: TaskLogHandlers): TopologySubscription {
  let sub: TopologySubscription | null = null;
  let ended = false;
  sub = subscribeTo(opts, (operations.streamTaskLogs.paths[0] ?? '').replace(':id', encodeURIComponent(id)), handlers.onError, (source) => {
    source.addEventListener('lines', (e) => {
      if (typeof e.data !== 'string') return;
      const d = JSON.parse(e.data) as { lines?: unknown };
      if (Array.isArray(d.lines)) handlers.onLines(d.lines.filter((l): l is string => typeof l === 'string'));
    });
    source.addEventListener('end', (e) => {
      ended = true;
      sub?.close(); // the server closes: do not let the EventSource reconnect
      const status = typeof e.data === 'string' ? (JSON.parse(e.data) as { status?: unknown }).status : undefined;
      handlers.onEnd(typeof status === 'string' ? status : '');
    });
    source.addEventListener('error', () => {
      if (!ended) handlers.onError?.();
    });
  });
  return sub;
}

/** An EventSource on `path`, authenticated in the query (EventSource sends no headers). */
function subscribeTo(opts: HttpClientOptions, path: string, onError: (() => void) | undefined, listen: (source: EventSourceLike) => void): TopologySubscription {
  const factory = opts.eventSource;
  if (!factory) throw new Error('no EventSource given to the client');
  let source: EventSourceLike | null = null;
  let closed = false;
  const open = (url: string): void => {
    if (closed) return;
    source = factory(url);
    listen(source);
  };
  const auth = opts.accessKey;
  if (auth) {
    // EventSource sends no headers: the signature goes in the query (GET only, see docs/decisions.md).
    const url = buildUrl(opts.baseUrl, path);
    signRequest(auth, 'GET', pathOf(url), '{}').then(
      (s) => open(withSignatureQuery(url, s)),
      () => onError?.(),
    );
  } else {
    open(buildUrl(opts.baseUrl, path, {}, { xDFFAuthToken: opts.getToken?.() ?? '' }));
  }
  return {
    close: () => {
      closed = true;
      source?.close();
    },
  };
}

async function rawUrlOf(opts: HttpClientOptions, op: Operation, input: RawInput): Promise<string> {
  const path = op.paths[0] ?? '/';
  if (opts.accessKey) {
    const url = signableUrl(buildUrl(opts.baseUrl, path, input.params, input.query));
    return withSignatureQuery(url, await signRequest(opts.accessKey, 'GET', pathOf(url), '{}'));
  }
  return signableUrl(buildUrl(opts.baseUrl, path, input.params, { ...input.query, xDFFAuthToken: opts.getToken?.() ?? '' }));
}

/** Sends one call of `op`: GET with its query, POST with a JSON body, or multipart/form-data when the body has files. */
async function send(opts: HttpClientOptions, op: Operation, input: RawInput, options: CallOptionsLike): Promise<FetchResponseLike> {
  const method = op.methods.includes('POST') && (input.body !== undefined || !op.methods.includes('GET')) ? 'POST' : 'GET';
  const url = signableUrl(buildUrl(opts.baseUrl, op.paths[0] ?? '/', input.params, input.query));
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = opts.accessKey ? null : opts.getToken?.();
  if (token) headers['x-dff-auth-token'] = token;
  let body: string | Uint8Array | undefined;
  const files = method === 'POST' ? filesOf(input.body) : null;
  if (files) {
    // Files go as multipart/form-data (the server's upload parser); the other fields as text parts.
    if (opts.accessKey) throw new ApiError('EClientUnsupported', 'Uploading files with an access key is not supported: sign in with a password on this stack');
    const boundary = newBoundary();
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
    body = encodeMultipart(input.body as Record<string, unknown>, files, boundary);
  } else if (method === 'POST') {
    headers['content-type'] = 'application/json';
    // Signed bodies are sent as the server re-serialises them, so the md5 covers the bytes sent.
    body = opts.accessKey ? pythonJsonDumps(input.body ?? {}) : JSON.stringify(input.body ?? {});
  }
  if (opts.accessKey) Object.assign(headers, signatureHeaders(await signRequest(opts.accessKey, method, pathOf(url), typeof body === 'string' ? body : '{}')));
  return opts.fetch(url, { method, headers, ...(body === undefined ? {} : { body }), ...(options.signal === undefined ? {} : { signal: options.signal }) });
}

function caller(opts: HttpClientOptions, op: Operation) {
  return async (input: RawInput = {}, options: CallOptionsLike = {}): Promise<unknown> => {
    const res = await send(opts, op, input, options);
    return decodeResponse(res.status, await res.text());
  };
}

async function downloadOf(opts: HttpClientOptions, op: Operation, input: RawInput): Promise<DownloadedFile> {
  const res = await send(opts, op, input, {});
  const contentType = res.headers?.get('content-type') ?? '';
  if (res.status >= 400 || /json/i.test(contentType) || !res.arrayBuffer) {
    // An error (or a fetch that cannot give bytes): the envelope's ApiError, as any call.
    const decoded = decodeResponse(res.status, await res.text());
    throw new ApiError('EClientBadRequest', `${op.id} answered no file`, { answer: typeof decoded === 'string' ? decoded.slice(0, 200) : decoded });
  }
  return { filename: dispositionFilename(res.headers?.get('content-disposition')), contentType, data: new Uint8Array(await res.arrayBuffer()) };
}

export function createHttpClient(opts: HttpClientOptions): HttpFuncApi {
  const api: Record<string, unknown> = {};
  for (const id of Object.keys(operations) as OperationId[]) api[id] = caller(opts, operations[id]);
  api.subscribeTopology = (onTopology: (t: TopologyStatus) => void, onError?: () => void): TopologySubscription => subscribe(opts, onTopology, onError);
  api.subscribeTaskLogs = (id: string, handlers: TaskLogHandlers): TopologySubscription => subscribeLogs(opts, id, handlers);
  api.rawUrl = (id: RawGetId, input: RawInput): Promise<string> => rawUrlOf(opts, operations[id], input);
  api.download = (id: FileAnswerId, input: RawInput): Promise<DownloadedFile> => downloadOf(opts, operations[id], input);
  return api as HttpFuncApi;
}
