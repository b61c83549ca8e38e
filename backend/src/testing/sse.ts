/** Reading a server-sent event stream in a test, as the console does. */

export interface SseEvent<D = unknown> {
  event: string;
  data: D;
  /** When it came (Date.now()). */
  at: number;
}

/**
 * The events of `res` (its `data` parsed as JSON) until an `end` event, after which the stream is
 * cancelled, or until the stream closes; each is noted with when it came and passed to `onEvent`.
 */
export async function readSseEvents<D = unknown>(res: Response, onEvent?: (e: SseEvent<D>) => void): Promise<SseEvent<D>[]> {
  const events: SseEvent<D>[] = [];
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (chunk.done) break;
    buf += decoder.decode(chunk.value, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const ev = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!ev || data === undefined) continue;
      const e = { event: ev, data: JSON.parse(data) as D, at: Date.now() };
      events.push(e);
      onEvent?.(e);
      if (ev === 'end') {
        await reader.cancel();
        return events;
      }
    }
  }
  return events;
}
