/**
 * A multipart/form-data body built by hand (no FormData: `contract/` knows no DOM), for the
 * operations that take files (`uploadResource`): text fields first, then one part per file.
 */

/** One file of a body, as the operations' `files` schema has it. */
export interface FilePart {
  fieldName?: string;
  filename: string;
  contentType?: string;
  data: Uint8Array;
}

/** The `files` of a body when it has any (each with bytes), else null: the body goes as JSON. */
export function filesOf(body: unknown): FilePart[] | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const files = (body as { files?: unknown }).files;
  if (!Array.isArray(files) || files.length === 0) return null;
  const ok = files.every((f) => typeof f === 'object' && f !== null && (f as FilePart).data instanceof Uint8Array && typeof (f as FilePart).filename === 'string');
  return ok ? (files as FilePart[]) : null;
}

/** `"` and line breaks cannot stand in a quoted header parameter: percent-encoded there, the UTF-8 name in `filename*`. */
function quoted(value: string): string {
  return value.replace(/["\r\n\\]/g, (c) => encodeURIComponent(c));
}

export function encodeMultipart(body: Record<string, unknown>, files: FilePart[], boundary: string): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const text = (s: string): void => void chunks.push(enc.encode(s));
  for (const [name, value] of Object.entries(body)) {
    if (name === 'files' || value === undefined || value === null) continue;
    text(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n`);
    text(typeof value === 'string' ? value : JSON.stringify(value));
    text('\r\n');
  }
  for (const f of files) {
    const name = quoted(f.fieldName ?? 'files');
    text(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${quoted(f.filename)}"; filename*=UTF-8''${encodeURIComponent(f.filename)}\r\n` +
        `Content-Type: ${(f.contentType ?? '').replace(/[\r\n]/g, '') || 'application/octet-stream'}\r\n\r\n`,
    );
    chunks.push(f.data);
    text('\r\n');
  }
  text(`--${boundary}--\r\n`);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A random boundary (96 bits): a file holding it by chance is not a case worth a scan of its bytes. */
export function newBoundary(random: () => number = Math.random): string {
  let s = '';
  for (let i = 0; i < 24; i++) s += Math.floor(random() * 16).toString(16);
  return `----func-form-${s}`;
}
