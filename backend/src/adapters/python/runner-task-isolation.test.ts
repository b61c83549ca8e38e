/**
 * Issue 14, findings 3 and 11, on real Python processes: print capture is capped inside the
 * runner for every origin (a marker says what was dropped), and tasks sharing a process do not
 * leak into each other (output of a previous task's threads, builtins, child processes).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuncRunnerPool, RunnerHost } from '../../domain/ports/runner.js';
import type { TaskMessage, TaskOutcome } from '../../domain/tasks/task.js';
import { eventually } from '../../testing/eventually.js';
import { createRunnerPool } from './runner-pool.js';

const PYTHON = '/usr/bin/python3';
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

class Host implements RunnerHost {
  readonly scripts = new Map<string, string>();
  readonly calls: { member: string; taskId: string }[] = [];
  getScript(scriptId: string): Promise<{ code: string; md5: string } | null> {
    const code = this.scripts.get(scriptId);
    return Promise.resolve(code === undefined ? null : { code, md5: md5(code) });
  }
  call(member: string, _method: string, args: unknown[], task: TaskMessage): Promise<unknown> {
    this.calls.push({ member, taskId: task.id });
    // A host call still being answered when its task has ended.
    // DFF.ENV reads {value, password} (runner-host.ts).
    const answer = (v: string): unknown => (member === 'ENV' ? { value: v, password: false } : v);
    if (args[0] === 'SLOW') return new Promise((r) => setTimeout(() => r(answer('slow')), 300));
    return Promise.resolve(answer('v'));
  }
}

let seq = 0;
function task(funcName: string, kwargs: Record<string, unknown> = {}, extra: Partial<TaskMessage> = {}): TaskMessage {
  seq++;
  return {
    id: `iso-${seq}`,
    funcId: `iso__main.${funcName}`,
    scriptId: 'iso__main',
    funcName,
    kwargs,
    origin: 'direct',
    originId: 'o',
    queue: 1,
    timeoutMs: 20_000,
    expiresAt: 0,
    triggerTime: Date.now(),
    ...extra,
  };
}

/** The process is gone (or only a zombie left for init to reap). */
function gone(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

const text = (line: string): string => line.replace(/^\[\+\d+ms\] /, '');
const MARKER = /^\[… (\d+) more lines \((\d+) characters\) of output dropped\]$/;

/** Head lines, the dropped count from the marker, tail lines. */
function split(o: TaskOutcome): { head: string[]; dropped: number; droppedChars: number; tail: string[] } {
  const i = o.printLogs.findIndex((l) => MARKER.test(l));
  expect(i, 'a marker line').toBeGreaterThan(0);
  expect(o.printLogs.filter((l) => MARKER.test(l))).toHaveLength(1);
  const m = MARKER.exec(o.printLogs[i]!)!;
  return { head: o.printLogs.slice(0, i), dropped: Number(m[1]), droppedChars: Number(m[2]), tail: o.printLogs.slice(i + 1) };
}

const CODE = `
import builtins, os, subprocess, sys, threading, time
from concurrent.futures import ThreadPoolExecutor

POOL = ThreadPoolExecutor(2)

def spam(n, width=90, log=False):
    line = 'y' * width
    for i in range(n):
        if log:
            DFF.LOG('%08d %s' % (i, line))
        else:
            print('%08d %s' % (i, line))
    return n

def spam_one_write(n):
    sys.stdout.write(''.join('%08d\\n' % i for i in range(n)))
    return n

def start_leaker():
    def leak():
        for _ in range(100):
            print('leak')
            sys.stderr.write('leak to stderr\\n')
            DFF.LOG('leak by DFF.LOG')
            try:
                DFF.ENV('FROM_LEAKER')
            except RuntimeError:
                pass
            time.sleep(0.01)
    threading.Thread(target=leak, daemon=True).start()
    time.sleep(0.05)
    return 'started'

def end_during_call():
    threading.Thread(target=lambda: DFF.ENV('SLOW'), daemon=True).start()
    time.sleep(0.05)
    return 'ended'

def quiet(s):
    print('b starts')
    time.sleep(s)
    DFF.ENV('FROM_B')
    print('b ends')
    return 'b'

def pooled(tag):
    return POOL.submit(lambda: print('from the pool', tag)).result() or tag

def threaded(tag):
    t = threading.Thread(target=lambda: print('from a thread', tag))
    t.start()
    t.join()
    return tag

def poison_builtins():
    builtins.leaked_name = 1
    builtins.len = lambda x: -1
    builtins.open = None
    __builtins__['user_leak'] = 2
    __builtins__['sorted'] = lambda x: 'poisoned'
    return {'len': builtins.len([1, 2]), 'sorted': sorted([2, 1])}

def check_builtins():
    return {
        'leaked_name': hasattr(builtins, 'leaked_name'),
        'len': builtins.len([1, 2]),
        'open': builtins.open is not None,
        'user_leak': 'user_leak' in __builtins__,
        'sorted': sorted([2, 1]),
        'len_seen': len([1, 2, 3]),
    }

def spawn_children():
    p = subprocess.Popen(['sleep', '300'], start_new_session=True)
    r, w = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(r)
        os.setsid()
        grandchild = os.fork()
        if grandchild == 0:
            os.write(w, ('%d\\n' % os.getpid()).encode())
            os.close(w)
            while True:
                time.sleep(1)
        os._exit(0)
    os.close(w)
    daemon = int(os.read(r, 64).decode())
    os.close(r)
    os.waitpid(child, 0)
    return {'popen': p.pid, 'daemon': daemon, 'forked': child}

def spawn_and_hang(path):
    p = subprocess.Popen(['sleep', '300'], start_new_session=True)
    with open(path, 'w') as f:
        f.write(str(p.pid))
    time.sleep(60)

def exec_sees_fds():
    out = subprocess.run(['ls', '-l', '/proc/self/fd'], capture_output=True, text=True, close_fds=False).stdout
    return [l.split()[-3] + ' ' + l.split()[-1] for l in out.splitlines()[1:]]

def noop():
    return 1
`;

/** A pool of one process running CODE as iso__main, started before the enclosing describe's tests and closed after them. */
function oneProcessPool(): { host: Host; run: (t: TaskMessage) => Promise<TaskOutcome> } {
  const host = new Host();
  let pool: FuncRunnerPool;
  beforeAll(async () => {
    host.scripts.set('iso__main', CODE);
    pool = await createRunnerPool({ python: PYTHON, processes: 1, memoryLimitMb: 0, host, scriptCheckMs: 0 });
  });
  afterAll(() => pool.close());
  return { host, run: (t) => pool.run(t, md5(CODE)) };
}

describe('python runner: print capture caps', () => {
  const { run } = oneProcessPool();

  it("keeps the head and tail of a published run's output (under 50,000 characters) with one marker counting the rest", async () => {
    const n = 200_000; // ~20 MB of output
    const o = await run(task('spam', { n }));
    expect(o.status).toBe('success');
    const { head, dropped, droppedChars, tail } = split(o);
    expect(head.length + dropped + tail.length).toBe(n);
    expect(text(head[0]!)).toMatch(/^00000000 y+$/);
    expect(text(tail.at(-1)!)).toMatch(new RegExp(`^${String(n - 1).padStart(8, '0')} y+$`));
    const kept = o.printLogs.join('\n').length;
    expect(kept).toBeLessThan(50_000);
    expect(droppedChars).toBeGreaterThan(n * 99 - kept);
    // and the order holds: head lines, then tail lines, consecutive numbers
    const nums = [...head, ...tail].map((l) => Number(text(l).slice(0, 8)));
    expect(nums.slice(0, head.length)).toEqual(nums.slice(0, head.length).map((_, i) => i));
    expect(nums[head.length]).toBe(head.length + dropped);
  });

  it('caps DFF.LOG and one huge write the same way', async () => {
    const o = await run(task('spam', { n: 50_000, log: true }));
    const s = split(o);
    expect(s.head.length + s.dropped + s.tail.length).toBe(50_000);
    const one = await run(task('spam_one_write', { n: 1_000_000 }));
    const s1 = split(one);
    expect(s1.head.length + s1.dropped + s1.tail.length).toBe(1_000_000);
    expect(text(s1.tail.at(-1)!)).toBe('00999999');
  });

  it('caps a debug (draft) run at about 1 MB: the head streamed, the marker and the tail with the outcome', async () => {
    const n = 200_000;
    const o = await run(task('spam', { n }, { draft: true }));
    expect(o.status).toBe('success');
    const { head, dropped, tail } = split(o);
    expect(head.length + dropped + tail.length).toBe(n);
    const kept = o.printLogs.join('\n').length;
    expect(kept).toBeGreaterThan(900_000);
    expect(kept).toBeLessThan(1_000_100);
    expect(text(tail.at(-1)!).startsWith(String(n - 1).padStart(8, '0'))).toBe(true);
  });

  it('adds no marker when the output fits', async () => {
    const o = await run(task('spam', { n: 100 }));
    expect(o.printLogs).toHaveLength(100);
    expect(o.printLogs.some((l) => l.includes('dropped'))).toBe(false);
  });
});

describe('python runner: tasks sharing a process', () => {
  const { host, run } = oneProcessPool();

  it("keeps a finished task's thread out of the next task (prints, stderr, DFF.LOG, host calls)", async () => {
    const a = await run(task('start_leaker'));
    expect(a.result).toBe('started');
    expect(a.printLogs.some((l) => l.includes('leak'))).toBe(true); // while A ran, they were A's
    const tb = task('quiet', { s: 0.3 });
    const b = await run(tb);
    expect(b.result, JSON.stringify({ ...b, printLogs: b.printLogs.slice(0, 20) })).toBe('b');
    expect(b.printLogs.map(text)).toEqual(['b starts', 'b ends']);
    expect(host.calls.filter((c) => c.taskId === tb.id)).toEqual([{ member: 'ENV', taskId: tb.id }]);
  });

  it("answers a thread's host call that outlives its task, so the next task's calls do not wait forever", async () => {
    const a = await run(task('end_during_call'));
    expect(a.result).toBe('ended');
    const b = await run(task('quiet', { s: 0 }, { timeoutMs: 5000 }));
    expect(b.status, JSON.stringify(b)).toBe('success');
    expect(b.result).toBe('b');
  });

  it("gives a thread's and a module-level thread pool's output to the task that started the work", async () => {
    for (const tag of ['one', 'two', 'three']) {
      const p = await run(task('pooled', { tag }));
      expect(p.printLogs.map(text)).toEqual([`from the pool ${tag}`]);
      const t = await run(task('threaded', { tag }));
      expect(t.printLogs.map(text)).toEqual([`from a thread ${tag}`]);
    }
  });

  it('restores builtins after each task', async () => {
    const p = await run(task('poison_builtins'));
    expect(p.result).toEqual({ len: -1, sorted: 'poisoned' });
    const c = await run(task('check_builtins'));
    expect(c.result).toEqual({ leaked_name: false, len: 2, open: true, user_leak: false, sorted: [1, 2], len_seen: 3 });
  });

  it('kills the processes a task started, even a setsid double-forked daemon, when the task ends', async () => {
    const o = await run(task('spawn_children'));
    expect(o.status, o.exception).toBe('success');
    const { popen, daemon } = o.result as { popen: number; daemon: number };
    expect(popen).toBeGreaterThan(0);
    expect(daemon).toBeGreaterThan(0);
    // Python killed and reaped them before it answered.
    expect(gone(popen)).toBe(true);
    expect(gone(daemon)).toBe(true);
    const next = await run(task('noop'));
    expect(next.result).toBe(1);
  });

  it('kills the processes of a task that timed out with its runner', async () => {
    const path = `/tmp/func-iso-${process.pid}-${Date.now()}.pid`;
    const o = await run(task('spawn_and_hang', { path }, { timeoutMs: 1_500 }));
    expect(o.status).toBe('timeout');
    const pid = Number(readFileSync(path, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    await eventually(() => (gone(pid) ? true : undefined), 5_000, `process ${pid} gone`);
  });

  it("does not hand the protocol pipes to an exec'd child", async () => {
    const o = await run(task('exec_sees_fds'));
    // 0-2 and ls's own handle on /proc/self/fd, nothing else: not the protocol pipes, nothing inherited from Node
    expect((o.result as string[]).filter((l) => !/^[012] /.test(l) && !l.endsWith('/fd'))).toEqual([]);
  });
});
