/**
 * Raw round-trip floor of the runner transport: a trivial Python echo over the same pipes (fd 3 / fd 4) and the
 * same framing as the runner, without any runner logic. The benchmark compares pool latency against it.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { FrameDecoder, encodeFrame } from './protocol.js';

const ECHO_PY = `
import json, os
r, w = 3, 4
buf = b''
while True:
    while len(buf) < 4 or len(buf) < 4 + int.from_bytes(buf[:4], 'big'):
        chunk = os.read(r, 65536)
        if not chunk:
            os._exit(0)
        buf += chunk
    n = 4 + int.from_bytes(buf[:4], 'big')
    msg = json.loads(buf[4:n])
    buf = buf[n:]
    data = json.dumps({'c': 'done', 'id': msg['id'], 'o': {'status': 'success', 'result': None}}, separators=(',', ':')).encode()
    os.write(w, len(data).to_bytes(4, 'big') + data)
`;

export interface PipeRoundTripOptions {
  /** Absolute path of the Python interpreter. */
  python: string;
  /** Measured round trips (default 5000). */
  iterations?: number;
  /** Unmeasured round trips first (default 200). */
  warmup?: number;
}

/** Latencies (ms) of `iterations` sequential echo round trips, sorted ascending. */
export async function measurePipeRoundTrip(options: PipeRoundTripOptions): Promise<number[]> {
  const iterations = options.iterations ?? 5000;
  const warmup = options.warmup ?? 200;
  const child = spawn(options.python, ['-c', ECHO_PY], { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] });
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  child.stdout?.resume();
  child.stderr?.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let waiting: (() => void) | null = null;
    const decoder = new FrameDecoder(() => {
      const w = waiting;
      waiting = null;
      w?.();
    });
    output.on('data', (chunk: Buffer) => decoder.push(chunk));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the echo process exited with code ${code}`)));
    });
    failed.catch(() => undefined);
    const task = {
      id: 'roundtrip',
      funcId: 'x__y.f',
      scriptId: 'x__y',
      funcName: 'f',
      kwargs: {},
      origin: 'direct' as const,
      originId: '',
      queue: 1,
      triggerTime: 0,
      expiresAt: 0,
    };
    const once = (id: number): Promise<void> => {
      const p = new Promise<void>((resolve) => (waiting = resolve));
      input.write(encodeFrame({ c: 'run', id, task, md5: 'x' }));
      return Promise.race([p, failed]);
    };
    for (let i = 0; i < warmup; i++) await once(i);
    const out: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = process.hrtime.bigint();
      await once(i);
      out.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return out.sort((a, b) => a - b);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}
