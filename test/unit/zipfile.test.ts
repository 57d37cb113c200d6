import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, zipSync, strToU8 } from 'fflate';
import { tempDir } from '../helpers/app';
import { ZipReader, ZipWriter } from '../../src-main/files/zipfile';

let dir: string;
beforeEach(() => {
  dir = tempDir('izisales-zip-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const at = new Date('2026-05-10T15:00:00Z');

describe('the streaming zip', () => {
  it('writes entries fflate reads back, and reads one entry by name without the others', () => {
    const file = path.join(dir, 'a.zip');
    const w = new ZipWriter(file);
    const xml = strToU8('<Invoice>' + '<cac:InvoiceLine/>'.repeat(500) + '</Invoice>');
    w.add('20100000001-03-B001-1.xml', xml, { level: 6, mtime: at });
    w.add('R-20100000001-03-B001-1.zip', strToU8('PK ya comprimido'), { level: 0, mtime: at });
    w.add('files/año ñandú.xml', strToU8('hola'), { level: 6, mtime: at });
    w.add('vacío.xml', new Uint8Array(0), { level: 6, mtime: at });
    w.finish();

    const all = unzipSync(new Uint8Array(fs.readFileSync(file)));
    expect(Object.keys(all)).toEqual(['20100000001-03-B001-1.xml', 'R-20100000001-03-B001-1.zip', 'files/año ñandú.xml', 'vacío.xml']);
    expect(Buffer.from(all['20100000001-03-B001-1.xml']).equals(Buffer.from(xml))).toBe(true);
    expect(fs.statSync(file).size).toBeLessThan(xml.length / 4);

    const z = ZipReader.open(file);
    try {
      expect(z.count).toBe(4);
      expect(Buffer.from(z.read(z.find('files/año ñandú.xml')!)).toString()).toBe('hola');
      expect(z.read(z.find('vacío.xml')!)).toHaveLength(0);
      expect(z.find('no-existe.xml')).toBeUndefined();
      for (const e of z.entries()) expect(z.check(e).ok, e.name).toBe(true);
    } finally {
      z.close();
    }
  });

  it('reads zips written by fflate (data descriptors, extra fields)', () => {
    const file = path.join(dir, 'fflate.zip');
    fs.writeFileSync(file, zipSync({ 'a.xml': [strToU8('x'.repeat(5000)), { level: 9 }], 'b.zip': [strToU8('y'), { level: 0 }] }));
    const z = ZipReader.open(file);
    try {
      expect(Buffer.from(z.read(z.find('a.xml')!)).toString()).toBe('x'.repeat(5000));
      expect(Buffer.from(z.read(z.find('b.zip')!)).toString()).toBe('y');
    } finally {
      z.close();
    }
  });

  it('switches to zip64 past 65,535 entries, readable by fflate and by itself', () => {
    const file = path.join(dir, 'big.zip');
    const w = new ZipWriter(file);
    const n = 66_000;
    for (let i = 0; i < n; i++) w.add(`R-${i}.zip`, strToU8(String(i)), { level: 0, mtime: at });
    w.finish();
    const z = ZipReader.open(file);
    try {
      expect(z.count).toBe(n);
      let seen = 0;
      for (const e of z.entries()) {
        if (seen % 6_000 === 0) expect(Buffer.from(z.read(e)).toString()).toBe(String(seen));
        seen++;
      }
      expect(seen).toBe(n);
      expect(Buffer.from(z.read(z.find(`R-${n - 1}.zip`)!)).toString()).toBe(String(n - 1));
    } finally {
      z.close();
    }
    const all = unzipSync(new Uint8Array(fs.readFileSync(file)), { filter: (f) => f.name === `R-${n - 1}.zip` });
    expect(Buffer.from(all[`R-${n - 1}.zip`]).toString()).toBe(String(n - 1));
  });

  it('tells a damaged entry from a sound one, and refuses a truncated file', () => {
    const file = path.join(dir, 'd.zip');
    const w = new ZipWriter(file);
    const a = w.add('a.xml', strToU8('<a>'.repeat(1000)), { level: 6, mtime: at });
    w.add('b.xml', strToU8('<b>'.repeat(1000)), { level: 6, mtime: at });
    w.finish();
    const bytes = fs.readFileSync(file);
    bytes[a.offset + 30 + 'a.xml'.length + 2] ^= 0x10;
    fs.writeFileSync(file, bytes);
    const z = ZipReader.open(file);
    try {
      expect(z.check(z.find('a.xml')!).ok).toBe(false);
      expect(z.check(z.find('b.xml')!).ok).toBe(true);
      expect(() => z.read(z.find('a.xml')!)).toThrow();
    } finally {
      z.close();
    }
    fs.truncateSync(file, bytes.length - 10);
    expect(() => ZipReader.open(file)).toThrow(/directorio central/);
  });
});
