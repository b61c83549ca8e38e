/**
 * Request bodies sent compressed (`Content-Encoding: gzip` or `deflate`), taken as DataFlux Func
 * takes them (Express body-parser inflates both; any other encoding is refused with 415).
 */
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { ApiError } from '../../../contract/errors.js';

const DECODERS: Record<string, () => Transform> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate };

/** Fastify compares this with Content-Length when a preParsing stream replaces the request's. */
type DecodedStream = PassThrough & { receivedEncodedLength?: number };

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/**
 * The body as the content parsers should read it: `payload` itself without an encoding, else
 * its decompressed bytes. Decompression stops past `maxDecodedBytes` (a few kilobytes of gzip
 * can inflate to gigabytes); Fastify's own body limits still apply to the decoded bytes.
 */
export function decodedBody(headers: Record<string, string | string[] | undefined>, payload: Readable, maxDecodedBytes: number): Readable {
  const header = headers['content-encoding'];
  const encoding = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim().toLowerCase();
  if (encoding === '' || encoding === 'identity' || !hasBody(headers)) return payload;
  const decoder = DECODERS[encoding]?.();
  if (decoder === undefined) throw new ApiError('EClientUnsupported', `Content-Encoding: "${encoding}" is not one of gzip, deflate, identity`, { field: 'Content-Encoding' });
  const out: DecodedStream = new PassThrough();
  // The reader may stop listening before this stream ends: Fastify answers 413 at its own body
  // limit and drops its listeners while the decoder still runs. An error raised after that has
  // no one to tell, and must not become an uncaught exception.
  out.on('error', () => undefined);
  let encoded = 0;
  let decoded = 0;
  const fail = (message: string, status: 'EClientBadRequest' | 'EClientPayloadTooLarge'): void => {
    payload.unpipe(decoder);
    decoder.removeAllListeners('data');
    decoder.destroy();
    out.destroy(new ApiError(status, message, { field: 'body' }));
  };
  payload.on('data', (chunk: Buffer) => {
    encoded += chunk.length;
    out.receivedEncodedLength = encoded;
  });
  payload.on('error', (err) => out.destroy(err));
  decoder.on('data', (chunk: Buffer) => {
    decoded += chunk.length;
    if (decoded > maxDecodedBytes) fail(`body: larger than ${maxDecodedBytes} bytes once decompressed (${encoding})`, 'EClientPayloadTooLarge');
    else if (!out.write(chunk)) decoder.pause();
  });
  out.on('drain', () => decoder.resume());
  decoder.on('end', () => out.end());
  decoder.on('error', (err: Error) => fail(`body: not valid ${encoding} data (${err.message})`, 'EClientBadRequest'));
  payload.pipe(decoder);
  return out;
}
