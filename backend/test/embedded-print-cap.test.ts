/**
 * Issue 14, finding 3: a debug run printing megabytes must not bring them into the server. The
 * runner caps print capture before anything reaches Node (about 1 MB for a debug run, under
 * 50,000 characters for other origins), so the answer stays small and the server's memory flat.
 */
import { describe, expect, it } from 'vitest';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const CODE = `
@DFF.API('Chatty')
def chatty(n):
    line = 'z' * 90
    for i in range(n):
        print('%08d %s' % (i, line))
    return n
`;

const LINES = 200_000; // 100 characters a line: ~20 MB printed
const MARKER = /^\[… (\d+) more lines \((\d+) characters\) of output dropped\]$/;
const MB = 1024 * 1024;

const t = useTestStack({ cap__main: CODE });

/** Runs `fn` while sampling the heap and RSS every millisecond; answers the largest growth. */
async function peakGrowth<T>(fn: () => Promise<T>): Promise<{ value: T; heapMb: number; rssMb: number }> {
  const base = process.memoryUsage();
  let heap = base.heapUsed;
  let rss = base.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.heapUsed > heap) heap = m.heapUsed;
    if (m.rss > rss) rss = m.rss;
  }, 1);
  try {
    const value = await fn();
    const m = process.memoryUsage();
    return { value, heapMb: (Math.max(heap, m.heapUsed) - base.heapUsed) / MB, rssMb: (Math.max(rss, m.rss) - base.rss) / MB };
  } finally {
    clearInterval(timer);
  }
}

function counted(lines: string[]): number {
  const marker = lines.filter((l) => MARKER.test(l));
  expect(marker).toHaveLength(1);
  return lines.length - 1 + Number(MARKER.exec(marker[0]!)![1]);
}

describe('print capture caps through HTTP', () => {
  it('answers a debug run printing 20 MB in about 1 MB, with the marker, without the server holding the output', async () => {
    const warm = await t.admin('POST', '/api/v1/func-draft/cap__main.chatty', { kwargs: { n: 10 } });
    expect(warm.status, warm.text).toBe(200);
    const { value: r, heapMb, rssMb } = await peakGrowth(() => t.admin('POST', '/api/v1/func-draft/cap__main.chatty', { kwargs: { n: LINES } }));
    expect(r.status, r.text.slice(0, 500)).toBe(200);
    // printLogs up to 1,000,000 characters + printLogsTEXT (50,000) + the rest of the answer
    expect(r.text.length).toBeLessThan(1_100_000);
    const d = r.body.data as { status: string; result: number; printLogs: string[]; printLogsTEXT: string };
    expect(d.status).toBe('success');
    expect(d.result).toBe(LINES);
    expect(counted(d.printLogs)).toBe(LINES);
    expect(d.printLogs.at(-1)).toMatch(new RegExp(`\\] ${String(LINES - 1).padStart(8, '0')} z+$`));
    // 20 MB of output held as log lines and JSON took well over 100 MB of heap before the cap.
    expect(heapMb).toBeLessThan(40);
    expect(rssMb).toBeLessThan(80);
  });

  it("stores a published run's capped log with the marker", async () => {
    const r = await t.admin('POST', '/api/v1/func/cap__main.chatty', { kwargs: { n: LINES }, options: { async: true } });
    expect(r.status, r.text).toBe(200);
    const id = (r.body.data as { id: string }).id;
    const rec = await eventually(
      async () => {
        const g = await t.admin('GET', `/api/v1/tasks/${id}`);
        const data = g.body.data as { status: string; printLogsTEXT: string | null } | undefined;
        return data?.status === 'success' ? data : undefined;
      },
      30_000,
      'the task record',
    );
    const lines = rec.printLogsTEXT!.split('\n');
    expect(counted(lines)).toBe(LINES);
    expect(rec.printLogsTEXT!.length).toBeLessThan(50_000);
  });
});
