/** Stops the stack started by global-setup (its process group: tsx, node, Python) and removes its FUNC_HOME. */
import { rmSync } from 'node:fs';
import { STATE_FILE, stack } from './stack.js';

export default async function globalTeardown(): Promise<void> {
  const s = stack();
  try {
    process.kill(-s.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(s.pid, 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(-s.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  rmSync(s.home, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
}
