/**
 * What a runner's start costs (issue 20, the first call after idling): the entry script stays a
 * stub (a script is compiled from source at every start, its imports come from bytecode), and the
 * runtime imports no module at start that only some members use (hashlib alone loads OpenSSL).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PYTHON = process.env.FUNC_PYTHON ?? '/usr/bin/python3';
const SOURCE = fileURLToPath(new URL('../../../python/', import.meta.url));

/** Runs `code` with the runtime's folder as the current one (as the runner's own imports resolve). */
function python(code: string): string {
  const r = spawnSync(PYTHON, ['-B', '-c', code], { cwd: SOURCE, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe('a runner start', () => {
  it('imports none of the modules that only some DFF members use', () => {
    // Everything func_runner_core.main imports before it answers ready.
    const loaded = python(
      "import sys, func_runner_core; print(','.join(m for m in ('hashlib', '_hashlib', 'hmac', 'uuid', 'decimal', 'random', 'string', 'socket') if m in sys.modules))",
    );
    expect(loaded).toBe('');
  });

  it('imports them on first use, from a member that needs one', () => {
    expect(python("import sys, dff, dff_members; dff.SIGN.md5('x'); dff.new_uuid4(); print('hashlib' in sys.modules, 'uuid' in sys.modules)")).toBe('True True');
    expect(python("import decimal, dff; print(dff.is_decimal(decimal.Decimal('1')), dff.is_decimal(1.0), dff.is_decimal('1'))")).toBe('True False False');
  });

  it('still answers a sync caller straight (direct_reply.py imports socket on its first connection)', () => {
    // A failure there is silent by design (the worker sends the result instead): check the line arrives.
    const out = python(
      [
        'import json, socket as s, threading, time, direct_reply',
        "srv = s.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()",
        'got = []',
        'def serve():',
        '    c, _ = srv.accept(); f = c.makefile("rb"); got.append(f.readline().decode()); c.sendall(b"ok\\n"); got.append(f.readline().decode())',
        'threading.Thread(target=serve, daemon=True).start()',
        "sender, rt, sent = direct_reply.ReplySender(), ['127.0.0.1', srv.getsockname()[1], 'tok'], False",
        'for _ in range(300):',
        '    sent = sender.send(rt, b\'{"taskId":"t1"}\\n\')',
        '    if sent: break',
        '    time.sleep(0.01)',
        'for _ in range(300):',
        '    if len(got) == 2: break',
        '    time.sleep(0.01)',
        'print(json.dumps([sent, got]))',
      ].join('\n'),
    );
    expect(JSON.parse(out)).toEqual([true, ['tok\n', '{"taskId":"t1"}\n']]);
  });

  it('starts from an entry stub that only imports func_runner_core (compiled from source at every start)', () => {
    const entry = readFileSync(join(SOURCE, 'func_runner.py'), 'utf8');
    const code = entry.replace(/"""[\s\S]*?"""/, '').trim();
    expect(code.split('\n').filter((l) => l.trim() !== '').length).toBeLessThanOrEqual(5);
    expect(code).toContain('from func_runner_core import main');
    // Imported (not run as the entry), it does nothing: no main() reading fds 3 and 4.
    expect(python("import func_runner; print('main' in vars(func_runner))")).toBe('False');
  });
});
