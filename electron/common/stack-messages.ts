/** Messages from the stack process (stack-entry) to the main process. Plain data, no imports. */
export type StackMessage = { type: 'ready'; url: string } | { type: 'failed'; message: string };

export function isStackMessage(value: unknown): value is StackMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v.type === 'ready' && typeof v.url === 'string') || (v.type === 'failed' && typeof v.message === 'string');
}
