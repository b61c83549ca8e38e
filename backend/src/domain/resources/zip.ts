/**
 * Zip archives without external tools (the resource routes' `zip` and `unarchive` operations):
 * stored or deflated entries, no zip64 (entries and archives under 4 GiB), no encryption.
 * Reading never writes outside the output folder: entry names with `..`, absolute names and
 * symbolic-link entries are refused.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  /** Path inside the archive, `/` between folders; a folder's ends with `/`. */
  name: string;
  /** Undefined for a folder. */
  data?: Uint8Array;
  mtime?: Date;
}

const LIMIT = 0xffffffff;

function dosTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipTooLargeError extends Error {}

export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const raw = e.data ?? new Uint8Array(0);
    if (raw.length >= LIMIT) throw new ZipTooLargeError(`${e.name} is 4 GiB or more`);
    const deflated = e.data && raw.length > 0 ? deflateRawSync(raw) : undefined;
    const useDeflate = deflated !== undefined && deflated.length < raw.length;
    const body = useDeflate ? deflated : Buffer.from(raw);
    const crc = crc32(raw);
    const { time, date } = dosTime(e.mtime ?? new Date());
    // What the local header and the central directory entry both hold, from `at`: version needed,
    // flags (UTF-8 names), method, time, date, CRC, sizes, name length.
    const common = (buf: Buffer, at: number): Buffer => {
      [20, 0x0800, useDeflate ? 8 : 0, time, date].forEach((v, i) => buf.writeUInt16LE(v, at + 2 * i));
      [crc, body.length, raw.length].forEach((v, i) => buf.writeUInt32LE(v, at + 10 + 4 * i));
      buf.writeUInt16LE(name.length, at + 22);
      return buf;
    };
    const local = common(Buffer.alloc(30), 4);
    local.writeUInt32LE(0x04034b50, 0);
    const header = common(Buffer.alloc(46), 6);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(0x031e, 4); // made by Unix, 3.0
    header.writeUInt32LE(((e.data ? 0o100644 : 0o40755) << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
    if (offset >= LIMIT) throw new ZipTooLargeError('the archive would be 4 GiB or more');
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

export class BadZipError extends Error {}

/** Longest entry name segment the OS takes (bytes). */
const NAME_MAX = 255;

/** A deflated entry's data; corrupt data, or more than the directory says, is a damaged archive. */
function inflate(name: string, body: Buffer, size: number): Buffer {
  try {
    return inflateRawSync(body, { maxOutputLength: Math.max(size, 1) });
  } catch (err) {
    const why = err instanceof RangeError ? 'larger than its recorded size' : 'corrupt deflate data';
    throw new BadZipError(`${name}: damaged data (${why})`);
  }
}

export interface ReadZipOptions {
  /** Refuses an archive whose entries hold more than this in all (bytes). */
  maxTotalBytes: number;
}

/** One entry of a zip's central directory, its name checked; its data is inflated only when read. */
export interface ZipDirEntry {
  /** Path inside the archive, `/` between folders; a folder's ends with `/`. */
  name: string;
  /** The size the directory records (bytes; 0 for a folder): `read()` never inflates more. */
  size: number;
  /** The entry's data: a view of the archive when stored, inflated when deflated; data that is larger than `size`, damaged or fails its CRC is a BadZipError. */
  read(): Buffer;
}

/**
 * The entries of a zip archive, names checked (no `..`, not absolute, no links), nothing inflated:
 * a caller reads the entries it needs, each bounded by its recorded size (a bomb that lies about its
 * size fails when read, having inflated no more than it declared).
 */
export function listZip(zip: Buffer): ZipDirEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new BadZipError('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: ZipDirEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) throw new BadZipError('damaged central directory');
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const madeBy = zip.readUInt16LE(p + 4) >> 8;
    const external = zip.readUInt32LE(p + 38);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x0800 ? 'utf8' : 'latin1');
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x1) throw new BadZipError(`${name}: encrypted entries are not supported`);
    if (madeBy === 3 && ((external >>> 16) & 0o170000) === 0o120000) throw new BadZipError(`${name}: symbolic links are not extracted`);
    const segments = name.split('/').filter((s) => s !== '' && s !== '.');
    if (name.startsWith('/') || name.includes('\\') || name.includes('\0') || segments.includes('..') || segments.length === 0) {
      throw new BadZipError(`${name}: entry names must stay inside the output folder`);
    }
    if (segments.some((s) => Buffer.byteLength(s) > NAME_MAX)) throw new BadZipError(`${name.slice(0, 40)}…: a name is longer than ${NAME_MAX} bytes`);
    if (name.endsWith('/')) {
      const folder = segments.join('/') + '/';
      out.push({ name: folder, size: 0, read: () => Buffer.alloc(0) });
      continue;
    }
    const entryName = segments.join('/');
    const read = (): Buffer => {
      if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== 0x04034b50) throw new BadZipError(`${name}: damaged local header`);
      const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
      const body = zip.subarray(start, start + compressed);
      let data: Buffer;
      if (method === 0) data = body;
      else if (method === 8) data = inflate(name, body, size);
      else throw new BadZipError(`${name}: compression method ${method} is not supported (stored and deflate are)`);
      if (data.length !== size || crc32(data) !== crc) throw new BadZipError(`${name}: damaged data (size or CRC)`);
      return data;
    };
    out.push({ name: entryName, size, read });
  }
  return out;
}

/** The entries of a zip archive, every one read, names checked (no `..`, not absolute, no links); folders end with `/`. */
export function readZip(zip: Buffer, options: ReadZipOptions): ZipEntry[] {
  const entries = listZip(zip);
  let total = 0;
  for (const e of entries) {
    total += e.size;
    if (total > options.maxTotalBytes) throw new BadZipError(`the archive holds more than ${options.maxTotalBytes} bytes`);
  }
  return entries.map((e) => (e.name.endsWith('/') ? { name: e.name } : { name: e.name, data: e.read() }));
}
