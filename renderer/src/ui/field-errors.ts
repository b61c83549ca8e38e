/** Maps a server error to the form field it names (`detail.field`, e.g. `body.data.id` or `data.id` → `id`). */
import { ApiError } from '@contract/errors';

/** The field's path inside the request, split as [prefix, form field, sub-path]: `body.data.kwargs.a` → ['body.data.', 'kwargs', 'a']. */
function split(err: unknown): { path: string; field: string; sub: string } | null {
  if (!(err instanceof ApiError)) return null;
  const path = err.detail.field;
  if (typeof path !== 'string') return null;
  const rest = path.replace(/^(body\.)?data\./, '').replace(/^body\./, '');
  const [field = '', ...sub] = rest.split('.');
  return { path, field, sub: sub.join('.') };
}

export function fieldOf(err: unknown): string | null {
  return split(err)?.field ?? null;
}

/**
 * The message to show at `field` when the error names it, else null. The server's message starts with the
 * request path (`body.data.password: Too small…`); at the field that path is left out, keeping only what lies
 * below the field (`body.data.kwargs.a: …` → `a: …`). A banner not tied to a field keeps the whole message.
 */
export function errorFor(err: unknown, field: string): string | null {
  const at = split(err);
  if (!at || at.field !== field || !(err instanceof ApiError)) return null;
  const prefix = `${at.path}: `;
  if (!err.message.startsWith(prefix)) return plainWords(err.message);
  const text = plainWords(err.message.slice(prefix.length));
  return at.sub ? `${at.sub}: ${text}` : text;
}

/**
 * The server's validator words for a length or a range, said plainly at the field: "Too small:
 * expected string to have >=8 characters" → "At least 8 characters". Other messages stay as they are.
 */
export function plainWords(text: string): string {
  const m = /^Too (small|big): expected (string|array|number|int|bigint) to (?:have|be) (>=|>|<=|<)\s*([\d.,]+)(?: (characters|items))?$/.exec(text.trim());
  if (!m) return text;
  const [, , kind, op, n, unit] = m;
  const what = unit ?? (kind === 'string' ? 'characters' : kind === 'array' ? 'items' : '');
  const bound = op === '>=' ? 'At least' : op === '>' ? 'More than' : op === '<=' ? 'At most' : 'Less than';
  return what ? `${bound} ${n} ${what}` : `${bound} ${n}`;
}
