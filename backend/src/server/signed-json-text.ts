/**
 * The JSON text of an access-key-signed request, kept beside the request (not on it: its shape
 * stays the same for every other request) until the signature is checked. A body whose numbers a
 * parsed value cannot write back as the client signed them (`1.0`, `1e+20`) is checked against it.
 */
import type { FastifyRequest } from 'fastify';

const texts = new WeakMap<FastifyRequest, string>();

/** Kept only when the request carries an access-key signature in its headers. */
export function keepSignedJsonText(req: FastifyRequest, text: string): void {
  if (req.headers['x-dff-ak-id'] !== undefined) texts.set(req, text);
}

export function signedJsonTextOf(req: FastifyRequest): string | undefined {
  return texts.get(req);
}
