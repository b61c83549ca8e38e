/** Maps a server error to the form field it names (`detail.field`, e.g. `body.data.id` or `data.id` → `id`). */
import { ApiError } from '@contract/errors';

export function fieldOf(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  const f = err.detail.field;
  if (typeof f !== 'string') return null;
  return (
    f
      .replace(/^(body\.)?data\./, '')
      .replace(/^body\./, '')
      .split('.')[0] ?? null
  );
}

export function errorFor(err: unknown, field: string): string | null {
  return fieldOf(err) === field && err instanceof ApiError ? err.message : null;
}
