/**
 * Query strings, as DataFlux Func's Express reads them (its "extended" parser, the `qs` package):
 * flat ones as Fastify reads them (fast-querystring: a key given again is the list of its values),
 * bracket keys nested (`?kwargs[x]=1` is `{kwargs: {x: "1"}}`, server/bracket-fields.ts). The
 * bracket rules run only on a query that may have one: the common query pays for one scan.
 */
import { parse as parseFlat } from 'fast-querystring';
import type { ApiError } from '../../../contract/errors.js';
import { bracketFields, mayHaveBrackets } from './bracket-fields.js';

/** A query string refused (a `__proto__` key, nested too deep): the router's parser cannot fail a request, the route does. */
const REFUSED = Symbol('queryRefused');

/** Fastify's `querystringParser`: the text after `?`. */
export function parseQueryString(text: string): Record<string, unknown> {
  if (text.length === 0) return {};
  if (!mayHaveBrackets(text)) return parseFlat(text) as Record<string, unknown>;
  try {
    return bracketFields(new URLSearchParams(text), 'query');
  } catch (err) {
    // Read flat for what comes before the route's input (an auth token in the query); the route refuses it.
    const flat = parseFlat(text) as Record<string, unknown>;
    Object.defineProperty(flat, REFUSED, { value: err, enumerable: false });
    return flat;
  }
}

/** Why the request's query string was refused, if it was (a 400 naming the key). */
export function refusedQuery(query: unknown): ApiError | undefined {
  return typeof query === 'object' && query !== null ? ((query as { [REFUSED]?: ApiError })[REFUSED] ?? undefined) : undefined;
}
