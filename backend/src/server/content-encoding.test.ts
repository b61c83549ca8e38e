/**
 * The decoding stream alone, read the way Fastify's body reader reads it: the reader may stop
 * listening (its own body limit) while the stream still inflates, and the stream's later error
 * must then go nowhere rather than crash the process.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { decodedBody } from './content-encoding.js';

const uncaught: unknown[] = [];
const record = (err: unknown): void => {
  uncaught.push(err);
};

afterEach(() => {
  process.removeListener('uncaughtException', record);
  uncaught.length = 0;
});

function gzipped(bytes: number): { headers: Record<string, string>; payload: Readable } {
  const body = gzipSync(Buffer.alloc(bytes));
  return { headers: { 'content-encoding': 'gzip', 'content-length': String(body.length) }, payload: Readable.from([body]) };
}

describe('decodedBody', () => {
  it('fails the reader with 413 naming the body once the inflated bytes pass the limit', async () => {
    const { headers, payload } = gzipped(1024 * 1024);
    const out = decodedBody(headers, payload, 64 * 1024);
    const err = await new Promise<unknown>((resolve) => {
      out.on('error', resolve);
      out.resume();
    });
    expect(err).toMatchObject({ code: 'EClientPayloadTooLarge', detail: { field: 'body' } });
  });

  it('raises nothing once the reader has stopped listening (its own, smaller limit), and stops inflating', async () => {
    process.on('uncaughtException', record);
    const { headers, payload } = gzipped(8 * 1024 * 1024);
    const out = decodedBody(headers, payload, 256 * 1024);
    let read = 0;
    const onError = (): void => undefined;
    const onData = (chunk: Buffer): void => {
      read += chunk.length;
      if (read > 16 * 1024) {
        // Fastify's rawBody at its bodyLimit: it answers 413 itself and drops its listeners.
        out.removeListener('data', onData);
        out.removeListener('error', onError);
        out.resume();
      }
    };
    out.on('data', onData);
    out.on('error', onError);
    out.resume();
    // Without a listener of its own, the stream's error is thrown before 'close' is emitted.
    await new Promise<void>((resolve) => {
      out.on('close', resolve);
      setTimeout(resolve, 5_000);
    });
    expect(uncaught).toEqual([]);
    expect(out.destroyed).toBe(true);
  });
});
