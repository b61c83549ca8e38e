/**
 * Sync results straight from the worker to the waiting server, skipping Redis on the way back:
 * one hop and one script less per sync call. A server listens on `FUNC_REPLY_HOST` (127.0.0.1 by
 * default) on a port the system picks; the task of a waiter carries that address and the
 * listener's random token. A worker opens one connection per server, sends the token and waits
 * for `ok` before it sends results there; until then, and whenever that connection is gone, its
 * results go through Redis as before (pub/sub with a kept copy), so a worker that cannot reach the
 * server (another host, a firewall, a different server on that port) loses nothing. Frames are
 * lines of JSON (JSON escapes the newlines inside strings).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface ReplyAddress {
  host: string;
  port: number;
  token: string;
}

/** A connection that failed is not tried again for this long (its results use Redis meanwhile). */
const RETRY_AFTER_MS = 5000;
/** Longest line accepted before the token was checked. */
const MAX_HELLO = 256;

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Splits a socket's text into lines. */
function onLines(socket: Socket, line: (text: string) => boolean): void {
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buf += chunk;
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const text = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line(text)) return;
      nl = buf.indexOf('\n');
    }
  });
}

/** The server's side: accepts workers that know the token and hands their result lines on. */
export class ReplyListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly token = randomBytes(16).toString('hex');
  address: ReplyAddress | undefined;

  constructor(private readonly onMessage: (json: string) => void) {}

  async listen(host: string): Promise<ReplyAddress> {
    const server = createServer((socket) => this.accept(socket));
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
    socket.on('close', () => this.sockets.delete(socket));
    let known = false;
    const hello = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', () => {
      if (!known && socket.bytesRead > MAX_HELLO) socket.destroy();
    });
    onLines(socket, (text) => {
      if (known) {
        this.onMessage(text);
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
    });
  }

  close(): void {
    this.server?.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}

interface Conn {
  socket: Socket;
  ready: boolean;
  failedAt?: number;
}

/** The worker's side: one verified connection per waiting server. */
export class ReplySender {
  private readonly conns = new Map<string, Conn>();
  private closed = false;

  /**
   * Sends a result line to the server at `to`; false when there is no verified connection to it
   * (one is opened for the next results): the caller publishes through Redis instead.
   */
  send(to: ReplyAddress, json: string): boolean {
    if (this.closed) return false;
    const key = `${to.host}|${to.port}|${to.token}`;
    const c = this.conns.get(key);
    if (c?.ready && c.socket.writable) {
      c.socket.write(`${json}\n`);
      return true;
    }
    if (!c || (c.failedAt !== undefined && Date.now() - c.failedAt > RETRY_AFTER_MS)) this.open(key, to);
    return false;
  }

  private open(key: string, to: ReplyAddress): void {
    // Forget servers long gone (each restart of a server brings a new token).
    for (const [k, old] of this.conns) if (old.failedAt !== undefined && Date.now() - old.failedAt > 12 * RETRY_AFTER_MS) this.conns.delete(k);
    const socket = connect({ host: to.host, port: to.port });
    const c: Conn = { socket, ready: false };
    this.conns.set(key, c);
    socket.setNoDelay(true);
    socket.unref();
    const fail = (): void => {
      c.ready = false;
      c.failedAt ??= Date.now();
      socket.destroy();
    };
    socket.on('error', fail);
    socket.on('close', fail);
    socket.on('connect', () => socket.write(`${to.token}\n`));
    onLines(socket, (text) => {
      if (text === 'ok' && c.failedAt === undefined) c.ready = true;
      return true;
    });
  }

  close(): void {
    this.closed = true;
    for (const c of this.conns.values()) c.socket.destroy();
    this.conns.clear();
  }
}
