/**
 * A function's own response (DFF.RESP, RESP_FILE, RESP_LARGE_DATA, REDIRECT) made fit for the
 * wire before any of it is sent: header names must be HTTP tokens and values Latin-1 without
 * control characters (the content type too), the status a final one (200–599; 300–399 for a redirect), the redirect URL
 * percent-encoded where it is not plain ASCII. Headers that frame the response (Content-Length,
 * Transfer-Encoding, Connection…) are the server's: a function's are dropped. What cannot be sent
 * is the function's error, 599 EFuncResultParsingFailed naming what was wrong, never a 500 or a
 * hung caller.
 */
import { ApiError } from '../../../contract/errors.js';
import type { FuncResponse } from '../domain/tasks/task.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', 'proxy-connection']);

const unsendable = (what: string): ApiError => new ApiError('EFuncResultParsingFailed', `The function's response cannot be sent: ${what}`, { problem: what });

/** The headers to send, or the error naming the first that cannot be. */
export function responseHeaders(resp: FuncResponse): [string, string][] | ApiError {
  const out: [string, string][] = [];
  // Values arrive from Python's JSON: a number is sent as its text.
  for (const [name, raw] of Object.entries(resp.headers ?? {}) as [string, unknown][]) {
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
    if (!TOKEN.test(name)) return unsendable(`header name ${JSON.stringify(name)} is not an HTTP token`);
    if (!HEADER_VALUE.test(value)) return unsendable(`header ${name}: its value holds a control character or a character beyond Latin-1 (encode it, e.g. percent-encoding)`);
    if (!FRAMING.has(name.toLowerCase())) out.push([name, value]);
  }
  return out;
}

/** The status to answer with, or the error saying why the function's cannot be. */
export function responseStatus(resp: FuncResponse): number | ApiError {
  const redirect = resp.kind === 'redirect';
  // A status given as digits in a string ('201') is taken, as Express takes it.
  const given: unknown = resp.statusCode;
  const status = typeof given === 'string' && /^\d{3}$/.test(given) ? Number(given) : (given ?? (redirect ? 302 : 200));
  const [low, high] = redirect ? [300, 399] : [200, 599];
  if (typeof status !== 'number' || !Number.isInteger(status) || status < low || status > high)
    return unsendable(`status_code ${JSON.stringify(resp.statusCode)} is not a${redirect ? ' redirect' : 'n HTTP'} status (${low}–${high})`);
  return status;
}

/** The Content-Type given (content_type), or the error saying why it cannot be one. */
export function responseContentType(resp: FuncResponse): string | undefined | ApiError {
  const given: unknown = resp.contentType;
  if (given === undefined || given === null) return undefined;
  if (typeof given !== 'string') return unsendable(`content_type ${JSON.stringify(given)} is not text (a MIME type such as 'text/html', or a short name such as 'html')`);
  if (given === '' || !HEADER_VALUE.test(given)) return unsendable(`content_type ${JSON.stringify(given)} is empty or holds a control character or a character beyond Latin-1`);
  return given;
}

/** The redirect target as a Location header may carry it. */
export function redirectLocation(url: string): string | ApiError {
  try {
    return url.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
  } catch {
    return unsendable('the redirect URL is not valid text');
  }
}
