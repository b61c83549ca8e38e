/**
 * Framed protocol between the runner pool and a Python runner process (`backend/python/protocol.py`).
 *
 * Transport: dedicated pipes, the child is spawned with stdio `['ignore', 'pipe', 'pipe', 'pipe', 'pipe']`:
 * fd 3 = Node → Python, fd 4 = Python → Node. fd 1/2 (user prints that escaped the capture) are drained
 * and never parsed. Frame = 4-byte big-endian length + UTF-8 JSON object. A Python → Node frame whose length
 * word has its top bit set (BODY_FLAG) carries a raw body after the message: 4-byte length of the JSON, the
 * JSON, then the body's bytes (UTF-8 text), given to the message as `body` (a `done` of RESP_LARGE_DATA: the
 * body it answers, sent without being escaped into the outcome once more).
 *
 * Every message has a command `c` and a numeric `id`:
 *
 * Node → Python
 * - `run`      `{ id, task: RunTask, md5, inv?, rt? }` run one task (`md5` of the main script, `inv: 1` = drop every
 *              cached user script first because an imported script changed, `rt` = `[host, port, token]` of
 *              the waiting server's reply listener: the result goes there too, `backend/python/direct_reply.py`).
 * - `discover` `{ id, scriptId, code }` import `code` in a fresh namespace, list its `@DFF.API` functions.
 * - `reply`    `{ id, r }` or `{ id, e }` answer to the Python `call` `id` (`e` = error message).
 *
 * Python → Node
 * - `ready`    `{ pid, asLimitMb? }` once, after start-up.
 * - `done`     `{ id, o, ld?, exit?, sent? }` end of a run (`o` = TaskOutcome) or discover (`o` = DiscoverOutcome);
 *              `sent: 1` = the result line reached the `rt` listener in full (the worker does not send it);
 *              `ld` = full map scriptId → md5 of published scripts loaded in the process (when it changed);
 *              `exit: 1` = the process exits right after (after a MemoryError).
 * - `call`     `{ id, member, method, args }` synchronous host call: member STORE | CACHE | ENV | FUNC, or
 *              `getScript` with args `[scriptId, draft]` (reply `{ code, md5 } | null`).
 * - `log`      `{ id, line }` a print / DFF.LOG line streamed during a draft (debug) task.
 * - `live`     `{ id, lines }` a batch of the live view's lines (any task running longer than 0.5 s,
 *              a debug run at once; rate-limited in Python, see dff.py): relayed to subscribers only.
 *
 * Host call args (scope always resolved by Python: `scope=` or the calling script id):
 * - ENV get `[name]`; FUNC call `[funcId, kwargs, { queue?, timeout?, expires? }]` → task id.
 * - STORE set `[scope, key, value, expires, notExists]`, get/delete `[scope, key]`, keys `[scope, pattern]`.
 * - CACHE `[scope, key, ...rest]`: get/delete/ttl/exists/hgetall/lpop/rpop/llen `[scope, key]`,
 *   set `[scope, key, value, expires, notExists]`, getset `[scope, key, value]`, incr/incrby `[scope, key, step]`,
 *   expire `[scope, key, seconds]`, keys `[scope, pattern]`, hget `[scope, key, field]`,
 *   hset `[scope, key, field, value]`, hmget/hdel `[scope, key, fields[]]`, hmset `[scope, key, {field: value}]`,
 *   lpush/rpush `[scope, key, value]`, lrange `[scope, key, start, stop]`.
 */
import type { TaskMessage } from '../../domain/tasks/task.js';

export type Command = 'run' | 'discover' | 'reply' | 'ready' | 'done' | 'call' | 'log' | 'live';

/** The part of a TaskMessage the Python side needs. */
export type RunTask = Pick<
  TaskMessage,
  | 'id'
  | 'funcId'
  | 'scriptId'
  | 'funcName'
  | 'kwargs'
  | 'origin'
  | 'originId'
  | 'queue'
  | 'triggerTime'
  | 'askedEta'
  | 'delay'
  | 'rootTaskId'
  | 'callChain'
  | 'cronExpr'
  | 'cronJobExecMode'
  | 'httpRequest'
  | 'draft'
> & {
  /** Epoch ms by the real clock after which the task is not started any more (0: never expires). */
  expiresAt: number;
};

export type ToPython =
  | { c: 'run'; id: number; task: RunTask; md5: string; inv?: 1; rt?: [host: string, port: number, token: string] }
  | { c: 'discover'; id: number; scriptId: string; code: string }
  | { c: 'reply'; id: number; r?: unknown; e?: string };

export type FromPython =
  | { c: 'ready'; id?: number; pid: number; asLimitMb?: number }
  | { c: 'done'; id: number; o: unknown; ld?: Record<string, string>; exit?: 1; sent?: 1; body?: string }
  | { c: 'call'; id: number; member: string; method: string; args: unknown[] }
  | { c: 'log'; id: number; line: string }
  | { c: 'live'; id: number; lines: string[] };

/** One protocol message, either direction. */
export type Message = ToPython | FromPython;

export const MAX_FRAME_BYTES = 1 << 30;
/** Top bit of a frame's length word: a raw body follows the JSON message (Python → Node only). */
export const BODY_FLAG = 0x80000000;

/** Length-prefixed UTF-8 JSON frame of one message. */
export function encodeFrame(msg: Message): Buffer {
  const json = JSON.stringify(msg);
  const len = Buffer.byteLength(json);
  const buf = Buffer.allocUnsafe(len + 4);
  buf.writeUInt32BE(len, 0);
  buf.write(json, 4, len, 'utf8');
  return buf;
}

/** Splits a byte stream into frames and parses each one. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly onMessage: (msg: unknown) => void) {}

  /** Feed bytes; calls `onMessage` for every complete frame. Throws on a corrupt stream. */
  push(chunk: Buffer): void {
    let data: Buffer;
    if (this.size === 0) {
      data = chunk;
    } else {
      this.chunks.push(chunk);
      this.size += chunk.length;
      if (this.size < 4) return;
      const first = this.chunks[0]!;
      const need = 4 + ((first.length >= 4 ? first.readUInt32BE(0) : Buffer.concat(this.chunks).readUInt32BE(0)) & 0x7fffffff);
      if (this.size < need) return;
      data = Buffer.concat(this.chunks, this.size);
      this.chunks = [];
      this.size = 0;
    }
    let off = 0;
    const total = data.length;
    while (total - off >= 4) {
      const word = data.readUInt32BE(off);
      const len = word & 0x7fffffff;
      if (len > MAX_FRAME_BYTES) throw new Error(`protocol frame too large (${len} bytes)`);
      const end = off + 4 + len;
      if (end > total) break;
      if (word >= BODY_FLAG) {
        const jsonEnd = off + 8 + data.readUInt32BE(off + 4);
        if (len < 4 || jsonEnd > end) throw new Error('protocol frame with a body: bad message length');
        const msg = JSON.parse(data.toString('utf8', off + 8, jsonEnd)) as Record<string, unknown>;
        msg.body = data.toString('utf8', jsonEnd, end);
        off = end;
        this.onMessage(msg);
        continue;
      }
      const text = data.toString('utf8', off + 4, end);
      off = end;
      this.onMessage(JSON.parse(text) as unknown);
    }
    if (off < total) {
      const rest = data.subarray(off);
      this.chunks = [rest];
      this.size = rest.length;
    }
  }
}
