/**
 * How a running stack or role reports a failure that is not a task's own (Redis or the store gone,
 * a worker unit's write refused…), and what it waits for at start: one line on stderr, URL
 * passwords and tokens masked. `func up` and its roles log with it, and so does the desktop
 * app's embedded stack, whose stderr goes to its logs folder (stack.log).
 */
import { maskSecrets } from '../../../contract/redact.js';

export function logError(err: unknown): void {
  console.error(maskSecrets(`func: ${err instanceof Error ? err.message : String(err)}`));
}
