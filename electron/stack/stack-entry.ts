/**
 * The embedded stack in its own process (Electron utilityProcess, or child_process.fork in tests
 * and without Electron): `func up` with the environment the main process gives it. It reports
 * `ready` with its URL, and on SIGTERM (or the parent's `stop` message) closes every pool — the
 * Python processes — before it exits, so quitting leaves no orphan.
 */
import { parseConfig } from '../../backend/src/config/config.js';
import { startEmbeddedStack } from '../../backend/src/wiring/embedded-stack.js';
import { logError } from '../../backend/src/wiring/log-error.js';
import type { StackMessage } from '../common/stack-messages.js';

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

function report(message: StackMessage): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

async function main(): Promise<void> {
  // Failures that are not a task's own on stderr, masked, as `func up` logs them: the app writes
  // this process's output to its logs folder (stack.log).
  const stack = await startEmbeddedStack(parseConfig(process.env), { logger: process.env.FUNC_DESKTOP_LOG === '1', onError: logError });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void stack.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // The parent going away (fork's IPC channel closing) is a stop too.
  process.once('disconnect', stop);
  parentPort?.on('message', (e) => e.data === 'stop' && stop());
  process.on('message', (m) => m === 'stop' && stop());
  const address = await stack.listen();
  report({ type: 'ready', url: address.replace('[::1]', 'localhost') });
}

main().catch((err: unknown) => {
  report({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
