/** Reading where a timed-out runner was from faulthandler's dump (as CPython 3.11 writes it). */
import { describe, expect, it } from 'vitest';
import { stuckAt } from './stuck-stack.js';

const WORKER_THREAD = `Thread 0x00007f0000000002 (most recent call first):
  File "<demo__main>", line 20 in spin
  File "/usr/lib/python3.11/threading.py", line 975 in run
  File "/usr/lib/python3.11/threading.py", line 1038 in _bootstrap_inner
  File "/usr/lib/python3.11/threading.py", line 995 in _bootstrap
`;

describe('stuckAt', () => {
  it("takes the runner's main thread (the one in its loop), with its script frames only", () => {
    const dump = `${WORKER_THREAD}
Current thread 0x00007f0000000001 (most recent call first):
  File "/opt/func/python/dff.py", line 300 in call
  File "<demo__lib>", line 7 in helper
  File "<frozen importlib._bootstrap>", line 241 in _call_with_frames_removed
  File "<demo__main>", line 12 in outer
  File "/opt/func/python/func_runner_core.py", line 190 in execute
  File "/opt/func/python/func_runner_core.py", line 125 in loop
  File "/opt/func/python/func_runner.py", line 9 in <module>
`;
    expect(stuckAt(dump)).toEqual({
      traceback: 'Traceback (most recent call last):\n  File "<demo__main>", line 12, in outer\n  File "<demo__lib>", line 7, in helper\n',
      line: 7,
    });
    expect(stuckAt(dump, 'demo__main')?.line).toBe(12);
  });

  it('falls back to the last thread listed when faulthandler cut the main stack at 100 frames (its loop frame gone)', () => {
    const deep = Array.from({ length: 100 }, () => '  File "<demo__main>", line 3 in recurse').join('\n');
    expect(stuckAt(`${WORKER_THREAD}\nCurrent thread 0x00007f0000000001 (most recent call first):\n${deep}\n  ...\n`)?.line).toBe(3);
  });

  it('says nothing when no script frame is there (stuck in the runtime, or no dump)', () => {
    expect(stuckAt('')).toBeNull();
    expect(stuckAt('Current thread 0x00007f0000000001 (most recent call first):\n  File "/opt/func/python/func_runner_core.py", line 125 in loop\n')).toBeNull();
  });
});
