#!/usr/bin/env node
// Draws the app icon (resources/icon.png 512×512 and resources/icon.ico with a 256×256 PNG inside) with node:zlib
// only: a blue rounded square with a white receipt. Run again after changing the drawing.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Buffer } from 'node:buffer';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA of pixel (x, y) on a canvas of `size`, drawn in units of a 512 grid. */
function pixel(x, y, size) {
  const u = (v) => (v * 512) / size;
  const px = u(x + 0.5);
  const py = u(y + 0.5);
  const inRounded = (x0, y0, x1, y1, r) => {
    if (px < x0 || px > x1 || py < y0 || py > y1) return false;
    const cx = Math.min(Math.max(px, x0 + r), x1 - r);
    const cy = Math.min(Math.max(py, y0 + r), y1 - r);
    return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
  };
  if (!inRounded(16, 16, 496, 496, 96)) return [0, 0, 0, 0];
  const blue = [21, 101, 192, 255];
  const white = [255, 255, 255, 255];
  // The receipt, with a zigzag bottom edge.
  const zig = 372 + Math.abs(((px - 136) % 40) - 20);
  if (px >= 136 && px <= 376 && py >= 104 && py <= zig) {
    const line = (y0, x1) => py >= y0 && py <= y0 + 18 && px >= 172 && px <= x1;
    if (line(160, 340) || line(210, 300) || line(260, 340)) return blue;
    if (line(318, 250) || (py >= 318 && py <= 336 && px >= 290 && px <= 340)) return [46, 160, 67, 255];
    return white;
  }
  return blue;
}

function png(size) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) Buffer.from(pixel(x, y, size)).copy(raw, y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO holding PNG images (Windows Vista and later read them). */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

fs.writeFileSync(path.join(root, 'resources', 'icon.png'), png(512));
fs.writeFileSync(path.join(root, 'resources', 'icon.ico'), ico([16, 32, 48, 256].map((size) => ({ size, data: png(size) }))));
console.log('resources/icon.png, resources/icon.ico');
