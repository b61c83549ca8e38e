/**
 * The server's event streams end when it closes: a console showing the overview (or a task's live
 * lines) kept `func up` from stopping for as long as it stayed open.
 */
import { describe, expect, it } from 'vitest';
import { readSseEvents } from '../src/testing/sse.js';
import { startTestStack } from '../src/testing/test-stack.js';

const SLOW = `import time\n\n@DFF.API('Slow')\ndef slow():\n    time.sleep(30)\n`;

describe('closing the server while clients hold event streams', () => {
  it('ends the topology stream and a live log stream, and closes at once', async () => {
    const t = await startTestStack({ FUNC_WORKER_PROCESSES: '1' });
    let closed = false;
    try {
      await t.publish('streams__main', SLOW);
      const base = await t.stack.app.listen({ port: 0, host: '127.0.0.1' });
      const auth = `xDFFAuthToken=${encodeURIComponent(t.token)}`;
      const apiId = await t.add('/api/v1/async-apis/do/add', { funcId: 'streams__main.slow', funcCallKwargsJSON: {} });
      const call = await t.api('POST', `/api/v1/async/${apiId}`, { kwargs: {} });
      expect(call.status, call.text).toBe(200);
      const taskId = (call.data as { id: string }).id;
      const topology = await fetch(`${base}/api/v1/events?${auth}`);
      const logs = await fetch(`${base}/api/v1/tasks/${taskId}/logs/stream?${auth}`);
      expect([topology.status, logs.status]).toEqual([200, 200]);
      const topologyEvents = readSseEvents(topology);
      const logEvents = readSseEvents(logs);
      // Both streams are open and sending.
      await new Promise((r) => setTimeout(r, 1500));
      // Without the streams ended, close() waited for the clients for good (the task itself is stopped within the worker's grace).
      const outcome = await Promise.race([t.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open after 15 s'), 15_000))]);
      expect(outcome).toBe('closed');
      closed = true;
      const [te, le] = await Promise.all([topologyEvents, logEvents]);
      expect(te.some((e) => e.event === 'topology')).toBe(true);
      expect(le.some((e) => e.event === 'open')).toBe(true);
    } finally {
      if (!closed) await t.close();
    }
  }, 60_000);
});
