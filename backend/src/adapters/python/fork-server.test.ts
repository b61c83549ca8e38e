/**
 * Runners forked from the fork server (fork-server.ts, fork_server.py): one fork server per
 * launch settings in a process, shared by its pools; a forked runner holds only its channel and
 * stdio; its end is reported as a started runner's is; the fork server's death takes its runners
 * and the pool carries on; where the fork server cannot run, runners are started as before; and a
 * runner's exit waits for its stderr connection when that comes after the exit.
 * Every other pool behaviour runs both ways in runner-pool.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { FuncRunnerPool, RunnerHost } from '../../domain/ports/runner.js';
import type { TaskMessage } from '../../domain/tasks/task.js';
import { eventually } from '../../testing/eventually.js';
import { ForkedRunner } from './fork-server.js';
import { processTree } from './process-tree.js';
import { createRunnerPool, type RunnerPoolOptions } from './runner-pool.js';

const PYTHON = '/usr/bin/python3';
const isRoot = process.getuid?.() === 0;
const RUNTIME = fileURLToPath(new URL('../../../python/', import.meta.url));
const CODE = `import os, signal

def whoami():
    fds = sorted(int(fd) for fd in os.listdir('/proc/self/fd'))
    return {
        'pid': os.getpid(),
        'ppid': os.getppid(),
        'fds': fds,
        'null': [os.readlink('/proc/self/fd/%d' % fd) for fd in (0, 1)],
    }

def as_user():
    status = dict(line.split(':', 1) for line in open('/proc/self/status').read().splitlines())
    return {
        'uid': os.getuid(),
        'groups': os.getgroups(),
        'ppid': os.getppid(),
        'capPrm': status['CapPrm'].strip(),
        # Dumpable again after the switch: its own /proc files are its own.
        'procOwner': os.stat('/proc/self/environ').st_uid,
    }

def die(code):
    os.write(2, b'last words before the exit\\n')
    os._exit(code)

def killed():
    os.kill(os.getpid(), signal.SIGKILL)

def sleep(s):
    import time
    time.sleep(s)
    return os.getpid()
`;
const md5 = createHash('md5').update(CODE).digest('hex');
const host: RunnerHost = { getScript: () => Promise.resolve({ code: CODE, md5 }), call: () => Promise.resolve(null) };

let seq = 0;
function task(funcName: string, kwargs: Record<string, unknown> = {}, timeoutMs = 10_000): TaskMessage {
  seq++;
  return {
    id: `fork-${seq}`,
    funcId: `fork__s.${funcName}`,
    scriptId: 'fork__s',
    funcName,
    kwargs,
    origin: 'direct',
    originId: 'o',
    queue: 1,
    timeoutMs,
    expiresAt: 0,
    triggerTime: Date.now(),
  };
}

const pools: FuncRunnerPool[] = [];
async function pool(options: Partial<RunnerPoolOptions> = {}): Promise<FuncRunnerPool> {
  const p = await createRunnerPool({ python: PYTHON, host, processes: 1, memoryLimitMb: 0, forkServer: true, ...options });
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

interface Whoami {
  pid: number;
  ppid: number;
  fds: number[];
  null: string[];
}
async function whoami(p: FuncRunnerPool): Promise<Whoami> {
  const o = await p.run(task('whoami'), md5);
  expect(o.status, JSON.stringify(o)).toBe('success');
  return o.result as Whoami;
}

const cmdline = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
const parentOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
/** Running: neither gone nor a zombie (a runner orphaned by its fork server waits for init to reap it). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
}
/** Fork servers started by this test process (running: one just stopped may linger a moment). */
function forkServers(): number[] {
  return processTree(process.pid).filter((pid) => {
    try {
      return pid !== process.pid && alive(pid) && parentOf(pid) === process.pid && cmdline(pid).includes('--fork-server');
    } catch {
      return false; // gone meanwhile
    }
  });
}

describe('runners forked from the fork server', () => {
  it('are forked by one fork server for all the pools of a process, and hold only their channel and stdio', async () => {
    const a = await pool();
    const b = await pool({ processes: 2, minProcesses: 0, idleStopMs: 60_000 });
    const [ra, rb] = [await whoami(a), await whoami(b)];
    expect(ra.ppid).toBe(rb.ppid);
    expect(ra.pid).not.toBe(rb.pid);
    expect(parentOf(ra.ppid)).toBe(process.pid);
    expect(cmdline(ra.ppid)).toContain('func_runner.py --fork-server');
    expect(forkServers()).toEqual([ra.ppid]);
    // 0-2, the channel's two descriptors (moved above 100), and the one listing them: nothing of the fork server.
    const high = ra.fds.filter((fd) => fd > 2);
    expect(ra.fds.slice(0, 3)).toEqual([0, 1, 2]);
    expect(high.filter((fd) => fd >= 100)).toHaveLength(2);
    expect(high.filter((fd) => fd < 100)).toHaveLength(1);
    expect(ra.null).toEqual(['/dev/null', '/dev/null']);
    await a.close();
    expect(alive(ra.ppid)).toBe(true); // b still uses it
    await b.close();
    await eventually(() => (alive(ra.ppid) ? undefined : true), 5000, 'the fork server to stop with the last pool');
  });

  it('starts an on-demand pool with its fork server running and no runner, and forks one for the first task', async () => {
    const p = await pool({ processes: 2, minProcesses: 0, idleStopMs: 60_000 });
    expect(p.stats().processes).toBe(0);
    const server = await eventually(() => forkServers()[0], 5000, 'the fork server');
    expect(processTree(server)).toEqual([server]);
    expect((await whoami(p)).ppid).toBe(server);
    await p.close();
  });

  it("reports a forked runner's end as a started one's: the exit code with what it wrote to stderr, or the signal", async () => {
    const p = await pool();
    const exit = await p.run(task('die', { code: 3 }), md5);
    expect(exit).toMatchObject({ status: 'failure', reason: 'EWorkerNoResponse', exception: 'the Python process exited with code 3 during the task' });
    expect(exit.traceback).toContain('last words before the exit');
    const kill = await p.run(task('killed'), md5);
    expect(kill.exception).toBe('the Python process was killed by SIGKILL during the task');
    expect((await whoami(p)).ppid).toBe(forkServers()[0]);
    await p.close();
  });

  it('take their running task with them when the fork server dies, and the pool carries on from a new fork server', async () => {
    const p = await pool();
    const before = await whoami(p);
    const running = p.run(task('sleep', { s: 30 }, 60_000), md5);
    await new Promise((r) => setTimeout(r, 200));
    process.kill(before.ppid, 'SIGKILL');
    const lost = await running;
    expect(lost).toMatchObject({ status: 'failure', reason: 'EWorkerNoResponse' });
    const after = await eventually(
      async () => {
        const o = await p.run(task('whoami'), md5);
        return o.status === 'success' ? (o.result as Whoami) : undefined;
      },
      10_000,
      'a task run by a runner of a new fork server',
    );
    expect(after.ppid).not.toBe(before.ppid);
    expect(cmdline(after.ppid)).toContain('--fork-server');
    await eventually(() => (alive(before.pid) ? undefined : true), 5000, 'the old runner to die with its fork server');
    await p.close();
  });

  it('lose no task when the fork server dies while it forks a runner: the task waits for a runner of the next one', async () => {
    // The earlier tests' fork servers gone (stopped with their pools), this pool's is the only one.
    await eventually(() => (forkServers().length === 0 ? true : undefined), 5000, 'no fork server left');
    const p = await pool({ processes: 1, minProcesses: 0, idleStopMs: 60_000 });
    const server = await eventually(() => forkServers()[0], 5000, 'the fork server');
    await eventually(() => (readFileSync(`/proc/${server}/stat`, 'utf8').split(') ')[1]![0] === 'S' ? true : undefined), 5000, 'the fork server waiting for requests');
    process.kill(server, 'SIGSTOP'); // the fork is asked for and never happens
    const pending = p.run(task('whoami'), md5);
    await new Promise((r) => setTimeout(r, 200));
    expect(processTree(server)).toEqual([server]);
    process.kill(server, 'SIGKILL');
    const o = await pending;
    expect(o.status, JSON.stringify(o)).toBe('success');
    const r = o.result as Whoami;
    expect(r.ppid).not.toBe(server);
    expect(cmdline(r.ppid)).toContain('--fork-server');
    await p.close();
  });

  it(
    isRoot
      ? 'switch to their user once forked, hold no capability, and stay dumpable (peak memory of a debug run)'
      : "switch to their user once forked (Func does not run as root: Func's own user is kept, nothing to switch)",
    async () => {
      if (!isRoot) {
        console.warn('fork-server: the tests do not run as root, so no runner switches users here; the fork server refuses one it cannot switch (next test)');
        return;
      }
      const p = await pool({ user: { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' } });
      const o = await p.run(task('as_user'), md5);
      expect(o.status, JSON.stringify(o)).toBe('success');
      const r = o.result as { uid: number; groups: number[]; ppid: number; capPrm: string; procOwner: number };
      expect(r).toMatchObject({ uid: 65534, groups: [], capPrm: '0000000000000000', procOwner: 65534 });
      expect(cmdline(r.ppid)).toContain('--fork-server --switch-user');
      expect(readFileSync(`/proc/${r.ppid}/status`, 'utf8')).toMatch(/^Uid:\s+0\s/m); // the fork server stays root: not theirs to signal
      const draft = await p.run({ ...task('as_user'), draft: true }, md5);
      expect(draft.peakMemoryMb).toBeGreaterThan(0);
      await p.close();
    },
  );

  it('refuse to be forked by a fork server that could not switch them to their user: it exits before it is ready (Node then starts them)', () => {
    // Without root or CAP_SETUID/CAP_SETGID, as Python runs in the Docker image (node alone holds them).
    const nobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(PYTHON, ['-B', join(RUNTIME, 'func_runner.py'), '--fork-server', '--switch-user'], { input: '', encoding: 'utf8', cwd: RUNTIME, ...nobody });
    expect(r.status).toBe(77);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('cannot switch its runners to another user');
  });

  it('are started as new interpreters where the fork server cannot run', async () => {
    const runtime = mkdtempSync(join(tmpdir(), 'func-runtime-'));
    try {
      cpSync(RUNTIME, runtime, { recursive: true });
      writeFileSync(join(runtime, 'fork_server.py'), "import sys\n\ndef serve(run_main):\n    sys.stderr.write('no fork server here\\n')\n    raise SystemExit(5)\n");
      const p = await pool({ runtimeDir: runtime });
      const r = await whoami(p);
      expect(r.ppid).toBe(process.pid);
      expect((await whoami(p)).ppid).toBe(process.pid);
      await p.close();
    } finally {
      rmSync(runtime, { recursive: true, force: true });
    }
  });
});

/** Both ends of a loopback TCP connection. */
async function socketPair(): Promise<[Socket, Socket]> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const ends: [Socket, Socket] = [await accepted, client];
  server.close();
  return ends;
}

describe("a forked runner's exit", () => {
  it('waits for a stderr connection not identified yet: what the runner wrote before it died is kept, then the exit', async () => {
    let forgotten = 0;
    const runner = new ForkedRunner([], () => forgotten++);
    const events: string[] = [];
    runner.onStderr((chunk) => events.push(`stderr: ${chunk.toString()}`));
    runner.onExit((code) => events.push(`exit ${code}`));
    runner.forked(4_000_000); // never signalled here
    // Its exit reaches Node before its stderr connection's hello is read.
    runner.exited(3, null);
    expect(events).toEqual([]);
    expect(forgotten).toBe(0);
    const [ours, its] = await socketPair();
    runner.attachStderr(ours);
    its.end('Traceback: boom\n');
    await eventually(() => (events.length === 2 ? true : undefined), 2000, 'the exit reported');
    expect(events).toEqual(['stderr: Traceback: boom\n', 'exit 3']);
    expect(forgotten).toBe(1);
  });

  it('is reported at once when it was never forked, and within 500 ms when its stderr never comes', async () => {
    const never = new ForkedRunner([], () => undefined);
    let code: number | null | undefined;
    never.onExit((c) => (code = c));
    never.exited(null, null);
    expect(code).toBeNull();

    const silent = new ForkedRunner([], () => undefined);
    let at = 0;
    silent.onExit(() => (at = Date.now()));
    silent.forked(4_000_001);
    const t0 = Date.now();
    silent.exited(1, null);
    await eventually(() => (at > 0 ? true : undefined), 2000, 'the exit reported');
    expect(at - t0).toBeGreaterThanOrEqual(400);
    expect(at - t0).toBeLessThan(1500);
    // A connection after the report is refused.
    const [ours] = await socketPair();
    silent.attachStderr(ours);
    expect(ours.destroyed).toBe(true);
  });
});

describe("the fork server's reaping", () => {
  it("reports its runners' exits without its Python-level SIGCHLD handler: that handler may run only when the next request arrives", async () => {
    // A Python signal handler runs between bytecodes of the main thread, so a SIGCHLD landing at
    // the wrong moment leaves a blocking read waiting for Node's next request with the exit
    // unreported (a pool's close then waited for it). Here the handler never does anything: the
    // exits must still come, from the loop woken by the signal's wakeup pipe.
    const patch = [
      'import signal, sys',
      'real = signal.signal',
      'signal.signal = lambda sig, handler: real(sig, (lambda *_: None) if sig == signal.SIGCHLD else handler)',
      `sys.path.insert(0, ${JSON.stringify(RUNTIME)})`,
      'from func_runner_core import main',
      "main(['--fork-server'])",
    ].join('\n');
    const server = spawn(PYTHON, ['-B', '-c', patch], { stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      const lines: Record<string, unknown>[] = [];
      let buf = '';
      server.stdout.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          lines.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
          buf = buf.slice(nl + 1);
        }
      });
      await eventually(() => (lines.some((l) => 'ready' in l) ? true : undefined), 10_000, 'the fork server ready');
      // Runners that cannot reach Node's socket (none listens there) and exit at once.
      for (let id = 1; id <= 3; id++) server.stdin.write(`${JSON.stringify({ id, args: [], sock: `@func-no-listener-${process.pid}`, token: 't' })}\n`);
      /** The numbers of `field` in the fork server's lines, once there are three of them. */
      const three = (field: 'pid' | 'exit', ms: number, what: string): Promise<number[]> =>
        eventually(
          () => {
            const found = lines.filter((l) => typeof l[field] === 'number').map((l) => l[field] as number);
            return found.length === 3 ? found : undefined;
          },
          ms,
          what,
        );
      const pids = await three('pid', 10_000, 'three runners forked');
      const exits = await three('exit', 5_000, 'three exits reported, no further request sent');
      expect([...exits].sort()).toEqual([...pids].sort());
      expect(lines.filter((l) => typeof l.exit === 'number').every((l) => l.code === 70)).toBe(true);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
