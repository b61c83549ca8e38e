/**
 * The fork server: one Python process per interpreter, runtime, user and environment that has
 * imported the runner's modules and forks a runner on request (backend/python/fork_server.py).
 * A forked runner is ready in a few milliseconds, where a new interpreter takes 60-120 ms, and
 * this process does not fork itself (libuv's fork of a big Node process blocks its event loop
 * for 5-17 ms per runner). docs/runner-protocol.md, "The fork server".
 *
 * The forked runner reaches this process over a Unix socket (a Linux abstract address, private to
 * this process's lifetime): it connects twice, with a one-time token, once for its channel and once
 * for its stderr. Its exit status comes from the fork server, which is its parent and reaps it.
 * When the fork server ends, its runners end with it (their parent-death signal).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { killProcessTree } from './process-tree.js';
import { killOnExit, launchSettings, spawnRunner, type RunnerIo, type RunnerLaunch } from './runner-io.js';

const STDERR_TAIL = 4000;
const HELLO_MAX = 128;
const HELLO_TIMEOUT_MS = 10_000;
/** How long a runner's exit waits for the rest of its stderr. */
const STDERR_WAIT_MS = 500;

type ExitCb = (code: number | null, signal: NodeJS.Signals | null) => void;

/** A runner forked by the fork server, as RunnerProcess sees it (exported for its tests). */
export class ForkedRunner implements RunnerIo {
  private forkedPid = -1;
  /** Started as a new interpreter instead: the fork server could not start. */
  private delegate: RunnerIo | null = null;
  readonly token = randomBytes(16).toString('hex');
  private channel: Socket | null = null;
  /** Frames written before the runner connected. */
  private queued: Buffer[] = [];
  private ended = false;
  private corks = 0;
  private pendingKill: NodeJS.Signals | null = null;
  private gone = false;
  private outputClosed = false;
  private stderr: Socket | null = null;
  private stderrOpen = false;
  private afterStderr: (() => void) | undefined;
  private dataCb: (chunk: Buffer) => void = () => undefined;
  private closeCb: () => void = () => undefined;
  private stderrCb: (chunk: Buffer) => void = () => undefined;
  private exitCb: ExitCb = () => undefined;
  private errorCb: (err: Error) => void = () => undefined;

  constructor(
    readonly args: string[],
    private readonly forget: () => void,
  ) {}

  get pid(): number {
    return this.delegate ? this.delegate.pid : this.forkedPid;
  }

  write(frame: Buffer): void {
    if (this.delegate) this.delegate.write(frame);
    else if (this.channel) this.channel.write(frame);
    else this.queued.push(frame);
  }

  cork(): void {
    this.corks++;
    if (this.delegate) this.delegate.cork();
    else this.channel?.cork();
  }

  uncork(): void {
    if (this.corks > 0) this.corks--;
    if (this.delegate) this.delegate.uncork();
    else this.channel?.uncork();
  }

  end(): void {
    this.ended = true;
    if (this.delegate) this.delegate.end();
    else this.channel?.end();
    // Not connected yet: it reads EOF as soon as it is.
  }

  kill(signal: NodeJS.Signals): void {
    if (this.gone) return;
    if (this.delegate) this.delegate.kill(signal);
    else if (this.pid > 0) {
      try {
        process.kill(this.pid, signal);
      } catch {
        // already gone
      }
    } else this.pendingKill = signal;
  }

  onData(cb: (chunk: Buffer) => void): void {
    this.dataCb = cb;
  }
  onOutputClose(cb: () => void): void {
    this.closeCb = cb;
  }
  onStderr(cb: (chunk: Buffer) => void): void {
    this.stderrCb = cb;
  }
  onExit(cb: ExitCb): void {
    this.exitCb = cb;
  }
  onError(cb: (err: Error) => void): void {
    this.errorCb = cb;
  }

  /** The fork server forked it. */
  forked(pid: number): void {
    this.forkedPid = pid;
    if (this.pendingKill) this.kill(this.pendingKill);
  }

  /** The fork server could not start: `io`, a runner started as a new interpreter, takes its place. */
  adopt(io: RunnerIo): void {
    this.delegate = io;
    io.onData((chunk) => this.dataCb(chunk));
    io.onOutputClose(() => this.closeOutput());
    io.onStderr((chunk) => this.stderrCb(chunk));
    io.onError((err) => this.errorCb(err));
    io.onExit((code, signal) => {
      if (this.gone) return;
      this.gone = true;
      this.forget();
      this.exitCb(code, signal);
    });
    for (const frame of this.queued) io.write(frame);
    this.queued = [];
    for (let i = 0; i < this.corks; i++) io.cork();
    if (this.ended) io.end();
    if (this.pendingKill) io.kill(this.pendingKill);
  }

  attachChannel(socket: Socket): void {
    if (this.gone || this.channel) {
      socket.destroy();
      return;
    }
    this.channel = socket;
    socket.on('error', () => undefined); // a reset when it died: reported by its exit
    socket.on('data', (chunk: Buffer) => this.dataCb(chunk));
    socket.once('close', () => this.closeOutput());
    for (let i = 0; i < this.corks; i++) socket.cork();
    if (this.queued.length > 0) socket.write(this.queued.length === 1 ? this.queued[0]! : Buffer.concat(this.queued));
    this.queued = [];
    if (this.ended) socket.end();
  }

  attachStderr(socket: Socket): void {
    // Gone and reported already; gone with its report waiting for this connection is read.
    if (this.stderr || (this.gone && !this.afterStderr)) {
      socket.destroy();
      return;
    }
    this.stderr = socket;
    this.stderrOpen = true;
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.stderrCb(chunk));
    socket.once('close', () => {
      this.stderrOpen = false;
      this.afterStderr?.();
    });
  }

  /** Both its connections came. */
  connected(): boolean {
    return this.channel !== null && this.stderr !== null;
  }

  /** A line about it from the fork server (why it could not start), kept with its stderr. */
  note(line: string): void {
    this.stderrCb(Buffer.from(`${line}\n`));
  }

  /**
   * Reaped by the fork server, or lost with it: reported once what it wrote to stderr is read
   * (500 ms at most). That includes a stderr connection not identified yet: a runner that dies at
   * once may have connected and written (a traceback) before its exit reaches this process, its
   * hello still unread; its token stays known until the report.
   */
  exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.gone) return;
    this.gone = true;
    if (!this.channel) this.closeOutput();
    const stderrMayCome = this.stderrOpen || (this.stderr === null && this.forkedPid > 0);
    const report = (): void => {
      clearTimeout(timer);
      this.afterStderr = undefined;
      this.forget();
      this.exitCb(code, signal);
    };
    const timer = stderrMayCome ? setTimeout(report, STDERR_WAIT_MS) : undefined;
    if (stderrMayCome) this.afterStderr = report;
    else report();
  }

  /** It could not be forked (or the fork server ended before it was). */
  failed(message: string): void {
    if (this.gone) return;
    this.errorCb(new Error(message));
    this.exited(null, null);
  }

  private closeOutput(): void {
    if (this.outputClosed) return;
    this.outputClosed = true;
    this.closeCb();
  }
}

/** One fork server process and the socket its runners connect to. */
class ForkServer {
  private child: ChildProcess | null = null;
  private server: Server | null = null;
  private address = '';
  private nextId = 0;
  /** Asked for and not yet forked, by request id. */
  private readonly asked = new Map<number, ForkedRunner>();
  /** Forked and not yet reaped, by pid, and by request id. */
  private readonly running = new Map<number, ForkedRunner>();
  private readonly forkedById = new Map<number, ForkedRunner>();
  /** Waiting for their connections, by token. */
  private readonly byToken = new Map<string, ForkedRunner>();
  private stderrTail = '';
  private dead = false;
  /** Pools using it; it stops when the last one lets it go. */
  refs = 0;
  /** Answered "ready" once: a later failure is not a start-up failure. */
  wasReady = false;
  /** Stopped on purpose, not broken. */
  stopped = false;
  private readonly ready: Promise<void>;

  constructor(
    private readonly launch: RunnerLaunch,
    private readonly onDead: (server: ForkServer) => void,
  ) {
    this.ready = this.start();
    // Whatever stopped it from starting (the socket, the spawn): its runners are started as before.
    this.ready.catch(() => this.die());
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  private async start(): Promise<void> {
    const server = createServer({ allowHalfOpen: false }, (socket) => this.accept(socket));
    this.server = server;
    this.address = `\0func-runner-${process.pid}-${randomBytes(8).toString('hex')}`;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined); // a failed accept (no descriptors left): that runner's start times out
    server.unref();
    if (this.dead) throw new Error('the fork server was stopped');
    // It stays this process's user: a runner switches to its user once forked, so user code can
    // neither signal the fork server nor read or trace it. A fork server that cannot switch users
    // (a Python without capabilities, as in the Docker image) exits before it is ready: the
    // runners are then started as before.
    const { env, ids } = launchSettings(this.launch);
    const cwd = ids.cwd !== undefined ? { cwd: ids.cwd } : {};
    const args = ['-B', this.launch.script, '--fork-server', ...(this.launch.user ? ['--switch-user'] : [])];
    const child = spawn(this.launch.python, args, { stdio: ['pipe', 'pipe', 'pipe'], env, ...cwd });
    this.child = child;
    const forget = killOnExit(child);
    child.stdin.on('error', () => undefined);
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          this.onLine(line, resolve);
        }
      });
      child.once('error', (err) => {
        this.stderrTail += `\n${err.message}`;
        if (child.pid === undefined) {
          forget();
          this.die();
          reject(new Error(this.why()));
        }
      });
      // 'close', not 'exit': its last lines (a runner's pid, an exit) are read first.
      child.once('close', () => {
        forget();
        this.die();
        reject(new Error(this.why()));
      });
    });
    this.wasReady = true;
  }

  private why(): string {
    const tail = this.stderrTail.trim();
    return `the Python fork server ${this.wasReady ? 'exited' : 'could not be started'}${tail ? `:\n${tail}` : ''}`;
  }

  private onLine(line: string, ready: () => void): void {
    let msg: { ready?: number; id?: number; pid?: number; error?: string; exit?: number; code?: number; signal?: string };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    if (msg.ready !== undefined) ready();
    else if (msg.exit !== undefined) this.running.get(msg.exit)?.exited(msg.code ?? null, (msg.signal as NodeJS.Signals | undefined) ?? null);
    else if (msg.id !== undefined && msg.pid === undefined && msg.error !== undefined && this.forkedById.has(msg.id)) {
      this.forkedById.get(msg.id)?.note(msg.error); // forked, and failed before it could connect
    } else if (msg.id !== undefined) {
      const runner = this.asked.get(msg.id);
      if (!runner) return;
      this.asked.delete(msg.id);
      if (msg.pid !== undefined) {
        this.running.set(msg.pid, runner);
        this.forkedById.set(msg.id, runner);
        runner.forked(msg.pid);
      } else {
        this.byToken.delete(runner.token);
        runner.failed(`the fork server could not fork a runner: ${msg.error ?? 'unknown error'}`);
      }
    }
  }

  /** A runner's first line names its token and which of its connections this is. */
  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    socket.setTimeout(HELLO_TIMEOUT_MS, () => socket.destroy()); // says nothing: not a runner
    let hello = Buffer.alloc(0);
    const onHello = (chunk: Buffer): void => {
      hello = Buffer.concat([hello, chunk]);
      const nl = hello.indexOf(10);
      if (nl < 0) {
        if (hello.length > HELLO_MAX) socket.destroy();
        return;
      }
      socket.off('data', onHello);
      socket.setTimeout(0);
      const [token = '', kind = ''] = hello.subarray(0, nl).toString('latin1').split(' ');
      const runner = this.byToken.get(token);
      if (!runner || (kind !== 'c' && kind !== 'e')) {
        socket.destroy();
        return;
      }
      const rest = hello.subarray(nl + 1);
      if (rest.length > 0) socket.unshift(rest);
      if (kind === 'c') runner.attachChannel(socket);
      else runner.attachStderr(socket);
      if (runner.connected()) this.byToken.delete(token); // used up: no other connection takes its place
    };
    socket.on('data', onHello);
  }

  /** A runner forked from it (the fork happens once the fork server is ready). */
  fork(args: string[]): RunnerIo {
    const id = ++this.nextId;
    const runner: ForkedRunner = new ForkedRunner(args, () => {
      forgetKill();
      this.byToken.delete(runner.token);
      this.running.delete(runner.pid);
      this.forkedById.delete(id);
    });
    const forgetKill = killOnExit(runner);
    if (this.dead) {
      queueMicrotask(() => (this.wasReady ? runner.failed(this.why()) : runner.adopt(spawnRunner({ ...this.launch, args }))));
      return runner;
    }
    this.asked.set(id, runner);
    this.byToken.set(runner.token, runner);
    this.ready.then(
      () => {
        if (this.dead || !this.asked.has(id)) return;
        const address = `@${this.address.slice(1)}`;
        const user = this.launch.user ? { uid: this.launch.user.uid, gid: this.launch.user.gid } : {};
        this.child?.stdin?.write(`${JSON.stringify({ id, args, sock: address, token: runner.token, ...user })}\n`);
      },
      () => undefined, // die() fails it
    );
    return runner;
  }

  /** Stop (its last pool let it go): its runners end with it. */
  stop(): void {
    this.stopped = true;
    this.die();
  }

  private die(): void {
    if (this.dead) return;
    this.dead = true;
    this.onDead(this);
    this.server?.close();
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    const why = this.why();
    // Never ready (an interpreter without what it needs, a broken runtime): its runners are started as before.
    for (const runner of this.asked.values()) {
      this.byToken.delete(runner.token);
      if (this.wasReady || this.stopped) runner.failed(why);
      else runner.adopt(spawnRunner({ ...this.launch, args: runner.args }));
    }
    this.asked.clear();
    // Their parent-death signal kills them; do it now, with what their tasks started, so none
    // outlives its report (and none without ctypes, where that signal cannot be set).
    for (const [pid, runner] of this.running) {
      killProcessTree(pid);
      runner.exited(null, 'SIGKILL');
    }
    this.running.clear();
    this.forkedById.clear();
    this.byToken.clear();
  }
}

const servers = new Map<string, ForkServer>();
/** Launch settings whose fork server could not start: their runners are spawned. */
const broken = new Set<string>();

function keyOf(launch: RunnerLaunch): string {
  const { env, ids } = launchSettings(launch);
  return JSON.stringify([launch.python, launch.script, ids, Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1))]);
}

/** Handle of one pool on the fork server of its launch settings. */
export interface ForkServerLease {
  /** A runner forked with these arguments, or null when the fork server cannot be used (spawn one). */
  fork(args: string[]): RunnerIo | null;
  /** Start the fork server now (a pool's first runner then waits for nothing but the fork). */
  warm(): void;
  /** The fork server's pid, -1 when none runs. */
  readonly pid: number;
  release(): void;
}

/** The fork server for these launch settings, shared by every pool of this process that has them. */
export function leaseForkServer(launch: Omit<RunnerLaunch, 'args'>): ForkServerLease {
  const key = keyOf({ ...launch, args: [] });
  let held: ForkServer | null = null;
  let released = false;
  const current = (): ForkServer | null => {
    if (released || broken.has(key)) return null;
    if (held && servers.get(key) !== held) held = null; // it died: take the next one
    if (!held) {
      let server = servers.get(key);
      if (!server) {
        server = new ForkServer({ ...launch, args: [] }, (s) => {
          if (servers.get(key) === s) servers.delete(key);
          if (!s.wasReady && !s.stopped) broken.add(key);
        });
        servers.set(key, server);
      }
      server.refs++;
      held = server;
    }
    return held;
  };
  const letGo = (): void => {
    if (!held) return;
    const server = held;
    held = null;
    if (--server.refs <= 0 && servers.get(key) === server) {
      servers.delete(key);
      server.stop();
    }
  };
  return {
    fork: (args) => current()?.fork(args) ?? null,
    warm: () => void current(),
    get pid() {
      return held?.pid ?? -1;
    },
    release: () => {
      released = true;
      letGo();
    },
  };
}
