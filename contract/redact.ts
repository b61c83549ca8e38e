/**
 * Masking of secrets in text that may reach a log line or an error message: the one helper the
 * server's logger, the CLI, the store and broker connections, the desktop app and the test
 * tooling use. Pure TS, no imports.
 *
 * - URL credentials: `scheme://user:password@host` → `scheme://user:***@host` (FUNC_DB_URL,
 *   FUNC_REDIS_URL, any URL quoted in a driver's message).
 * - Query parameters carrying a credential: `xDFFAuthToken` (the SSE routes take the token in the
 *   query) and the access-key signature `xDffAkSign` → `xDFFAuthToken=***`.
 */

export const MASK = '***';

/** Query parameters whose value is a credential (compared case-insensitively). */
export const SECRET_QUERY_PARAMS: readonly string[] = ['xDFFAuthToken', 'xDffAkSign', 'token', 'password', 'secret'];

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#'"]*:)([^\s@/?#'"]*)@/gi;
const QUERY_SECRET = new RegExp(`([?&;](?:${SECRET_QUERY_PARAMS.join('|')})=)([^&#\\s'"]*)`, 'gi');

/** `mysql://root:pw@db:3306/func` → `mysql://root:***@db:3306/func`; also inside longer text. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (_m, head: string, password: string) => (password === '' ? `${head}@` : `${head}${MASK}@`));
}

/** `/api/v1/topology/events?xDFFAuthToken=abc` → `/api/v1/topology/events?xDFFAuthToken=***`. */
export function maskQuerySecrets(text: string): string {
  return text.replace(QUERY_SECRET, (_m, head: string, value: string) => (value === '' ? head : `${head}${MASK}`));
}

/** Both of the above: for any text about to be logged or put in an error message. */
export function maskSecrets(text: string): string {
  return maskQuerySecrets(maskUrlCredentials(text));
}

/**
 * Fields of a request body that carry a secret, wherever they are nested (compared
 * case-insensitively): passwords (sign-in, users, change-password, API auth users), secrets,
 * tokens, env variable values (a `password` env variable holds one), captchas, and the `value` of
 * a fixed-field API auth (`configJSON.fields[].value`).
 */
export const SECRET_BODY_FIELDS: readonly string[] = [
  'password',
  'oldPassword',
  'newPassword',
  'secret',
  'secretKey',
  'token',
  'xAuthToken',
  'valueTEXT',
  'captcha',
  'accessKeySecret',
];

const SECRET_FIELD_SET = new Set(SECRET_BODY_FIELDS.map((f) => f.toLowerCase()));

export interface RedactOptions {
  /** Longer strings become `<N characters>` (code, bundles). */
  maxString?: number;
}

/**
 * A copy of a request body fit for a record: every secret field's value (SECRET_BODY_FIELDS, and
 * `value` inside `fields` entries) replaced by `***`, long strings by their length, bytes (the
 * files of a multipart body) by their size.
 */
export function redactBody(value: unknown, options: RedactOptions = {}): unknown {
  const maxString = options.maxString ?? 1000;
  const walk = (v: unknown, inFields: boolean): unknown => {
    if (typeof v === 'string') return v.length > maxString ? `<${v.length} characters>` : v;
    // Bytes (uploaded files): their size, never a walk over every byte.
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return `<${v.byteLength} bytes>`;
    if (Array.isArray(v)) return v.map((x) => walk(x, inFields));
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const secret = SECRET_FIELD_SET.has(k.toLowerCase()) || (inFields && k === 'value');
      out[k] = secret && x !== null && x !== undefined && x !== '' ? MASK : walk(x, k === 'fields');
    }
    return out;
  };
  return walk(value, false);
}
