/**
 * HTTP connectors: a base URL with headers (and basic auth) sent with every request;
 * `request(method, path, {query, body, headers})` answers `{status, headers, body}` (JSON bodies parsed).
 */
import type { ConnectorClient, ConnectorDriver } from '../../domain/ports/connectors.js';
import type { JsonObject } from '../../domain/ports/store.js';
import { connectorClient, str, toJson } from './driver-kit.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** At most this much of a body is read (a connector is no download channel). */
const MAX_BODY = 10 * 1024 * 1024;

export const httpDriver: ConnectorDriver = {
  type: 'http',
  create(config, t): ConnectorClient {
    const base = str(config, 'url') ?? '';
    const fixed = (config['headers'] ?? {}) as Record<string, string>;
    const user = str(config, 'user');
    const auth: Record<string, string> = user !== undefined ? { authorization: `Basic ${Buffer.from(`${user}:${str(config, 'password') ?? ''}`).toString('base64')}` } : {};
    const request = async (method: unknown, path: unknown, opts: JsonObject): Promise<{ status: number; headers: Record<string, string>; body: unknown }> => {
      const m = (typeof method === 'string' ? method : 'GET').toUpperCase();
      if (!METHODS.has(m)) throw new Error(`HTTP method ${m} is not one of ${[...METHODS].join(', ')}`);
      const url = new URL(typeof path === 'string' && path !== '' ? path.replace(/^\//, '') : '', base.endsWith('/') ? base : `${base}/`);
      if (url.origin !== new URL(base).origin) throw new Error("the path must stay on the connector's server");
      const query = opts['query'];
      if (query && typeof query === 'object') for (const [k, v] of Object.entries(query)) url.searchParams.append(k, String(v));
      const extra = opts['headers'] && typeof opts['headers'] === 'object' ? (opts['headers'] as Record<string, unknown>) : {};
      const headers: Record<string, string> = { ...auth, ...fixed, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])) };
      let body: string | undefined;
      if (opts['body'] !== undefined && opts['body'] !== null) {
        if (typeof opts['body'] === 'string') body = opts['body'];
        else {
          body = JSON.stringify(opts['body']);
          if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
        }
      }
      const res = await fetch(url, { method: m, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual', signal: AbortSignal.timeout(t.commandMs) });
      const buf = Buffer.from(await res.arrayBuffer());
      if (buf.length > MAX_BODY) throw new Error(`the response body is larger than ${MAX_BODY} bytes`);
      const text = buf.toString('utf8');
      const ct = res.headers.get('content-type') ?? '';
      let parsed: unknown = text;
      if (ct.includes('json') && text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      const answered: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        answered[name] = value;
      });
      return { status: res.status, headers: answered, body: parsed };
    };
    const check = async (): Promise<void> => {
      const r = await request('GET', '', {});
      if (r.status === 401 || r.status === 403 || r.status >= 500) throw new Error(`the server answered HTTP ${r.status}`);
    };
    return connectorClient('http', {
      check,
      commands: {
        request: async (args, kwargs) => toJson(await request(args[0], args[1], { ...((args[2] ?? {}) as JsonObject), ...kwargs })),
      },
    });
  },
};
