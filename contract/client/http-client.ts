/** The HTTP transport: one function per operation of the table, typed from its schemas. */
import { operations, type OperationId } from '../index.js';
import type { Operation } from '../operation.js';
import { buildUrl } from './build-url.js';
import { decodeResponse } from './decode-response.js';
import type { EventSourceFactory, EventSourceLike, FetchLike } from './transport.js';
import type { CallOptionsLike, FuncApi } from './types.js';
import type { TopologyStatus } from '../operations/topology.js';

export interface HttpClientOptions {
  /** e.g. `http://127.0.0.1:8088` or `''` for the same origin. */
  baseUrl: string;
  fetch: FetchLike;
  /** The sign-in token sent as X-Dff-Auth-Token, read at each call. */
  getToken?: () => string | null;
  eventSource?: EventSourceFactory;
}

interface RawInput {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface TopologySubscription {
  close(): void;
}

export type HttpFuncApi = FuncApi & {
  /** `events`, decoded: calls `onTopology` with each `topology` event. */
  subscribeTopology(onTopology: (t: TopologyStatus) => void, onError?: () => void): TopologySubscription;
};

function caller(opts: HttpClientOptions, op: Operation) {
  return async (input: RawInput = {}, options: CallOptionsLike = {}): Promise<unknown> => {
    const method = op.methods.includes('POST') && (input.body !== undefined || !op.methods.includes('GET')) ? 'POST' : 'GET';
    const url = buildUrl(opts.baseUrl, op.paths[0] ?? '/', input.params, input.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = opts.getToken?.();
    if (token) headers['x-dff-auth-token'] = token;
    let body: string | undefined;
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input.body ?? {});
    }
    const res = await opts.fetch(url, { method, headers, ...(body === undefined ? {} : { body }), ...(options.signal === undefined ? {} : { signal: options.signal }) });
    return decodeResponse(res.status, await res.text());
  };
}

export function createHttpClient(opts: HttpClientOptions): HttpFuncApi {
  const api: Record<string, unknown> = {};
  for (const id of Object.keys(operations) as OperationId[]) api[id] = caller(opts, operations[id]);
  api.subscribeTopology = (onTopology: (t: TopologyStatus) => void, onError?: () => void): TopologySubscription => {
    if (!opts.eventSource) throw new Error('no EventSource given to the client');
    const token = opts.getToken?.() ?? '';
    const source: EventSourceLike = opts.eventSource(buildUrl(opts.baseUrl, operations.events.paths[0] ?? '/api/v1/events', {}, { xDFFAuthToken: token }));
    source.addEventListener('topology', (e) => {
      if (typeof e.data === 'string') onTopology(JSON.parse(e.data) as TopologyStatus);
    });
    source.addEventListener('error', () => onError?.());
    return { close: () => source.close() };
  };
  return api as HttpFuncApi;
}
