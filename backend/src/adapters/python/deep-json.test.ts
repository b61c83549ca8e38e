/**
 * The Python process survives any JSON it is given: a task (or a host call's answer) nested deeper
 * than Python's decoder goes fails that task, and the same process runs the next one.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuncRunnerPool, RunnerHost } from '../../domain/ports/runner.js';
import type { TaskMessage } from '../../domain/tasks/task.js';
import { createRunnerPool } from './runner-pool.js';

const CODE = `
import os

def pid():
    return os.getpid()

def take(v):
    return 'took it'

def read_env():
    try:
        DFF.ENV('DEEP')
        return 'read it'
    except Exception as e:
        return '%s: %s / %s' % (type(e).__name__, e, os.getpid())
`;
const md5 = createHash('md5').update(CODE).digest('hex');

/** [[[…]]] `levels` deep. */
const nested = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};

const host: RunnerHost = {
  getScript: () => Promise.resolve({ code: CODE, md5 }),
  call: (member) => Promise.resolve(member === 'ENV' ? nested(1500) : null),
};

let seq = 0;
const task = (funcName: string, kwargs: Record<string, unknown> = {}): TaskMessage => ({
  id: `deep-${++seq}`,
  funcId: `deep__main.${funcName}`,
  scriptId: 'deep__main',
  funcName,
  kwargs,
  origin: 'direct',
  originId: 'x',
  queue: 1,
  timeoutMs: 10_000,
  expiresAt: Date.now() + 60_000,
  triggerTime: Date.now(),
});

let pool: FuncRunnerPool;
beforeAll(async () => {
  pool = await createRunnerPool({ python: '/usr/bin/python3', processes: 1, memoryLimitMb: 0, host });
});
afterAll(async () => pool.close());

describe('JSON nested deeper than Python decodes', () => {
  it('fails the task that carries it, in the same process', async () => {
    const before = (await pool.run(task('pid'), md5)).result;
    expect(typeof before).toBe('number');
    for (const levels of [990, 1500]) {
      const o = await pool.run(task('take', { v: nested(levels) }), md5);
      expect(o, `${levels} levels`).toMatchObject({ status: 'failure', reason: 'EFuncFailed', exceptionType: 'RecursionError' });
    }
    // Deeper than Node itself encodes: the task fails before it reaches Python.
    const o = await pool.run(task('take', { v: nested(100_000) }), md5);
    expect(o.status, JSON.stringify(o)).toBe('failure');
    expect((await pool.run(task('pid'), md5)).result).toBe(before);
    expect(pool.stats().restarts).toBe(0);
  });

  it('fails a host call whose answer is nested too deeply, not the process', async () => {
    const before = (await pool.run(task('pid'), md5)).result as number;
    const o = await pool.run(task('read_env'), md5);
    expect(o.status).toBe('success');
    expect(o.result).toBe(`HostCallError: the answer is nested too deeply to decode / ${before}`);
    expect((await pool.run(task('pid'), md5)).result).toBe(before);
  });
});
