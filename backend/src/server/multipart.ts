/**
 * multipart/form-data bodies (resource uploads, files sent to a sync/async API), read whole (up
 * to FUNC_UPLOAD_LIMIT_MB): text parts become fields, file parts (those with a filename) go to
 * `files` with their bytes. Text fields are read as a form body's (server/form-body.ts): a name
 * given again is the list of its values, bracket names nest (`kwargs[a]=1`, as DataFlux Func's
 * multer nests them), with the same limits (5 levels, `__proto__` refused, 1000 fields: 413).
 */
import { ApiError, badField } from '../../../contract/errors.js';
import { bracketFields, MAX_PARAMETERS, type FieldValue } from './bracket-fields.js';

export interface MultipartFile {
  fieldName: string;
  filename: string;
  contentType: string;
  /** The part's Content-Transfer-Encoding, '7bit' when absent (what multer gives as `encoding`). */
  encoding: string;
  data: Uint8Array;
}

export interface MultipartBody {
  [field: string]: FieldValue | MultipartFile[];
  files: MultipartFile[];
}

const MULTIPART = /^\s*multipart\/form-data/i;

/** Whether a Content-Type header names a multipart/form-data body. */
export function isMultipartType(contentType: string | undefined): boolean {
  return MULTIPART.test(contentType ?? '');
}

/**
 * A request body as DataFlux Func's handlers see it: for multipart/form-data its text fields only
 * (multer keeps the files out of `req.body`). Access-key signatures are computed over this: the
 * SDK signs an upload with its text fields.
 */
export function bodyWithoutFiles(contentType: string | undefined, body: unknown): unknown {
  if (!isMultipartType(contentType) || body === null || typeof body !== 'object') return body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'files'));
}

/** The boundary of a `multipart/form-data; boundary=…` content type. */
export function boundaryOf(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (boundary === undefined) throw badField('Content-Type', 'multipart/form-data needs a boundary');
  return boundary;
}

/** A header parameter (`name="x"`), quoted or not; RFC 5987 `filename*=UTF-8''…` preferred when given. */
function param(header: string, name: string): string | undefined {
  const ext = new RegExp(`;\\s*${name}\\*=(?:UTF-8|utf-8)''([^;\\s]+)`).exec(header);
  if (ext?.[1] !== undefined) {
    try {
      return decodeURIComponent(ext[1]);
    } catch {
      // fall back to the plain parameter
    }
  }
  const m = new RegExp(`;\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const boundary = Buffer.from(`--${boundaryOf(contentType)}`);
  const files: MultipartFile[] = [];
  // Without a prototype, as a form body's flat fields: a part named __proto__ is refused below, not assigned.
  const text = Object.create(null) as Record<string, string | string[]>;
  let fields = 0;
  let pos = body.indexOf(boundary);
  if (pos < 0) throw badField('body', 'multipart/form-data body without its boundary');
  for (;;) {
    pos += boundary.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break; // closing boundary
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw badField('body', 'malformed multipart/form-data body');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw badField('body', 'malformed multipart/form-data part headers');
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), boundary]), headerEnd + 4);
    if (next < 0) throw badField('body', 'multipart/form-data body is not closed by its boundary');
    const data = body.subarray(headerEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h))?.replace(/^content-type:\s*/i, '') ?? 'application/octet-stream';
    const encoding = headers.find((h) => /^content-transfer-encoding:/i.test(h))?.replace(/^content-transfer-encoding:\s*/i, '') || '7bit';
    const name = param(disposition, 'name');
    const filename = param(disposition, 'filename');
    if (name === undefined) throw badField('body', 'a multipart/form-data part has no name');
    if (filename !== undefined) files.push({ fieldName: name, filename, contentType: type, encoding, data });
    else {
      fields += 1;
      if (fields > MAX_PARAMETERS) {
        throw new ApiError('EClientPayloadTooLarge', `body: too many fields: more than ${MAX_PARAMETERS} text fields in a multipart/form-data body`, { field: 'body' });
      }
      const value = data.toString('utf8');
      const have = text[name];
      text[name] = have === undefined ? value : Array.isArray(have) ? [...have, value] : [have, value];
    }
    pos = next + 2;
  }
  // A text field named `files` (or `files[…]`) is not the uploaded files: left out, as before.
  const { files: _text, ...nested } = bracketFields(text, 'body');
  return { ...nested, files };
}
