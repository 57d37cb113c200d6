// Reads ESC/POS bytes back into what a person sees on the paper: lines of text (in the code page the bytes selected),
// which of them are bold or enlarged, the QR codes (the payload stored by GS ( k), raster images, cuts and drawer
// pulses. Written from Epson's ESC/POS command reference, not from src-main/documents/escpos.ts: a command this does
// not know is reported in `unknown`, never skipped silently.

/** IBM code page 850, 0x80–0xFF, as IBM publishes it (the lower half is ASCII). */
const CP850_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐' +
  '└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0';

/** ESC t n of Epson's table → how the upper half reads. */
const CODE_PAGES: Record<number, { name: string; decode: (b: number) => string }> = {
  2: { name: 'PC850', decode: (b) => CP850_HIGH[b - 0x80] },
  16: { name: 'WPC1252', decode: (b) => new TextDecoder('windows-1252').decode(Uint8Array.of(b)) },
};

export interface PrintedLine {
  text: string;
  bold: boolean;
  /** GS ! magnification while the line printed: 1 normal, 2 double. */
  height: number;
  width: number;
  align: 'left' | 'center' | 'right';
}

export interface RasterImage { widthDots: number; heightDots: number; rowBytes: number; data: Uint8Array; dark(x: number, y: number): boolean }

export interface DecodedTicket {
  lines: PrintedLine[];
  /** The lines' text joined with newlines. */
  text: string;
  codePage: string | null;
  inits: number;
  qr: { payload: string; model: number | null; moduleSize: number | null; errorLevel: string | null; printed: boolean }[];
  images: RasterImage[];
  cuts: ('full' | 'partial')[];
  pulses: { pin: number; onMs: number; offMs: number }[];
  statusRequests: number[];
  /** Offsets and bytes of anything not understood (control bytes out of place, unknown commands). */
  unknown: string[];
}

const LEVELS: Record<number, string> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };

export function decodeEscpos(input: Uint8Array): DecodedTicket {
  const b = input;
  const out: DecodedTicket = { lines: [], text: '', codePage: null, inits: 0, qr: [], images: [], cuts: [], pulses: [], statusRequests: [], unknown: [] };
  let page: (typeof CODE_PAGES)[number] | null = null;
  let bold = false, height = 1, width = 1, align: PrintedLine['align'] = 'left';
  let buf = '', lineBold = false, lineHeight = 1, lineWidth = 1;
  let storedQr: string | null = null;
  let model: number | null = null, moduleSize: number | null = null, errorLevel: string | null = null;

  const endLine = () => {
    out.lines.push({ text: buf, bold: lineBold, height: lineHeight, width: lineWidth, align });
    buf = ''; lineBold = false; lineHeight = 1; lineWidth = 1;
  };
  const unknown = (i: number, n: number) => out.unknown.push(`@${i}: ${[...b.subarray(i, i + n)].map((x) => x.toString(16).padStart(2, '0')).join(' ')}`);

  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c === 0x0a) { endLine(); i++; continue; }
    if (c === 0x0d) { i++; continue; }
    if (c === 0x1b) {
      const f = b[i + 1];
      if (f === 0x40) { // ESC @ initialize
        out.inits++; page = null; bold = false; height = 1; width = 1; align = 'left'; i += 2;
      } else if (f === 0x74) { // ESC t n
        page = CODE_PAGES[b[i + 2]] ?? null;
        if (!page) unknown(i, 3);
        else out.codePage = page.name;
        i += 3;
      } else if (f === 0x45) { bold = (b[i + 2] & 1) === 1; i += 3; } // ESC E n
      else if (f === 0x21) { const n = b[i + 2]; bold = (n & 0x08) !== 0; height = n & 0x10 ? 2 : 1; width = n & 0x20 ? 2 : 1; i += 3; } // ESC ! n
      else if (f === 0x61) { align = (['left', 'center', 'right'] as const)[b[i + 2] % 48] ?? 'left'; i += 3; } // ESC a n
      else if (f === 0x64) { // ESC d n: print and feed n lines
        if (buf) endLine();
        for (let k = 0; k < b[i + 2]; k++) endLine();
        i += 3;
      } else if (f === 0x70) { // ESC p m t1 t2
        out.pulses.push({ pin: b[i + 2] % 48 === 0 ? 2 : 5, onMs: b[i + 3] * 2, offMs: b[i + 4] * 2 });
        i += 5;
      } else { unknown(i, 2); i += 2; }
      continue;
    }
    if (c === 0x1d) {
      const f = b[i + 1];
      if (f === 0x21) { const n = b[i + 2]; width = ((n >> 4) & 7) + 1; height = (n & 7) + 1; i += 3; } // GS ! n
      else if (f === 0x56) { // GS V m | GS V m n
        const m = b[i + 2];
        if (m === 0 || m === 48) { out.cuts.push('full'); i += 3; }
        else if (m === 1 || m === 49) { out.cuts.push('partial'); i += 3; }
        else if (m === 65 || m === 66) { out.cuts.push(m === 65 ? 'full' : 'partial'); i += 4; }
        else { unknown(i, 3); i += 3; }
        if (buf) endLine();
      } else if (f === 0x28 && b[i + 2] === 0x6b) { // GS ( k pL pH cn fn …
        const len = b[i + 3] + b[i + 4] * 256;
        const cn = b[i + 5], fn = b[i + 6];
        const params = b.subarray(i + 7, i + 5 + len);
        if (cn !== 0x31) unknown(i, 7);
        else if (fn === 0x41) model = params[0] - 48;
        else if (fn === 0x43) moduleSize = params[0];
        else if (fn === 0x45) errorLevel = LEVELS[params[0]] ?? `?${params[0]}`;
        else if (fn === 0x50) storedQr = new TextDecoder().decode(params.subarray(1));
        else if (fn === 0x51) {
          if (storedQr === null) unknown(i, 8);
          else out.qr.push({ payload: storedQr, model, moduleSize, errorLevel, printed: true });
        } else unknown(i, 7);
        i += 5 + len;
      } else if (f === 0x76 && b[i + 2] === 0x30) { // GS v 0 m xL xH yL yH d…
        const rowBytes = b[i + 4] + b[i + 5] * 256;
        const rows = b[i + 6] + b[i + 7] * 256;
        const data = b.slice(i + 8, i + 8 + rowBytes * rows);
        out.images.push({
          widthDots: rowBytes * 8, heightDots: rows, rowBytes, data,
          dark: (x, y) => (data[y * rowBytes + (x >> 3)] & (0x80 >> (x & 7))) !== 0,
        });
        i += 8 + rowBytes * rows;
      } else { unknown(i, 2); i += 2; }
      continue;
    }
    if (c === 0x10 && b[i + 1] === 0x04) { out.statusRequests.push(b[i + 2]); i += 3; continue; } // DLE EOT n
    if (c < 0x20 || c === 0x7f) { unknown(i, 1); i++; continue; }
    // A printable byte.
    if (c >= 0x80) {
      if (!page) { unknown(i, 1); buf += '?'; }
      else buf += page.decode(c);
    } else buf += String.fromCharCode(c);
    lineBold ||= bold;
    lineHeight = Math.max(lineHeight, height);
    lineWidth = Math.max(lineWidth, width);
    i++;
  }
  if (buf) endLine();
  out.text = out.lines.map((l) => l.text).join('\n');
  return out;
}

/** The printed lines' widths in font-A characters (double width counts twice). */
export const printedWidth = (l: PrintedLine): number => l.text.length * l.width;

/**
 * Reads a raster QR's modules back: finds the dark area's bounds (the finder patterns sit on three corners), the
 * module size from the top-left finder (7 modules wide), and takes each module by the majority of its dots.
 */
export function readRasterQr(img: RasterImage): boolean[][] {
  let top = -1, left = img.widthDots, right = -1;
  for (let y = 0; y < img.heightDots; y++) {
    for (let x = 0; x < img.widthDots; x++) {
      if (!img.dark(x, y)) continue;
      if (top < 0) top = y;
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  if (top < 0) return [];
  let finder = 0;
  while (img.dark(left + finder, top)) finder++;
  const scale = finder / 7;
  const size = Math.round((right - left + 1) / scale);
  const rows: boolean[][] = [];
  for (let my = 0; my < size; my++) {
    const row: boolean[] = [];
    for (let mx = 0; mx < size; mx++) {
      let dark = 0, all = 0;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          all++;
          if (img.dark(Math.round(left + mx * scale + dx), Math.round(top + my * scale + dy))) dark++;
        }
      }
      row.push(dark * 2 > all);
    }
    rows.push(row);
  }
  return rows;
}

/** A raster image as a plain PGM (white border added), for a barcode reader such as zbarimg. */
export function rasterToPgm(img: RasterImage, border = 16): Buffer {
  const w = img.widthDots + 2 * border, h = img.heightDots + 2 * border;
  const px = Buffer.alloc(w * h, 255);
  for (let y = 0; y < img.heightDots; y++) for (let x = 0; x < img.widthDots; x++) if (img.dark(x, y)) px[(y + border) * w + x + border] = 0;
  return Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`), px]);
}
