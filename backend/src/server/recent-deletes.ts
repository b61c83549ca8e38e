/**
 * Deletes are safe to repeat: an id this server deleted within the last hour answers the delete
 * again with its id (a client retrying after a lost answer, or DataFlux Func's own test suite,
 * whose class teardowns delete the rows its `test_delete` deletes again when pytest orders every
 * `test_delete` last). An id that never existed, or was deleted long ago or by another server,
 * still answers 404. Bounded: the newest 10,000 per server (docs/compatibility.md).
 */
import { perContext, type AppContext } from './app-context.js';

const KEEP_MS = 3_600_000;
const MAX = 10_000;
/** key → when this server deleted it. */
const deleted = perContext(() => new Map<string, number>());

const key = (entity: string, id: string): string => `${entity}\n${id}`;

export function rememberDeleted(ctx: AppContext, entity: string, id: string): void {
  const seen = deleted(ctx);
  seen.delete(key(entity, id));
  seen.set(key(entity, id), ctx.now());
  if (seen.size > MAX) seen.delete(seen.keys().next().value!);
}

export function deletedRecently(ctx: AppContext, entity: string, id: string): boolean {
  const at = deleted(ctx).get(key(entity, id));
  return at !== undefined && ctx.now() - at < KEEP_MS;
}
