/**
 * The fallback when the server's discovery of the draft (`discoverScriptDraft`) has not answered
 * for the text being edited, or cannot list a function (it lists `@DFF.API` functions only): the
 * top-level functions of Python source, read without running it. Pure, no DOM.
 *
 * It reads the source as Python's tokenizer would for what matters here (strings, comments,
 * brackets, backslash continuations), so a signature or a decorator over several lines, a `)` or
 * `#` inside a default string, and a `def` inside a triple-quoted string are all handled. Defaults
 * are kept only when they are plain literals; anything else becomes null in the kwargs template.
 */
export interface DraftFunction {
  name: string;
  /** Decorated with `@DFF.API` (publishing exports it). */
  exported: boolean;
  kwargsTemplate: Record<string, unknown>;
}

interface LogicalLine {
  /** Comments removed, continuation lines joined with a space (newlines kept inside triple-quoted strings). */
  text: string;
  indent: number;
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/** Visits `text` outside strings: `visit(i, depth)` for every character not in a string or comment; true stops. */
function scan(text: string, visit: (i: number, depth: number) => boolean): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      i = endOfString(text, i) - 1;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
    if (visit(i, depth)) return;
    if (OPEN.has(c)) depth++;
  }
}

/** Index just past the string literal opening at `start` (or the end of the text / line when unterminated). */
function endOfString(text: string, start: number): number {
  const q = text[start]!;
  const triple = text.startsWith(q.repeat(3), start);
  let i = start + (triple ? 3 : 1);
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') i += 2;
    else if (triple && text.startsWith(q.repeat(3), i)) return i + 3;
    else if (!triple && c === q) return i + 1;
    else if (!triple && c === '\n') return i;
    else i++;
  }
  return text.length;
}

function logicalLines(code: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const src = code.replace(/\r\n?/g, '\n');
  let text = '';
  let indent = -1;
  let depth = 0;
  let i = 0;
  const flush = (): void => {
    if (text.trim() !== '') out.push({ text: text.trim(), indent });
    text = '';
    indent = -1;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (indent < 0) {
      let n = 0;
      while (src[i + n] === ' ' || src[i + n] === '\t') n++;
      indent = n;
      i += n;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = endOfString(src, i);
      text += src.slice(i, end);
      i = end;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      text += ' ';
      i += 2;
      continue;
    }
    if (c === '\n') {
      i++;
      if (depth > 0) text += ' ';
      else if (text.trim() === '') indent = -1;
      else flush();
      continue;
    }
    if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
    text += c;
    i++;
  }
  flush();
  return out;
}

/** Splits at `sep` outside brackets and strings. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let from = 0;
  scan(text, (i, depth) => {
    if (depth === 0 && text[i] === sep) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
    return false;
  });
  parts.push(text.slice(from));
  return parts;
}

/** Index of the first `=` outside brackets and strings that is an assignment (not `==`, `<=`, `>=`, `!=`). */
function defaultAt(param: string): number {
  let at = -1;
  scan(param, (i, depth) => {
    if (depth !== 0 || param[i] !== '=') return false;
    if (param[i + 1] === '=' || '=<>!'.includes(param[i - 1] ?? '')) return false;
    at = i;
    return true;
  });
  return at;
}

function literal(text: string): unknown {
  const t = text.trim();
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (t === 'True') return true;
  if (t === 'False') return false;
  if (/^'[^'\\\n]*'$|^"[^"\\\n]*"$/.test(t)) return t.slice(1, -1);
  if (/^[[{]/.test(t)) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return null;
    }
  }
  return null;
}

function kwargsOf(params: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const raw of splitTopLevel(params, ',')) {
    const part = raw.trim();
    if (part === '' || part.startsWith('*') || part === '/') continue;
    const eq = defaultAt(part);
    const head = eq < 0 ? part : part.slice(0, eq);
    const name = (splitTopLevel(head, ':')[0] ?? '').trim();
    if (!/^[A-Za-z_]\w*$/.test(name) || name === 'self') continue;
    out[name] = eq < 0 ? null : literal(part.slice(eq + 1));
  }
  return out;
}

/** The text between the `(` at `open` and its matching `)`, or null when it is not closed. */
function inParens(text: string, open: number): string | null {
  let close = -1;
  scan(text.slice(open), (i, depth) => {
    if (depth === 0 && i > 0 && text[open + i] === ')') {
      close = open + i;
      return true;
    }
    return false;
  });
  return close < 0 ? null : text.slice(open + 1, close);
}

export function parseFunctions(code: string): DraftFunction[] {
  const out: DraftFunction[] = [];
  let decorated = false;
  for (const line of logicalLines(code)) {
    if (line.indent > 0) continue;
    if (line.text.startsWith('@')) {
      if (/^@\s*DFF\s*\.\s*API\b/.test(line.text)) decorated = true;
      continue;
    }
    const m = /^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/.exec(line.text);
    if (m && !m[1]!.startsWith('_')) {
      const params = inParens(line.text, m[0].length - 1);
      out.push({ name: m[1]!, exported: decorated, kwargsTemplate: params === null ? {} : kwargsOf(params) });
    }
    decorated = false;
  }
  return out;
}
