/**
 * Sync results straight from the worker to the waiting server, skipping Redis on the way back:
 * one hop and one script less per sync call. A server listens on `FUNC_REPLY_HOST` (a loopback
 * address, 127.0.0.1 by default) on a port the system picks; the task of a waiter carries that
 * address and the listener's random token. A worker opens one connection per server, sends the
 * token and waits for `ok` before it sends results there; until then, and whenever that
 * connection is gone or backed up, its results go through Redis as before (pub/sub with a kept
 * copy), so a worker that cannot reach the server (another host, a different server on that
 * port) loses nothing. Loopback only: a connection on one host does not go half-open, so a
 * written result reaches a live server, and a dead server has lost its caller anyway. Frames
 * are lines of JSON (JSON escapes the newlines inside strings).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { ReplyRoute } from '../../../domain/ports/broker.js';

/** A connection that failed is not tried again for this long (its results use Redis meanwhile). */
const RETRY_AFTER_MS = 5000;
/** The token and its `ok` must be through within this long. */
const HANDSHAKE_MS = 5000;
/** Longest line accepted before the token was checked, and after. */
const MAX_HELLO = 256;
const MAX_LINE = 256 * 1024 * 1024;
/** A connection with more than this waiting to be written is skipped (Redis takes the result). */
const MAX_BACKLOG = 8 * 1024 * 1024;
/** Connections one listener keeps at once (workers are a handful per server). */
const MAX_CONNECTIONS = 1024;

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Splits a socket's text into lines (each chunk searched once, however long a line gets); a line
 * longer than `max()` closes the socket. `line` answers false to stop reading.
 */
function onLines(socket: Socket, max: () => number, line: (text: string) => boolean): void {
  let parts: string[] = [];
  let size = 0;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      parts.push(chunk.slice(start, nl));
      const text = parts.length === 1 ? parts[0]! : parts.join('');
      parts = [];
      size = 0;
      start = nl + 1;
      if (!line(text)) return;
    }
    if (start < chunk.length) {
      parts.push(start === 0 ? chunk : chunk.slice(start));
      size += chunk.length - start;
      if (size > max()) socket.destroy();
    }
  });
}

/** What a verified connection's `!` lines and its end go to (the hand-offs, `hand-offs.ts`). */
export interface ControlLines {
  control(socket: Socket, text: string): void;
  closed(socket: Socket): void;
}

/** The server's side: accepts workers that know the token and hands their result lines on. */
export class ReplyListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly token = randomBytes(16).toString('hex');
  address: ReplyRoute | undefined;

  constructor(
    private readonly onMessage: (json: string) => void,
    private readonly controls?: ControlLines,
  ) {}

  async listen(host: string): Promise<ReplyRoute> {
    const server = createServer((socket) => this.accept(socket));
    server.maxConnections = MAX_CONNECTIONS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    this.server = server;
    this.address = { host, port: (server.address() as AddressInfo).port, token: this.token };
    return this.address;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.controls?.closed(socket);
    });
    let known = false;
    const hello = setTimeout(() => socket.destroy(), HANDSHAKE_MS);
    onLines(
      socket,
      () => (known ? MAX_LINE : MAX_HELLO),
      (text) => {
        if (known) {
          // Whatever a line holds, it must not take the server down.
          try {
            if (text.charCodeAt(0) === 33 /* ! */) this.controls?.control(socket, text.slice(1));
            else this.onMessage(text);
          } catch {
            // ignored: not a result this server waits for
          }
          return true;
        }
        clearTimeout(hello);
        if (!sameToken(text, this.token)) {
          socket.destroy();
          return false;
        }
        known = true;
        socket.write('ok\n');
        return true;
      },
    );
  }

  close(): void {
    this.server?.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}

export interface Conn {
  socket: Socket;
  ready: boolean;
  failedAt?: number;
}

/** What the worker's side does with a verified connection and the `!` lines that come down it. */
export interface ConnLines {
  ready(conn: Conn): void;
  control(conn: Conn, text: string): void;
}

/** The worker's side: one verified connection per waiting server. */
export class ReplySender {
  private readonly conns = new Map<string, Conn>();
  private closed = false;

  constructor(private readonly lines?: ConnLines) {}

  /** Open a connection to `to` unless there is one (or one failed lately). */
  connect(to: ReplyRoute): void {
    if (this.closed) return;
    const key = `${to.host}|${to.port}|${to.token}`;
    const c = this.conns.get(key);
    if (!c || (c.failedAt !== undefined && Date.now() - c.failedAt > RETRY_AFTER_MS)) this.open(key, to);
  }

  /** The verified connections. */
  *ready(): IterableIterator<Conn> {
    for (const c of this.conns.values()) if (c.ready && c.socket.writable) yield c;
  }

  /**
   * Sends a result line to the server at `to`; false when there is no verified connection to it
   * (one is opened for the next results): the caller publishes through Redis instead.
   */
  send(to: ReplyRoute, json: string): boolean {
    if (this.closed) return false;
    const key = `${to.host}|${to.port}|${to.token}`;
    const c = this.conns.get(key);
    if (c?.ready && c.socket.writable && c.socket.writableLength < MAX_BACKLOG) {
      c.socket.write(`${json}\n`);
      return true;
    }
    if (!c || (c.failedAt !== undefined && Date.now() - c.failedAt > RETRY_AFTER_MS)) this.open(key, to);
    return false;
  }

  private open(key: string, to: ReplyRoute): void {
    // Forget servers long gone (each restart of a server brings a new token).
    for (const [k, old] of this.conns) if (old.failedAt !== undefined && Date.now() - old.failedAt > 12 * RETRY_AFTER_MS) this.conns.delete(k);
    const socket = connect({ host: to.host, port: to.port });
    const c: Conn = { socket, ready: false };
    this.conns.set(key, c);
    socket.setNoDelay(true);
    socket.unref();
    const handshake = setTimeout(() => fail(), HANDSHAKE_MS);
    handshake.unref();
    const fail = (): void => {
      clearTimeout(handshake);
      c.ready = false;
      c.failedAt ??= Date.now();
      socket.destroy();
    };
    socket.on('error', fail);
    socket.on('close', fail);
    socket.on('connect', () => socket.write(`${to.token}\n`));
    onLines(
      socket,
      () => (c.ready ? MAX_LINE : MAX_HELLO),
      (text) => {
        if (c.ready) {
          if (text.charCodeAt(0) === 33 /* ! */) this.lines?.control(c, text.slice(1));
        } else if (text === 'ok' && c.failedAt === undefined) {
          clearTimeout(handshake);
          c.ready = true;
          this.lines?.ready(c);
        }
        return true;
      },
    );
  }

  /** Stops sending; what was written is still delivered (the connections end, not reset). */
  close(): void {
    this.closed = true;
    for (const c of this.conns.values()) c.socket.end();
    this.conns.clear();
  }
}
