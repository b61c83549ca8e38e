/**
 * Live logs (issue 18 item 3) on a real embedded stack with real Python processes: lines of a
 * running task reach a subscriber of GET /api/v1/tasks/:id/logs/stream before the task ends; a
 * debug run streams under the liveKey the console picked; a task printing 100 MB leaves the
 * server's memory and other tasks alone; a failing debug run captures its frame's locals.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tickerFunc } from '../src/testing/python-fixtures.js';
import { readSseEvents, type SseEvent } from '../src/testing/sse.js';
import { useTestStack } from '../src/testing/test-stack.js';

const CODE = `import time

${tickerFunc('Ticker', 'ticker', 'tick', 5)}
@DFF.API('Flood')
def flood(mb=100):
    line = 'x' * 999
    for i in range(mb * 1000):
        print(line)
        if i % 2000 == 0:
            time.sleep(0.02)
    return mb

@DFF.API('Quick')
def quick():
    return 'ok'

@DFF.API('Secret ticker')
def secret_ticker():
    secret = DFF.ENV('LIVE_PASS')
    for i in range(3):
        print('secret', secret, i)
        time.sleep(0.3)
    return 'done'

class Loud:
    def __repr__(self):
        raise RuntimeError('no repr')

@DFF.API('Boom')
def boom(many=False):
    big = list(range(100000))
    text = 'y' * 5000
    loud = Loud()
    count = 3
    if many:
        for i in range(60):
            locals()['v%d' % i] = i
        ns = {}
        exec('\\n'.join('v%d = %d' % (i, i) for i in range(60)) + '\\n1/0', {}, ns)
    return count / 0
`;

const t = useTestStack({ live__main: CODE }, { FUNC_WORKER_PROCESSES: '2' });
let base: string;
let asyncId: string;

type LogEvent = SseEvent<{ seq?: number; lines?: string[]; status?: string }>;

/** Reads a task's live log stream until `end` (or `limitMs`), noting when each event came. */
async function readStream(url: string, limitMs: number, onEvent?: (e: LogEvent) => void): Promise<LogEvent[]> {
  const res = await fetch(url, { signal: AbortSignal.timeout(limitMs) });
  expect(res.status).toBe(200);
  return await readSseEvents<LogEvent['data']>(res, onEvent);
}

const streamUrl = (id: string): string => `${base}/api/v1/tasks/${id}/logs/stream?xDFFAuthToken=${encodeURIComponent(t.token)}`;
const lines = (events: LogEvent[]): string[] => events.flatMap((e) => e.data.lines ?? []);

beforeAll(async () => {
  base = await t.stack.app.listen({ port: 0, host: '127.0.0.1' });
  // One async API per function, kwargs from the call.
  for (const f of ['ticker', 'flood']) {
    const id = await t.add('/api/v1/async-apis/do/add', { funcId: `live__main.${f}`, funcCallKwargsJSON: f === 'flood' ? { mb: 'FROM_PARAMETER' } : { n: 'FROM_PARAMETER' } });
    if (f === 'ticker') asyncId = id;
    else floodApi = id;
  }
}, 60_000);
let floodApi: string;

describe('live logs', () => {
  it('a task printing once a second for 5 s delivers its first line in under 2 s, and every line before it ends', async () => {
    const started = Date.now();
    const r = await t.api('POST', `/api/v1/async/${asyncId}`, { kwargs: { n: 5 } });
    expect(r.status, r.text).toBe(200);
    const id = (r.data as { id: string }).id;
    const events = await readStream(streamUrl(id), 20_000);
    const first = events.find((e) => (e.data.lines ?? []).length > 0);
    expect(first, JSON.stringify(events)).toBeDefined();
    expect(first!.at - started).toBeLessThan(2000);
    expect(first!.data.lines![0]).toMatch(/^\[\+\d+ms\] tick 0$/);
    const end = events.at(-1)!;
    expect(end).toMatchObject({ event: 'end', data: { status: 'success' } });
    // Lines came while it ran: the fourth tick at least 2 s before the end.
    const tick3 = events.find((e) => (e.data.lines ?? []).some((l) => l.endsWith('tick 3')));
    expect(tick3, JSON.stringify(events)).toBeDefined();
    expect(end.at - tick3!.at).toBeGreaterThan(500);
    expect(lines(events).filter((l) => / tick \d$/.test(l))).toHaveLength(5);
    const seqs = events.filter((e) => e.event === 'lines').map((e) => e.data.seq!);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('a subscriber that comes late gets the lines so far (the backlog), then the rest', async () => {
    const r = await t.api('POST', `/api/v1/async/${asyncId}`, { kwargs: { n: 3 } });
    const id = (r.data as { id: string }).id;
    await new Promise((res) => setTimeout(res, 1800));
    const events = await readStream(streamUrl(id), 20_000);
    expect(lines(events).filter((l) => / tick \d$/.test(l))).toEqual([expect.stringMatching(/tick 0$/), expect.stringMatching(/tick 1$/), expect.stringMatching(/tick 2$/)]);
    expect(events.at(-1)!.data.status).toBe('success');
  });

  it('a task that already ended answers its end at once; an unknown task is 404', async () => {
    const done = await t.admin('POST', '/api/v1/func/live__main.quick', {});
    expect(done.status).toBe(200);
    const [rec] = await t.client.listTaskRecords({ query: { funcId: 'live__main.quick' } });
    const events = await readStream(streamUrl(rec!.id), 5000);
    expect(events).toEqual([expect.objectContaining({ event: 'end', data: { status: 'success' } })]);
    const missing = await fetch(streamUrl('task-does-not-exist'));
    expect(missing.status).toBe(404);
    const anonymous = await fetch(`${base}/api/v1/tasks/${rec!.id}/logs/stream`);
    expect(anonymous.status).toBe(401);
  });

  it('a debug run streams under the liveKey the console chose, before its answer', async () => {
    await t.admin('POST', '/api/v1/scripts/live__main/do/modify', { data: { codeDraft: CODE.replace("print('tick', i)", "print('draft tick', i)") } });
    const liveKey = `live-${'k'.repeat(8)}${Date.now()}`;
    const subscribed = readStream(streamUrl(liveKey), 20_000);
    await new Promise((res) => setTimeout(res, 200));
    const started = Date.now();
    let answeredAt = 0;
    const run = t.client.callFuncDraft({ params: { funcId: 'live__main.ticker' }, body: { kwargs: { n: 3 }, liveKey } }).then((out) => {
      answeredAt = Date.now();
      return out;
    });
    const events = await subscribed;
    const out = await run;
    expect(out.status).toBe('success');
    const first = events.find((e) => (e.data.lines ?? []).length > 0)!;
    expect(first.data.lines![0]).toMatch(/draft tick 0$/);
    expect(first.at - started).toBeLessThan(1500);
    expect(answeredAt - first.at).toBeGreaterThan(1000);
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'success' } });
  });

  it("a password DFF.ENV loaded is ***** in the live lines and the debug run's log, as in the print log (it went out in clear)", async () => {
    await t.add('/api/v1/env-variables/do/add', { id: 'LIVE_PASS', autoTypeCasting: 'password', valueTEXT: 'live-s3cret' });
    const liveKey = `live-${'p'.repeat(8)}${Date.now()}`;
    const subscribed = readStream(streamUrl(liveKey), 20_000);
    await new Promise((res) => setTimeout(res, 200));
    const out = await t.client.callFuncDraft({ params: { funcId: 'live__main.secret_ticker' }, body: { kwargs: {}, liveKey } });
    const events = await subscribed;
    expect(out.status).toBe('success');
    const streamed = lines(events);
    expect(
      streamed.filter((l) => / secret \*{5} \d$/.test(l)),
      JSON.stringify(events),
    ).toHaveLength(3);
    expect(JSON.stringify(events)).not.toContain('live-s3cret');
    expect(JSON.stringify(out)).not.toContain('live-s3cret');
    expect(JSON.stringify(out)).toContain('secret ***** 2');
  });

  it('a task printing 100 MB: lines past the limit dropped with a marker, the server RSS within 64 MB, other tasks not slowed', async () => {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    const r = await t.api('POST', `/api/v1/async/${floodApi}`, { kwargs: { mb: 100 } });
    const id = (r.data as { id: string }).id;
    const streamed = readStream(streamUrl(id), 120_000);
    // Meanwhile a short task on another process answers as usual.
    await new Promise((res) => setTimeout(res, 300));
    const q0 = Date.now();
    const quick = await t.admin('POST', '/api/v1/func/live__main.quick', {});
    const quickMs = Date.now() - q0;
    const events = await streamed;
    clearInterval(sampler);
    expect(quick.status).toBe(200);
    expect(quickMs).toBeLessThan(1000);
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'success' } });
    const all = lines(events);
    expect(
      all.some((l) => /lines not streamed live/.test(l)),
      JSON.stringify(events.map((e) => [e.event, e.data.seq, e.data.lines?.length, e.data.lines?.at(-1)?.slice(0, 120)])),
    ).toBe(true);
    // At most 200 lines a second of the run reached the stream (plus markers).
    const record = await t.client.getTask({ params: { id } });
    const ranS = Math.max(1, ((record.endTimeMs ?? 0) - (record.startTimeMs ?? 0)) / 1000);
    expect(all.filter((l) => l.includes('xxxx')).length).toBeLessThanOrEqual(200 * Math.ceil(ranS + 1));
    expect(rssPeak - rssBefore).toBeLessThan(64 * 1024 * 1024);
  }, 150_000);
});

describe('locals of the failing frame (debug runs)', () => {
  it('are captured with their reprs truncated, an unrepresentable one named', async () => {
    const out = await t.client.callFuncDraft({ params: { funcId: 'live__main.boom' }, body: { kwargs: {} } });
    expect(out.status).toBe('failure');
    expect(out.locals).toMatchObject({ scriptId: 'live__main', funcName: 'boom', more: 0 });
    const vars = Object.fromEntries(out.locals!.vars.map((v) => [v.name, v]));
    expect(vars.count).toEqual({ name: 'count', type: 'int', repr: '3' });
    expect(vars.many).toEqual({ name: 'many', type: 'bool', repr: 'False' });
    expect(vars.big!.type).toBe('list');
    expect(vars.big!.repr.length).toBeLessThanOrEqual(300);
    expect(vars.big!.repr).toMatch(/^\[0, 1, 2, .*\.\.\.\]$/);
    expect(vars.text!.repr.length).toBeLessThanOrEqual(300);
    // Its __repr__ raises: reprlib names the instance instead.
    expect(vars.loud!.repr).toMatch(/^<Loud instance at 0x[0-9a-f]+>$/);
    expect(out.locals!.line).toBe(out.errorLine);
  });

  it('keep at most 40 names and count the rest', async () => {
    const out = await t.client.callFuncDraft({ params: { funcId: 'live__main.boom' }, body: { kwargs: { many: true } } });
    expect(out.status).toBe('failure');
    // The innermost user frame is the exec'd module (60 names), in the script's file? No: exec
    // code is not a user script, so the frame is boom's own.
    expect(out.locals!.funcName).toBe('boom');
    expect(out.locals!.vars.length).toBeLessThanOrEqual(40);
  });

  it('are not captured for published runs', async () => {
    const r = await t.admin('POST', '/api/v1/func/live__main.boom', { kwargs: {} });
    expect(r.text).not.toContain('unrepresentable');
  });
});
