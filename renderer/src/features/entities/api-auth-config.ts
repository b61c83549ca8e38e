/**
 * An API auth's `configJSON` ↔ the rows its form shows. The server checks the configuration
 * (backend/src/domain/auth/api-auth-config.ts): fixedField `{fields: [{location, name, value}]}`,
 * httpBasic / httpDigest `{users: [{username, password}]}`, func `{funcId}`.
 */

/** A field to match (key = its name, secret = its value) or a user (key = username, secret = password). */
export interface ConfigRow {
  key: string;
  secret: string;
  location: string;
}

const EMPTY_ROW: ConfigRow = { key: '', secret: '', location: 'header' };

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function objectOf(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function listOf(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object') : [];
}

/** The rows of a configuration (one empty row to start from), or a func type's function id. */
export function apiAuthConfigRows(type: string, json: string): ConfigRow[] | string {
  const config = objectOf(json);
  if (type === 'func') return text(config.funcId);
  const rows =
    type === 'fixedField'
      ? listOf(config.fields).map((f) => ({ key: text(f.name), secret: text(f.value), location: text(f.location) || 'header' }))
      : listOf(config.users).map((u) => ({ key: text(u.username), secret: text(u.password), location: 'header' }));
  return rows.length > 0 ? rows : [{ ...EMPTY_ROW }];
}

/** The configuration's JSON text from the rows (kept as typed: the server names what is missing). */
export function configFromRows(type: string, rows: ConfigRow[] | string): string {
  if (type === 'func') return JSON.stringify({ funcId: typeof rows === 'string' ? rows : '' });
  const list = Array.isArray(rows) ? rows : [];
  if (type === 'fixedField') return JSON.stringify({ fields: list.map((r) => ({ location: r.location, name: r.key, value: r.secret })) });
  return JSON.stringify({ users: list.map((r) => ({ username: r.key, password: r.secret })) });
}
