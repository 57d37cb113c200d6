// The store's logo on the ticket (issue 17): a PNG uploaded once in Administración → Impresora, decoded here, scaled
// to the roll and reduced to one bit per dot, and kept as that bitmap (setting `ticketLogo`). The ESC/POS ticket
// prints it as a raster image; the PDF ticket draws the same bitmap (as a 1-bit PNG made from it).
// Why our own decoder: no PNG library is a dependency of the app (pngjs is only qrcode's), the app must not grow a
// native module (sharp), and what a logo needs — the standard colour types, 8-bit (and 1/2/4-bit grey and palette),
// not interlaced — is node:zlib and a filter loop. JPEG is not taken (no decoder without a library): the screen says
// how to save the logo as PNG.
import zlib from 'node:zlib';
import type { MonoImage } from './escpos';
import type { TicketLogo } from '../../src-shared/printer';

export class LogoError extends Error {}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** Dots: the widest logo kept (80 mm rolls; a 58 mm roll prints it at 384) and the tallest (about 3 cm). */
export const LOGO_MAX_WIDTH = 512;
export const LOGO_MAX_HEIGHT = 240;
const MAX_PIXELS = 16_000_000;

/** A decoded image as grey levels (0 black … 255 white), transparency laid on white paper. */
export interface GreyImage { width: number; height: number; grey: Uint8Array }

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** PNG → grey levels. Refuses what it does not read with a sentence the admin can act on. */
export function decodePng(bytes: Uint8Array): GreyImage {
  if (!isPng(bytes)) {
    throw new LogoError(isJpeg(bytes)
      ? 'El logo es JPEG: guárdelo como PNG (por ejemplo con Paint: Guardar como → PNG) y vuelva a subirlo.'
      : 'El archivo no es una imagen PNG.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let width = 0, height = 0, depth = 0, colour = -1, interlace = 0;
  let palette: Uint8Array | null = null;
  let alphaOfIndex: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (at + 8 <= bytes.length) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + len);
    if (data.length < len) throw new LogoError('La imagen PNG está incompleta o dañada.');
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      depth = data[8];
      colour = data[9];
      interlace = data[12];
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') alphaOfIndex = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colour];
  if (!width || !height || channels === undefined) throw new LogoError('La imagen PNG está dañada (sin cabecera válida).');
  if (width * height > MAX_PIXELS) throw new LogoError('La imagen es demasiado grande: use un logo de menos de 4000 × 4000 píxeles.');
  if (interlace !== 0) throw new LogoError('La imagen PNG está entrelazada: guárdela sin entrelazado y vuelva a subirla.');
  if (depth === 16 || (depth !== 8 && colour !== 0 && colour !== 3)) {
    throw new LogoError('La imagen PNG usa 16 bits por canal: guárdela con 8 bits (color normal) y vuelva a subirla.');
  }
  if (colour === 3 && !palette) throw new LogoError('La imagen PNG está dañada (falta la paleta).');
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(Buffer.concat(idat));
  } catch {
    throw new LogoError('La imagen PNG está dañada (datos comprimidos no válidos).');
  }
  const bpp = Math.max(1, (channels * depth) >> 3); // bytes per pixel for the filters
  const stride = Math.ceil((width * channels * depth) / 8);
  if (raw.length < height * (stride + 1)) throw new LogoError('La imagen PNG está incompleta o dañada.');
  const rows = unfilter(raw, height, stride, bpp);
  const grey = new Uint8Array(width * height);
  const max = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    const row = rows.subarray(y * stride, (y + 1) * stride);
    for (let x = 0; x < width; x++) {
      let r: number, g: number, b: number, a = 255;
      if (depth < 8) {
        const bit = x * depth;
        const v = (row[bit >> 3] >> (8 - depth - (bit & 7))) & max;
        if (colour === 3) [r, g, b, a] = paletteColour(palette!, alphaOfIndex, v);
        else r = g = b = Math.round((v * 255) / max);
      } else {
        const p = x * channels;
        if (colour === 0) r = g = b = row[p];
        else if (colour === 4) { r = g = b = row[p]; a = row[p + 1]; }
        else if (colour === 3) [r, g, b, a] = paletteColour(palette!, alphaOfIndex, row[p]);
        else { r = row[p]; g = row[p + 1]; b = row[p + 2]; if (colour === 6) a = row[p + 3]; }
      }
      const lum = 0.299 * r + 0.587 * g + 0.114 * b;
      grey[y * width + x] = Math.round((lum * a + 255 * (255 - a)) / 255); // on white paper
    }
  }
  return { width, height, grey };
}

function paletteColour(palette: Uint8Array, alpha: Uint8Array | null, i: number): [number, number, number, number] {
  return [palette[i * 3] ?? 0, palette[i * 3 + 1] ?? 0, palette[i * 3 + 2] ?? 0, alpha && i < alpha.length ? alpha[i] : 255];
}

/** Undoes PNG's per-row filters (none, sub, up, average, Paeth). */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let v: number;
      switch (filter) {
        case 0: v = src[i]; break;
        case 1: v = src[i] + a; break;
        case 2: v = src[i] + b; break;
        case 3: v = src[i] + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          v = src[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: throw new LogoError('La imagen PNG está dañada (filtro desconocido).');
      }
      cur[i] = v & 0xff;
    }
  }
  return out;
}

/**
 * Grey → one bit per dot, scaled (box average) to fit `maxWidth` × LOGO_MAX_HEIGHT, never enlarged. A logo of flat
 * colours (few mid-greys) is cut at half grey, which keeps letters crisp; a photo-like one is dithered
 * (Floyd–Steinberg) so its shades survive on a printer that only knows black.
 */
export function toLogo(img: GreyImage, maxWidth = LOGO_MAX_WIDTH): TicketLogo {
  const scale = Math.min(1, maxWidth / img.width, LOGO_MAX_HEIGHT / img.height);
  const width = Math.max(1, Math.round(img.width * scale));
  const height = Math.max(1, Math.round(img.height * scale));
  const grey = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y / scale), y1 = Math.max(y0 + 1, Math.floor((y + 1) / scale));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x / scale), x1 = Math.max(x0 + 1, Math.floor((x + 1) / scale));
      let sum = 0, n = 0;
      for (let sy = y0; sy < Math.min(y1, img.height); sy++) {
        for (let sx = x0; sx < Math.min(x1, img.width); sx++) { sum += img.grey[sy * img.width + sx]; n++; }
      }
      grey[y * width + x] = n ? sum / n : 255;
    }
  }
  let mid = 0;
  for (const g of grey) if (g > 64 && g < 192) mid++;
  const dither = mid > grey.length * 0.15;
  const rowBytes = Math.ceil(width / 8);
  const bits = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const old = grey[i];
      const dark = old < 128;
      if (dark) bits[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
      if (!dither) continue;
      const err = old - (dark ? 0 : 255);
      if (x + 1 < width) grey[i + 1] += (err * 7) / 16;
      if (y + 1 < height) {
        if (x > 0) grey[i + width - 1] += (err * 3) / 16;
        grey[i + width] += (err * 5) / 16;
        if (x + 1 < width) grey[i + width + 1] += err / 16;
      }
    }
  }
  return { width, height, bits: Buffer.from(bits).toString('base64') };
}

/** The kept bitmap as the ESC/POS writer draws it, at most `maxDots` wide (384 on a 58 mm roll). */
export function logoImage(logo: TicketLogo, maxDots: number): MonoImage {
  const bits = Buffer.from(logo.bits, 'base64');
  const rowBytes = Math.ceil(logo.width / 8);
  const scale = Math.min(1, maxDots / logo.width);
  const width = Math.max(1, Math.floor(logo.width * scale));
  const height = Math.max(1, Math.floor(logo.height * scale));
  return {
    width, height,
    dark: (x, y) => {
      const sx = Math.min(logo.width - 1, Math.floor(x / scale)), sy = Math.min(logo.height - 1, Math.floor(y / scale));
      return (bits[sy * rowBytes + (sx >> 3)] & (0x80 >> (sx & 7))) !== 0;
    },
  };
}

// ---- the bitmap as a 1-bit PNG, for the PDF ticket (pdfkit takes PNG) ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A grey 1-bit PNG of the logo (PNG's 0 is black: the dark bits are inverted). */
export function logoPng(logo: TicketLogo): Buffer {
  const bits = Buffer.from(logo.bits, 'base64');
  const rowBytes = Math.ceil(logo.width / 8);
  const raw = Buffer.alloc((rowBytes + 1) * logo.height);
  for (let y = 0; y < logo.height; y++) {
    for (let i = 0; i < rowBytes; i++) raw[y * (rowBytes + 1) + 1 + i] = ~bits[y * rowBytes + i] & 0xff;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(logo.width, 0);
  ihdr.writeUInt32BE(logo.height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // grey
  return Buffer.concat([Buffer.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}
