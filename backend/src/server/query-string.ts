/**
 * Query strings, as DataFlux Func's Express reads them (its "extended" parser, the `qs` package):
 * flat ones as Fastify reads them (fast-querystring: a key given again is the list of its values),
 * bracket keys nested (`?kwargs[x]=1` is `{kwargs: {x: "1"}}`, server/bracket-fields.ts). The
 * bracket rules run only on a query that may have one: the common query pays for one scan. Both
 * decode alike (fast-querystring: an invalid escape such as `%E4%B8` stays as written). Only the
 * first MAX_PARAMETERS (1000) pairs are read, as qs reads them; the rest are left out.
 */
import { parse as parseFlat } from 'fast-querystring';
import type { ApiError } from '../../../contract/errors.js';
import { bracketFields, MAX_PARAMETERS, mayHaveBrackets, parameterLimitCut } from './bracket-fields.js';

/** A query string refused (a `__proto__` key, nested too deep): the router's parser cannot fail a request, the route does. */
const REFUSED = Symbol('queryRefused');

/** Fastify's `querystringParser`: the text after `?`. */
export function parseQueryString(text: string): Record<string, unknown> {
  if (text.length === 0) return {};
  const cut = text.length >= MAX_PARAMETERS ? parameterLimitCut(text) : -1; // a shorter text has fewer '&'
  const kept = cut === -1 ? text : text.slice(0, cut);
  const flat = parseFlat(kept) as Record<string, string | string[]>;
  if (!mayHaveBrackets(kept)) return flat;
  try {
    return bracketFields(flat, 'query');
  } catch (err) {
    // Read flat for what comes before the route's input (an auth token in the query); the route refuses it.
    Object.defineProperty(flat, REFUSED, { value: err, enumerable: false });
    return flat;
  }
}

/** Why the request's query string was refused, if it was (a 400 naming the key). */
export function refusedQuery(query: unknown): ApiError | undefined {
  return typeof query === 'object' && query !== null ? ((query as { [REFUSED]?: ApiError })[REFUSED] ?? undefined) : undefined;
}
