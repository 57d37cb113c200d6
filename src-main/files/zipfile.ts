// Zip files written and read one entry at a time, so that a month of tens of thousands of documents never sits in
// memory whole: the writer holds one entry's bytes plus the central directory (about 100 bytes per entry, packed in
// blocks), the reader walks the central directory in chunks and streams one entry's bytes through fflate's
// streaming Inflate. Zip64 records are written when an archive passes 65,535 entries or 4 GiB (about 33,000
// documents with XML and CDR — a busy store's month), which fflate, Info-ZIP and Windows all read.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Inflate } from 'fflate';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_Z64_EOCD = 0x06064b50;
const SIG_Z64_LOCATOR = 0x07064b50;
const U16 = 0xffff;
const U32 = 0xffffffff;
const FLAG_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
const CHUNK = 256 * 1024;

export class ZipError extends Error {}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where the entry's local header starts. */
  offset: number;
  dosTime: number;
  dosDate: number;
}

/** What streaming one entry through found. `ok`: it inflates and its CRC-32 and size are the central directory's. */
export interface EntryCheck {
  ok: boolean;
  /** SHA-256 of the content as inflated (meaningful when ok). */
  sha256: string;
  /** SHA-256 of the stored (compressed) bytes: what a raw copy must reproduce ('' when they cannot be read). */
  rawSha256: string;
  error?: string;
}

// Node has zlib.crc32 from 20.15; the fallback keeps older Node 20 releases working.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
let crcTable: Int32Array | null = null;
function jsCrc32(data: Uint8Array, value = 0): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
export const crc32: (data: Uint8Array, value?: number) => number = nativeCrc32 ?? jsCrc32;

/** Zip times carry no zone: the store's (Lima, UTC-5 all year). */
function dosDateTime(at: Date): { dosTime: number; dosDate: number } {
  const d = new Date(at.getTime() - 5 * 3600_000);
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    dosTime: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    dosDate: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

function pread(fd: number, position: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, b, got, length - got, position + got);
    if (n === 0) throw new ZipError('archivo zip truncado');
    got += n;
  }
  return b;
}

/** Appends small records into blocks (64 KiB for an archive; no object per record). */
class Blocks {
  readonly full: Buffer[] = [];
  private cur: Buffer;
  private used = 0;
  constructor(private readonly size = 64 * 1024) {
    this.cur = Buffer.allocUnsafe(size);
  }
  push(b: Buffer): void {
    if (this.used + b.length > this.cur.length) {
      this.full.push(this.cur.subarray(0, this.used));
      this.cur = Buffer.allocUnsafe(Math.max(this.size, b.length));
      this.used = 0;
    }
    b.copy(this.cur, this.used);
    this.used += b.length;
  }
  all(): Buffer[] {
    return [...this.full, this.cur.subarray(0, this.used)];
  }
}

/**
 * Writes a zip sequentially into `file` (created or truncated), or into memory when `file` is null (a SUNAT package:
 * `bytes()` after `finish`). Sizes and CRC go in the local headers (no data descriptors), since each entry's bytes
 * are at hand when it is added. `finish` fsyncs and closes the file.
 */
export class ZipWriter {
  private readonly fd: number | null;
  private offset = 0;
  private readonly buf: Buffer;
  private used = 0;
  private readonly central: Blocks;
  /** Memory mode: the pieces written, in order (the caller's entry bytes are not copied until bytes()). */
  private readonly parts: Uint8Array[] = [];
  private entries = 0;
  private open = true;

  constructor(readonly file: string | null) {
    this.fd = file === null ? null : fs.openSync(file, 'w');
    this.buf = Buffer.allocUnsafe(file === null ? 0 : 1024 * 1024);
    this.central = new Blocks(file === null ? 512 : 64 * 1024);
  }

  /** The whole zip, in memory mode, once finished. */
  bytes(): Buffer {
    if (this.fd !== null || this.open) throw new ZipError('el zip no está terminado en memoria');
    return Buffer.concat(this.parts, this.offset);
  }

  get count(): number {
    return this.entries;
  }

  /** Adds an entry from its bytes: deflated at `level` (stored when 0, or when deflating does not shrink it). */
  add(name: string, data: Uint8Array, opts: { level: number; mtime: Date }): ZipEntry {
    let method = 0;
    let body: Uint8Array = data;
    if (opts.level > 0 && data.length > 0) {
      const deflated = zlib.deflateRawSync(data, { level: opts.level });
      if (deflated.length < data.length) {
        method = 8;
        body = deflated;
      }
    }
    const e: ZipEntry = {
      name, method, flags: 0, crc: crc32(data), compressedSize: body.length, size: data.length, offset: this.offset,
      ...dosDateTime(opts.mtime),
    };
    this.entry(e, (write) => write(body));
    return e;
  }

  /**
   * Copies an entry of another zip without inflating it: its stored bytes go through in chunks, each also given to
   * `onRaw` (to hash what was copied).
   */
  copy(from: ZipReader, src: ZipEntry, name: string, onRaw?: (chunk: Uint8Array) => void): ZipEntry {
    const e: ZipEntry = { ...src, name, flags: src.flags & 0x6, offset: this.offset };
    this.entry(e, (write) => from.readRaw(src, (chunk) => {
      onRaw?.(chunk);
      write(chunk);
    }));
    return e;
  }

  private entry(e: ZipEntry, body: (write: (b: Uint8Array) => void) => void): void {
    if (!this.open) throw new ZipError('el zip ya está cerrado');
    if (e.size >= U32 || e.compressedSize >= U32) throw new ZipError(`${e.name}: entradas de 4 GiB o más no están soportadas`);
    const name = Buffer.from(e.name, 'utf8');
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(e.name)) e.flags |= FLAG_UTF8;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(SIG_LOCAL, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(e.flags, 6);
    h.writeUInt16LE(e.method, 8);
    h.writeUInt16LE(e.dosTime, 10);
    h.writeUInt16LE(e.dosDate, 12);
    h.writeUInt32LE(e.crc, 14);
    h.writeUInt32LE(e.compressedSize, 18);
    h.writeUInt32LE(e.size, 22);
    h.writeUInt16LE(name.length, 26);
    this.write(h);
    this.write(name);
    const start = this.offset;
    body((b) => this.write(b));
    if (this.offset - start !== e.compressedSize) throw new ZipError(`${e.name}: se escribieron ${this.offset - start} bytes, se esperaban ${e.compressedSize}`);

    // Only an offset past 4 GiB needs the zip64 extra field: sizes were refused above.
    const z64 = e.offset >= U32;
    const c = Buffer.alloc(46 + name.length + (z64 ? 12 : 0));
    c.writeUInt32LE(SIG_CENTRAL, 0);
    c.writeUInt16LE(z64 ? 45 : 20, 4);
    c.writeUInt16LE(z64 ? 45 : 20, 6);
    c.writeUInt16LE(e.flags, 8);
    c.writeUInt16LE(e.method, 10);
    c.writeUInt16LE(e.dosTime, 12);
    c.writeUInt16LE(e.dosDate, 14);
    c.writeUInt32LE(e.crc, 16);
    c.writeUInt32LE(e.compressedSize, 20);
    c.writeUInt32LE(e.size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(z64 ? 12 : 0, 30);
    c.writeUInt32LE(z64 ? U32 : e.offset, 42);
    name.copy(c, 46);
    if (z64) {
      c.writeUInt16LE(1, 46 + name.length);
      c.writeUInt16LE(8, 48 + name.length);
      c.writeBigUInt64LE(BigInt(e.offset), 50 + name.length);
    }
    this.central.push(c);
    this.entries++;
  }

  private write(b: Uint8Array): void {
    if (this.fd === null) {
      this.parts.push(b);
      this.offset += b.length;
      return;
    }
    if (this.used + b.length > this.buf.length) this.flush();
    if (b.length >= this.buf.length) {
      for (let done = 0; done < b.length;) done += fs.writeSync(this.fd, b, done, b.length - done);
    } else {
      this.buf.set(b, this.used);
      this.used += b.length;
    }
    this.offset += b.length;
  }

  private flush(): void {
    if (this.fd === null) return;
    let done = 0;
    while (done < this.used) done += fs.writeSync(this.fd, this.buf, done, this.used - done);
    this.used = 0;
  }

  /** Writes the central directory and the end records, fsyncs and closes; returns the file's size. */
  finish(): number {
    const cdOffset = this.offset;
    for (const b of this.central.all()) this.write(b);
    const cdSize = this.offset - cdOffset;
    if (this.entries > U16 || cdOffset >= U32 || cdSize >= U32) {
      const rec = Buffer.alloc(56);
      rec.writeUInt32LE(SIG_Z64_EOCD, 0);
      rec.writeBigUInt64LE(44n, 4);
      rec.writeUInt16LE(45, 12);
      rec.writeUInt16LE(45, 14);
      rec.writeBigUInt64LE(BigInt(this.entries), 24);
      rec.writeBigUInt64LE(BigInt(this.entries), 32);
      rec.writeBigUInt64LE(BigInt(cdSize), 40);
      rec.writeBigUInt64LE(BigInt(cdOffset), 48);
      const loc = Buffer.alloc(20);
      loc.writeUInt32LE(SIG_Z64_LOCATOR, 0);
      loc.writeBigUInt64LE(BigInt(this.offset), 8);
      loc.writeUInt32LE(1, 16);
      this.write(rec);
      this.write(loc);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(SIG_EOCD, 0);
    end.writeUInt16LE(Math.min(this.entries, U16), 8);
    end.writeUInt16LE(Math.min(this.entries, U16), 10);
    end.writeUInt32LE(Math.min(cdSize, U32), 12);
    end.writeUInt32LE(Math.min(cdOffset, U32), 16);
    this.write(end);
    this.flush();
    this.open = false;
    if (this.fd !== null) {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
    }
    return this.offset;
  }

  /** Closes without finishing (the caller removes the file). */
  abort(): void {
    if (!this.open) return;
    this.open = false;
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already unusable
    }
  }
}

/** A small zip built in memory (a SUNAT package, a CDR): the entries in order, the same records ZipWriter writes. */
export function zipInMemory(entries: { name: string; data: Uint8Array; level: number; mtime: Date }[]): Buffer {
  const w = new ZipWriter(null);
  for (const e of entries) w.add(e.name, e.data, { level: e.level, mtime: e.mtime });
  w.finish();
  return w.bytes();
}

/** Reads a zip through positioned reads: the end records at open, the central directory in chunks, one entry at a time. */
export class ZipReader {
  private constructor(
    private readonly fd: number,
    readonly file: string,
    readonly count: number,
    private readonly cdOffset: number,
    private readonly cdSize: number,
  ) {}

  static open(file: string): ZipReader {
    const fd = fs.openSync(file, 'r');
    try {
      return ZipReader.fromFd(fd, file);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  private static fromFd(fd: number, file: string): ZipReader {
    const size = fs.fstatSync(fd).size;
    if (size < 22) throw new ZipError('no es un archivo zip (demasiado corto)');
    const tailLen = Math.min(size, 22 + U16);
    const tail = pread(fd, size - tailLen, tailLen);
    let e = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === SIG_EOCD && i + 22 + tail.readUInt16LE(i + 20) === tailLen) {
        e = i;
        break;
      }
    }
    if (e < 0) throw new ZipError('el zip no tiene directorio central (¿archivo truncado?)');
    const eocdAt = size - tailLen + e;
    let count = tail.readUInt16LE(e + 10);
    let cdSize = tail.readUInt32LE(e + 12);
    let cdOffset = tail.readUInt32LE(e + 16);
    let end = eocdAt;
    if (eocdAt >= 20) {
      const loc = pread(fd, eocdAt - 20, 20);
      if (loc.readUInt32LE(0) === SIG_Z64_LOCATOR) {
        const at = Number(loc.readBigUInt64LE(8));
        if (at + 56 > eocdAt - 20) throw new ZipError('registro zip64 fuera del archivo');
        const rec = pread(fd, at, 56);
        if (rec.readUInt32LE(0) !== SIG_Z64_EOCD) throw new ZipError('registro zip64 dañado');
        count = Number(rec.readBigUInt64LE(32));
        cdSize = Number(rec.readBigUInt64LE(40));
        cdOffset = Number(rec.readBigUInt64LE(48));
        end = at;
      }
    }
    if (cdOffset + cdSize > end || count * 46 > cdSize) throw new ZipError('directorio central dañado');
    return new ZipReader(fd, file, count, cdOffset, cdSize);
  }

  /** The file as opened (to tell later whether the path still names it). */
  stat(): fs.BigIntStats {
    return fs.fstatSync(this.fd, { bigint: true });
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /** The central directory, in order, read in 256 KiB chunks; `only`: just the entries with this name. */
  *entries(only?: string): Generator<ZipEntry> {
    const wanted = only === undefined ? null : { utf8: Buffer.from(only, 'utf8'), latin1: Buffer.from(only, 'latin1') };
    const end = this.cdOffset + this.cdSize;
    let buf = Buffer.alloc(0);
    let i = 0;
    let pos = this.cdOffset;
    const need = (n: number) => {
      if (buf.length - i >= n) return;
      const rest = buf.subarray(i);
      if (n - rest.length > end - pos) throw new ZipError('directorio central truncado');
      const want = Math.min(Math.max(n - rest.length, CHUNK), end - pos);
      buf = Buffer.concat([rest, pread(this.fd, pos, want)]);
      pos += want;
      i = 0;
    };
    for (let k = 0; k < this.count; k++) {
      need(46);
      if (buf.readUInt32LE(i) !== SIG_CENTRAL) throw new ZipError(`entrada ${k + 1} del directorio central dañada`);
      const flags = buf.readUInt16LE(i + 8);
      const nameLen = buf.readUInt16LE(i + 28);
      const extraLen = buf.readUInt16LE(i + 30);
      const recordLen = 46 + nameLen + extraLen + buf.readUInt16LE(i + 32);
      need(recordLen);
      if (wanted && !(flags & FLAG_UTF8 ? wanted.utf8 : wanted.latin1).equals(buf.subarray(i + 46, i + 46 + nameLen))) {
        i += recordLen;
        continue;
      }
      const e: ZipEntry = {
        name: buf.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1', i + 46, i + 46 + nameLen),
        method: buf.readUInt16LE(i + 10), flags, dosTime: buf.readUInt16LE(i + 12), dosDate: buf.readUInt16LE(i + 14),
        crc: buf.readUInt32LE(i + 16), compressedSize: buf.readUInt32LE(i + 20), size: buf.readUInt32LE(i + 24),
        offset: buf.readUInt32LE(i + 42),
      };
      if (e.size === U32 || e.compressedSize === U32 || e.offset === U32) {
        // The zip64 extra field holds, in this order, whichever of the three did not fit.
        for (let x = i + 46 + nameLen; x + 4 <= i + 46 + nameLen + extraLen; x += 4 + buf.readUInt16LE(x + 2)) {
          if (buf.readUInt16LE(x) !== 1) continue;
          let v = x + 4;
          const next = () => {
            const n = Number(buf.readBigUInt64LE(v));
            v += 8;
            return n;
          };
          if (e.size === U32) e.size = next();
          if (e.compressedSize === U32) e.compressedSize = next();
          if (e.offset === U32) e.offset = next();
          break;
        }
      }
      i += recordLen;
      yield e;
    }
  }

  /** The first entry with this name (the central directory is read until it is found). */
  find(name: string): ZipEntry | undefined {
    for (const e of this.entries(name)) if (e.name === name) return e;
    return undefined;
  }

  /**
   * Streams the entry's stored bytes (compressed as they are) in chunks, `last` marking the final one, after checking
   * that its local header agrees with the central directory. A small entry costs one read: header, name and data.
   */
  readRaw(e: ZipEntry, onChunk: (chunk: Buffer, last: boolean) => void): void {
    const name = Buffer.from(e.name, e.flags & FLAG_UTF8 ? 'utf8' : 'latin1');
    const small = e.compressedSize <= CHUNK;
    const first = 30 + name.length + (small ? e.compressedSize : 0);
    if (e.offset + first > this.cdOffset) throw new ZipError(`${e.name}: posición fuera del archivo`);
    const h = pread(this.fd, e.offset, first);
    if (h.readUInt32LE(0) !== SIG_LOCAL) throw new ZipError(`${e.name}: cabecera local dañada`);
    const extraLen = h.readUInt16LE(28);
    const agrees = h.readUInt16LE(26) === name.length && name.equals(h.subarray(30, 30 + name.length)) && h.readUInt16LE(8) === e.method && (
      (h.readUInt16LE(6) & FLAG_DESCRIPTOR) !== 0 ||
      (h.readUInt32LE(14) === e.crc && [e.compressedSize, U32].includes(h.readUInt32LE(18)) && [e.size, U32].includes(h.readUInt32LE(22)))
    );
    if (!agrees) throw new ZipError(`${e.name}: la cabecera local no coincide con el directorio central`);
    let pos = e.offset + 30 + name.length + extraLen;
    if (pos + e.compressedSize > this.cdOffset) throw new ZipError(`${e.name}: datos fuera del archivo`);
    if (small && extraLen === 0) {
      onChunk(h.subarray(30 + name.length), true);
      return;
    }
    let left = e.compressedSize;
    if (left === 0) onChunk(Buffer.alloc(0), true);
    while (left > 0) {
      const n = Math.min(left, CHUNK);
      const chunk = pread(this.fd, pos, n);
      pos += n;
      left -= n;
      onChunk(chunk, left === 0);
    }
  }

  /**
   * Streams the entry's content (inflated), checking size and CRC-32 at the end. A content error (bad deflate data,
   * wrong CRC) is thrown only after the stored bytes were all read, so `onRaw` always sees them whole when they can be
   * read at all.
   */
  stream(e: ZipEntry, onData: (chunk: Uint8Array) => void, onRaw?: (chunk: Uint8Array) => void): void {
    if (e.flags & 0x1) throw new ZipError(`${e.name}: entrada cifrada`);
    if (e.method !== 0 && e.method !== 8) throw new ZipError(`${e.name}: compresión ${e.method} no soportada`);
    let size = 0;
    let crc = 0;
    const out = (c: Uint8Array) => {
      size += c.length;
      if (size > e.size) throw new ZipError(`${e.name}: más datos que los declarados`);
      crc = crc32(c, crc);
      onData(c);
    };
    // A small entry (every XML and CDR) is inflated in one native call, capped at its declared size; a large one
    // streams through fflate's Inflate, so memory stays one chunk whatever the entry claims.
    const whole = e.method === 8 && e.compressedSize <= CHUNK && e.size <= 64 * CHUNK;
    const inflate = e.method === 8 && !whole ? new Inflate((c) => out(c)) : null;
    let failure: unknown = null;
    this.readRaw(e, (c, last) => {
      onRaw?.(c);
      if (failure) return;
      try {
        if (whole) out(zlib.inflateRawSync(c, { maxOutputLength: Math.max(1, e.size) }));
        else if (inflate) inflate.push(c, last);
        else out(c);
      } catch (err) {
        failure = err;
      }
    });
    if (failure) throw failure instanceof ZipError ? failure : new ZipError(`${e.name}: datos comprimidos dañados (${(failure as Error).message})`);
    if (size !== e.size) throw new ZipError(`${e.name}: ${size} bytes, se esperaban ${e.size}`);
    if (crc !== e.crc) throw new ZipError(`${e.name}: CRC-32 no coincide`);
  }

  /** Streams the entry through (see `stream`) and reports instead of throwing. */
  check(e: ZipEntry): EntryCheck {
    const sha = createHash('sha256');
    const raw = createHash('sha256');
    let rawBytes = 0;
    try {
      this.stream(e, (c) => sha.update(c), (c) => {
        raw.update(c);
        rawBytes += c.length;
      });
      return { ok: true, sha256: sha.digest('hex'), rawSha256: raw.digest('hex') };
    } catch (err) {
      const rawSha256 = rawBytes === e.compressedSize ? raw.digest('hex') : '';
      return { ok: false, sha256: '', rawSha256, error: (err as Error).message };
    }
  }

  /** One entry's content, checked (only that entry is read and inflated). */
  read(e: ZipEntry): Uint8Array {
    const parts: Uint8Array[] = [];
    this.stream(e, (c) => parts.push(c.slice()));
    return Buffer.concat(parts);
  }
}
