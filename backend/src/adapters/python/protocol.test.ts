/** The frame decoder: plain frames and frames with a raw body (BODY_FLAG), whole or split across chunks. */
import { describe, expect, it } from 'vitest';
import { BODY_FLAG, FrameDecoder, encodeFrame } from './protocol.js';

/** A frame as Python's send_with_body writes it. */
function bodyFrame(msg: object, body: string): Buffer {
  const json = Buffer.from(JSON.stringify(msg));
  const raw = Buffer.from(body);
  const head = Buffer.alloc(8);
  head.writeUInt32BE((4 + json.length + raw.length + BODY_FLAG) >>> 0, 0);
  head.writeUInt32BE(json.length, 4);
  return Buffer.concat([head, json, raw]);
}

describe('FrameDecoder', () => {
  it('gives a body frame its raw body as text, between plain frames, however the bytes are split', () => {
    const body = JSON.stringify([{ id: 1, s: 'é "quoted" \\ ünïcode' }]) + 'x'.repeat(20_000);
    const stream = Buffer.concat([
      encodeFrame({ c: 'log', id: 1, line: 'a' }),
      bodyFrame({ c: 'done', id: 1, o: { status: 'success', response: { kind: 'largeData', statusCode: 200 } } }, body),
      encodeFrame({ c: 'log', id: 2, line: 'b' }),
    ]);
    for (const size of [stream.length, 7, 1000, 65_536]) {
      const got: Record<string, unknown>[] = [];
      const d = new FrameDecoder((m) => got.push(m as Record<string, unknown>));
      for (let i = 0; i < stream.length; i += size) d.push(stream.subarray(i, i + size));
      expect(got.map((m) => m.c)).toEqual(['log', 'done', 'log']);
      expect(got[1]!.body).toBe(body);
      expect(got[1]!.o).toEqual({ status: 'success', response: { kind: 'largeData', statusCode: 200 } });
      expect(got[0]!.body).toBeUndefined();
    }
  });

  it('refuses a body frame whose message length runs past the frame', () => {
    const bad = bodyFrame({ c: 'done', id: 1, o: {} }, 'abc');
    bad.writeUInt32BE(1000, 4);
    expect(() => new FrameDecoder(() => undefined).push(bad)).toThrow(/bad message length/);
  });
});
