/** Results sent straight from a worker to the waiting server: handshake, refusal, fallback. */
import { createConnection, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplyRoute } from '../../../domain/ports/broker.js';
import { ReplyListener, ReplySender } from './direct-replies.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

function listener(): { l: ReplyListener; got: string[] } {
  const got: string[] = [];
  const l = new ReplyListener((m) => got.push(m));
  closers.push(() => l.close());
  return { l, got };
}

function sender(): ReplySender {
  const s = new ReplySender();
  closers.push(() => s.close());
  return s;
}

/** Sends until a send goes straight (the first ones open and verify the connection). */
async function sendWhenVerified(s: ReplySender, to: ReplyRoute, json: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    if (s.send(to, json)) return i;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('never verified');
}

describe('direct replies', () => {
  it('sends results after the server accepted the token, each line as it was', async () => {
    const { l, got } = listener();
    const to = await l.listen('127.0.0.1');
    expect(to.host).toBe('127.0.0.1');
    expect(to.token).toMatch(/^[0-9a-f]{32}$/);
    const s = sender();
    expect(s.send(to, '{"n":0}')).toBe(false);
    expect(await sendWhenVerified(s, to, '{"n":1}')).toBeGreaterThan(0);
    const multi = JSON.stringify({ n: 2, text: 'two\nlines ü' });
    expect(s.send(to, multi)).toBe(true);
    await expect.poll(() => got.length).toBe(2);
    expect(got).toEqual(['{"n":1}', multi]);
    expect(JSON.parse(got[1]!)).toEqual({ n: 2, text: 'two\nlines ü' });
  });

  it('survives lines that are not results and a worker that never says its token', async () => {
    const got: string[] = [];
    const l = new ReplyListener((m) => {
      const v = JSON.parse(m) as { taskId: string } | null;
      got.push(v!.taskId); // throws on null, like any handler could
    });
    closers.push(() => l.close());
    const to = await l.listen('127.0.0.1');
    const s = sender();
    await sendWhenVerified(s, to, '{"taskId":"a"}');
    expect(s.send(to, 'null')).toBe(true);
    expect(s.send(to, '{"taskId":"b"}')).toBe(true);
    await expect.poll(() => got).toEqual(['a', 'b']);
    // A long first line is cut off before any token is checked.
    const raw = createConnection(to.port, to.host);
    const closed = new Promise<void>((r) => raw.on('close', () => r()));
    raw.on('error', () => undefined);
    raw.write('x'.repeat(10_000));
    await closed;
  });

  it('is refused with a wrong token: nothing is sent straight, results stay with the caller', async () => {
    const { l, got } = listener();
    const to = await l.listen('127.0.0.1');
    const s = sender();
    const wrong = { ...to, token: 'f'.repeat(32) };
    for (let i = 0; i < 20; i++) {
      expect(s.send(wrong, `{"n":${i}}`)).toBe(false);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(got).toEqual([]);
  });

  it('falls back while nobody listens, and when the server goes away', async () => {
    // A port nobody listens on.
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((r) => free.close(() => r()));
    const s = sender();
    for (let i = 0; i < 5; i++) {
      expect(s.send({ host: '127.0.0.1', port, token: 'a'.repeat(32) }, '{}')).toBe(false);
      await new Promise((r) => setTimeout(r, 10));
    }
    const { l } = listener();
    const to = await l.listen('127.0.0.1');
    await sendWhenVerified(s, to, '{}');
    l.close();
    await expect.poll(() => s.send(to, '{}')).toBe(false);
  });
});
