/**
 * Bounds on what a task record keeps, so that one huge task cannot make the record listing
 * unusable (a 200 MB return value once made every `task-records/do/list` page fail: the JSON of
 * the page was longer than a string can be). The caller of a sync call still gets the whole value.
 */

/** Head and tail of a long text that a record keeps (DataFlux Func's cap on stored print logs). */
export const TEXT_HEAD_CHARS = 20_000;
export const TEXT_TAIL_CHARS = 30_000;

/**
 * A JSON value (return value, kwargs) a record keeps whole: at most about 1,000,000 characters of
 * JSON text (measured without string escapes). A longer one is stored as a {@link LeftOutJson}.
 */
export const RECORD_JSON_MAX_CHARS = 1_000_000;

/** What a record holds instead of a JSON value over the bound. */
export interface LeftOutJson {
  truncated: true;
  /** Characters of the value's JSON text. */
  chars: number;
  /** Its first {@link TEXT_HEAD_CHARS} characters. */
  head: string;
}

export function isLeftOutJson(value: unknown): value is LeftOutJson {
  return typeof value === 'object' && value !== null && (value as Partial<LeftOutJson>).truncated === true && typeof (value as Partial<LeftOutJson>).head === 'string';
}

/**
 * Characters of an exception's type name a record keeps (DataFlux Func's column holds 128). A
 * class name is the function's to choose: a 70,000-character one did not fit MySQL's TEXT column,
 * so the record's final write failed and it stayed `running` while the task was delivered again.
 */
export const EXCEPTION_TYPE_MAX_CHARS = 256;

/** The name itself when short; else its start and "…", at most {@link EXCEPTION_TYPE_MAX_CHARS} UTF-16 units, no pair split. */
export function capExceptionType(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  if (name.length <= EXCEPTION_TYPE_MAX_CHARS) return name;
  let end = EXCEPTION_TYPE_MAX_CHARS - 1;
  const last = name.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${name.slice(0, end)}…`;
}

/** The text itself when short; else its head and tail with how much was left out between them. */
export function capText(text: string): string {
  if (text.length <= TEXT_HEAD_CHARS + TEXT_TAIL_CHARS) return text;
  const head = copyOf(text.slice(0, TEXT_HEAD_CHARS));
  const tail = copyOf(text.slice(-TEXT_TAIL_CHARS));
  return `${head}\n… ${text.length - TEXT_HEAD_CHARS - TEXT_TAIL_CHARS} characters left out …\n${tail}`;
}

export function capNullableText(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : capText(text);
}

/** The value itself when its JSON text is at most `max` characters; else a {@link LeftOutJson}. */
export function capJson<T>(value: T, max = RECORD_JSON_MAX_CHARS): T | LeftOutJson {
  if (jsonCharsUpTo(value, max) <= max) return value;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // Longer than a string can be: counted instead.
  }
  return { truncated: true, chars: text?.length ?? jsonCharsUpTo(value, Infinity), head: text === undefined ? '' : copyOf(text.slice(0, TEXT_HEAD_CHARS)) };
}

/**
 * Characters of `value` as JSON text (string escapes not counted), counted only until the count
 * passes `max`: the walk stops there and answers some number above `max`.
 */
export function jsonCharsUpTo(value: unknown, max: number): number {
  let n = 0;
  const todo: unknown[] = [value];
  while (todo.length > 0) {
    if (n > max) return n;
    const v = todo.pop();
    if (typeof v === 'string') n += v.length + 2;
    else if (v === null || typeof v !== 'object') n += String(v).length;
    else if (Array.isArray(v)) {
      n += 1 + Math.max(v.length, 1);
      if (n <= max) for (const x of v) todo.push(x);
    } else {
      const entries = Object.entries(v);
      n += 1 + Math.max(entries.length, 1);
      for (const [k, x] of entries) {
        n += k.length + 3;
        todo.push(x);
      }
    }
  }
  return n;
}

/** A slice of a long string may keep the whole string alive in the engine: a copy does not. */
function copyOf(s: string): string {
  return new TextDecoder().decode(new TextEncoder().encode(s));
}
