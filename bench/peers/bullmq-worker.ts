/**
 * The BullMQ peer: a Node + BullMQ worker that forwards each job to one of BENCH_CHILDREN
 * long-lived python3 children over a pipe (JSON lines) and completes the job on the reply.
 * Jobs go to the child with the fewest requests pending (with concurrency > children, requests
 * are pipelined). Prints `ready` once connected; starts taking jobs on a `run` line on stdin.
 * Env: BENCH_REDIS_URL, BENCH_QUEUE, BENCH_PREFIX, BENCH_CHILDREN (2), BENCH_CONCURRENCY (2), BENCH_PYTHON.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'bullmq';

interface Child {
  proc: ChildProcessWithoutNullStreams;
  pending: Map<number, () => void>;
}

const url = new URL(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0');
const queue = process.env.BENCH_QUEUE ?? 'bench';
const prefix = process.env.BENCH_PREFIX ?? 'bull';
const nChildren = Number(process.env.BENCH_CHILDREN ?? 2);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 2);
const python = process.env.BENCH_PYTHON ?? 'python3';

const children: Child[] = Array.from({ length: nChildren }, () => {
  const proc = spawn(python, ['-u', join(import.meta.dirname, 'echo_child.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const child: Child = { proc, pending: new Map() };
  proc.stderr.pipe(process.stderr);
  createInterface({ input: proc.stdout }).on('line', (line) => {
    const { id } = JSON.parse(line) as { id: number };
    const done = child.pending.get(id);
    child.pending.delete(id);
    done?.();
  });
  return child;
});

let seq = 0;
function forward(data: unknown): Promise<null> {
  let child = children[0]!;
  for (const c of children) if (c.pending.size < child.pending.size) child = c;
  const id = ++seq;
  return new Promise((resolve) => {
    child.pending.set(id, () => resolve(null));
    child.proc.stdin.write(`${JSON.stringify({ id, data })}\n`);
  });
}

const worker = new Worker(queue, (job) => forward(job.data), {
  connection: { host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0), maxRetriesPerRequest: null },
  prefix,
  concurrency,
  autorun: false,
});
worker.on('error', (err) => console.error(`bullmq worker: ${String(err)}`));
await worker.waitUntilReady();
console.log('ready');

const shutdown = async (): Promise<void> => {
  await worker.close();
  for (const c of children) c.proc.kill();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'run') void worker.run();
});
