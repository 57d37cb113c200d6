// The ticket as ESC/POS bytes for a thermal printer: the same printable model as the PDF ticket (ticket.ts), a second
// renderer. A pure function, (model, options) → bytes; where the bytes go is printer-transport.ts.
// Written here rather than taken from a library (receiptline, node-thermal-printer): what a ticket needs is a few
// commands, the exact bytes are what the tests pin, and the code pages are two small tables.
import { qrMatrix } from './qr';
import {
  amount, creditLines, customerLines, money, plainNumber, representationText, totalsRows, type PrintableDocument,
} from './printable';

import type { CodePage } from '../../src-shared/printer';

export type { CodePage };
/** Characters per line in font A: 48 on an 80 mm roll, 32 on a 58 mm one. */
export type Columns = 48 | 32;

export interface EscposOptions {
  /** 48 (80 mm, default) or 32 (58 mm). */
  columns?: Columns;
  /** The printer's code page for text (a setting per printer); default PC850. */
  codePage?: CodePage;
  /** 'native': GS ( k (model 2, level M); 'raster': the QR drawn as a GS v 0 image, for printers without it. */
  qr?: 'native' | 'raster';
  /** Dots per QR module (1–16); default 6 on 48 columns, 5 on 32. */
  qrModule?: number;
  /** Full or partial cut (default partial, what most stores want: the ticket stays hanging). */
  cut?: 'full' | 'partial';
  /** Open the cash drawer (ESC p) after the ticket: the caller decides (a cash sale or refund), never by default. */
  drawer?: boolean;
  /** A reprint: prints "COPIA" under the number. */
  copy?: boolean;
  /** Blank lines fed before the cut so the last line clears the blade; default 4. */
  feed?: number;
  /** The store's logo, printed centred above its name (documents/logo.ts logoImage, already within the roll). */
  logo?: MonoImage | null;
}

export const columnsFor = (paperWidth: 80 | 58): Columns => (paperWidth === 58 ? 32 : 48);

// ---- code pages ----

/** ESC t n: the code page numbers of Epson's table (clones follow it): PC850 is 2, WPC1252 is 16. */
export const CODE_PAGE_NUMBER: Record<CodePage, number> = { pc850: 2, wpc1252: 16 };

/** What Peru's tickets need above ASCII, per code page (PC850 from IBM's table; WPC1252 is Latin-1 for these). */
const PERU_CHARS = 'ñÑáéíóúÁÉÍÓÚüÜ¿¡°ºª';
const PC850: Record<string, number> = {
  ñ: 0xa4, Ñ: 0xa5, á: 0xa0, é: 0x82, í: 0xa1, ó: 0xa2, ú: 0xa3, Á: 0xb5, É: 0x90, Í: 0xd6, Ó: 0xe0, Ú: 0xe9,
  ü: 0x81, Ü: 0x9a, '¿': 0xa8, '¡': 0xad, '°': 0xf8, º: 0xa7, ª: 0xa6,
};
const WPC1252: Record<string, number> = Object.fromEntries([...PERU_CHARS].map((c) => [c, c.charCodeAt(0)]));
const TABLES: Record<CodePage, Record<string, number>> = { pc850: PC850, wpc1252: WPC1252 };

/** Typography with a plain twin: printed as the twin rather than '?'. */
const PLAIN: Record<string, string> = {
  '—': '-', '–': '-', '‘': "'", '’': "'", '“': '"', '”': '"', '…': '...', '\u00a0': ' ', '·': '.',
};

/** Text → bytes of the code page; anything else unknown is '?'. */
export function encodeText(text: string, codePage: CodePage): Uint8Array {
  const table = TABLES[codePage];
  const out: number[] = [];
  for (const ch of text.normalize('NFC')) {
    const plain = PLAIN[ch];
    if (plain !== undefined) {
      for (const c of plain) out.push(c.charCodeAt(0));
      continue;
    }
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code < 0x7f) out.push(code);
    else out.push(table[ch] ?? 0x3f);
  }
  return Uint8Array.from(out);
}

// ---- commands ----

const ESC = 0x1b;
const GS = 0x1d;
const LF = 0x0a;

export const CMD = {
  init: [ESC, 0x40],
  codePage: (n: number) => [ESC, 0x74, n],
  bold: (on: boolean) => [ESC, 0x45, on ? 1 : 0],
  /** GS ! n: bits 0–2 height, 4–6 width; 0x01 double height, 0x11 double height and width. */
  size: (n: number) => [GS, 0x21, n],
  align: (a: 'left' | 'center' | 'right') => [ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2],
  feed: (lines: number) => [ESC, 0x64, lines],
  /** GS V m: 0 full cut, 1 partial. */
  cut: (kind: 'full' | 'partial') => [GS, 0x56, kind === 'full' ? 0 : 1],
  /** ESC p m t1 t2: pin 2 (m 0), on 50 ms (25 × 2), off 500 ms (250 × 2): what drawers expect. */
  pulse: [ESC, 0x70, 0, 25, 250],
} as const;

/** GS ( k, function 165/167/169/180/181: model 2, module size, level M, store the data, print it. */
function nativeQr(text: string, module: number): Uint8Array {
  const data = new TextEncoder().encode(text);
  const store = data.length + 3;
  const head = [
    GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0x00,
    GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, module,
    GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31,
    GS, 0x28, 0x6b, store & 0xff, store >> 8, 0x31, 0x50, 0x30,
  ];
  const tail = [GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30];
  const out = new Uint8Array(head.length + data.length + tail.length);
  out.set(head);
  out.set(data, head.length);
  out.set(tail, head.length + data.length);
  return out;
}

/** A one-bit image: `dark(x, y)` for each dot, the top-left at (0, 0). */
export interface MonoImage { width: number; height: number; dark(x: number, y: number): boolean }

/**
 * GS v 0 (raster, normal density) of an image. Printers recognise real-time commands — DLE EOT, DLE ENQ, DLE DC4,
 * and DC4 1 pulses the drawer — even inside image data; they start with 0x10, a byte of one lone dark dot: such a dot
 * before 0x04, 0x05 or 0x14 is left white (a speck off a logo; a QR of two or more dots a module never has one).
 */
export function rasterImage(img: MonoImage): Uint8Array {
  const rowBytes = Math.ceil(img.width / 8);
  const out = new Uint8Array(8 + rowBytes * img.height);
  out.set([GS, 0x76, 0x30, 0, rowBytes & 0xff, rowBytes >> 8, img.height & 0xff, img.height >> 8]);
  const bits = out.subarray(8);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) if (img.dark(x, y)) bits[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
  }
  for (let i = 0; i + 1 < bits.length; i++) if (bits[i] === 0x10 && (bits[i + 1] === 0x04 || bits[i + 1] === 0x05 || bits[i + 1] === 0x14)) bits[i] = 0;
  return out;
}

/** The QR as an image: a 4-module quiet zone, `dots` per module (at least 2, see rasterImage), within `maxDots`. */
export function rasterQr(text: string, dots: number, maxDots: number): Uint8Array {
  const m = qrMatrix(text);
  const scale = Math.max(2, Math.min(Math.round(dots), Math.floor(maxDots / (m.size + 8))));
  const side = (m.size + 8) * scale;
  const dark = new Uint8Array(m.size * m.size);
  for (const r of m.runs) dark.fill(1, r.y * m.size + r.x, r.y * m.size + r.x + r.w);
  return rasterImage({
    width: side, height: side,
    dark: (x, y) => {
      const mx = Math.floor(x / scale) - 4, my = Math.floor(y / scale) - 4;
      return mx >= 0 && my >= 0 && mx < m.size && my < m.size && dark[my * m.size + mx] === 1;
    },
  });
}

// ---- layout ----

/** Words wrapped to `width` characters; a word longer than a line is split. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) { lines.push(line); line = ''; }
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!word) continue;
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else { lines.push(line); line = word; }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** Writes a ticket line by line; `bytes()` is the result. Reports and the test ticket can write with it too. */
export class EscposWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;
  constructor(readonly columns: Columns, readonly codePage: CodePage) {
    this.raw([...CMD.init, ...CMD.codePage(CODE_PAGE_NUMBER[codePage])]);
  }

  raw(bytes: readonly number[] | Uint8Array): this {
    const part = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
    this.parts.push(part);
    this.length += part.length;
    return this;
  }

  /** Text wrapped to the line (half as many characters when double width). */
  text(s: string, o: { bold?: boolean; align?: 'left' | 'center' | 'right'; double?: 'height' | 'both' } = {}): this {
    const width = o.double === 'both' ? Math.floor(this.columns / 2) : this.columns;
    this.raw(CMD.align(o.align ?? 'left'));
    if (o.bold) this.raw(CMD.bold(true));
    if (o.double) this.raw(CMD.size(o.double === 'both' ? 0x11 : 0x01));
    for (const l of wrap(s, width)) this.line(l);
    if (o.double) this.raw(CMD.size(0));
    if (o.bold) this.raw(CMD.bold(false));
    if (o.align && o.align !== 'left') this.raw(CMD.align('left'));
    return this;
  }

  /** Label on the left, value on the right; a label too long for both wraps above the value. */
  pair(label: string, value: string, bold = false): this {
    if (bold) this.raw(CMD.bold(true));
    const room = this.columns - value.length - 1;
    if (label.length <= room) this.line(label + ' '.repeat(this.columns - label.length - value.length) + value);
    else {
      const lines = wrap(label, this.columns);
      const last = lines.pop()!;
      for (const l of lines) this.line(l);
      if (last.length <= room) this.line(last + ' '.repeat(this.columns - last.length - value.length) + value);
      else { this.line(last); this.line(value.padStart(this.columns)); }
    }
    if (bold) this.raw(CMD.bold(false));
    return this;
  }

  rule(): this {
    return this.line('-'.repeat(this.columns));
  }

  /** One line as it is (the caller made it fit). */
  line(s: string): this {
    this.raw(encodeText(s, this.codePage));
    return this.raw([LF]);
  }

  qr(text: string, how: 'native' | 'raster', module: number): this {
    this.raw(CMD.align('center'));
    const dots = Math.min(16, Math.max(1, Math.round(module)));
    this.raw(how === 'native' ? nativeQr(text, dots) : rasterQr(text, dots, this.columns === 48 ? 576 : 384));
    this.raw([LF]);
    return this.raw(CMD.align('left'));
  }

  /** An image centred (a logo; the QR for printers without GS ( k); at most 576 dots wide on 80 mm, 384 on 58 mm. */
  image(img: MonoImage): this {
    return this.raw(CMD.align('center')).raw(rasterImage(img)).raw(CMD.align('left'));
  }

  /** Feed, cut, and the drawer pulse when asked. */
  finish(o: { feed?: number; cut?: 'full' | 'partial'; drawer?: boolean }): this {
    this.raw(CMD.feed(o.feed ?? 4)).raw(CMD.cut(o.cut ?? 'partial'));
    if (o.drawer) this.raw(CMD.pulse);
    return this;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Only the drawer pulse (the "Abrir cajón" button): init and ESC p, nothing printed. */
export function drawerPulseBytes(): Uint8Array {
  return Uint8Array.from([...CMD.init, ...CMD.pulse]);
}

/**
 * The ticket's bytes. The raster QR needs the QR encoder loaded first (`loadQrEncoder` in qr.ts, which
 * `preloadPrinting` does); the native QR needs nothing.
 */
export function escposTicket(p: PrintableDocument, o: EscposOptions = {}): Uint8Array {
  const cols = o.columns ?? 48;
  const w = new EscposWriter(cols, o.codePage ?? 'pc850');

  if (o.logo) w.image(o.logo).raw([LF]);
  w.text(p.store.tradeName, { bold: true, align: 'center', double: 'height' });
  if (p.store.legalName !== p.store.tradeName) w.text(p.store.legalName, { align: 'center' });
  w.text(`RUC ${p.store.ruc}`, { align: 'center' });
  w.text(p.store.address, { align: 'center' });
  w.rule();
  w.text(p.title, { bold: true, align: 'center' });
  w.text(p.number, { bold: true, align: 'center', double: 'height' });
  if (o.copy) w.text('COPIA', { bold: true, align: 'center', double: 'both' });
  w.text(`Fecha: ${p.date}   Hora: ${p.time}`);
  for (const l of customerLines(p)) w.text(l);
  if (p.reference) w.text(`Doc. que modifica: ${p.reference.number} — ${p.reference.reason}`);
  w.rule();

  lineItems(w, p);
  w.rule();

  for (const [label, value] of totalsRows(p)) w.pair(label, value);
  w.pair('TOTAL', money(p.totals.totalCents), true);
  w.text(`SON: ${p.amountInWords}`);
  w.rule();

  for (const pay of p.payments) w.pair(pay.method, money(pay.tenderedCents ?? pay.amountCents));
  if (p.changeCents > 0) w.pair('Vuelto', money(p.changeCents));
  for (const l of creditLines(p)) w.text(l);
  if (p.cashier) w.text(`Atendido por: ${p.cashier}`);

  if (p.qr) w.qr(p.qr, o.qr ?? 'native', o.qrModule ?? (cols === 48 ? 6 : 5));
  if (p.hash) w.text(`Hash: ${p.hash}`, { align: 'center' });
  w.text(representationText(p.title), { align: 'center' });
  w.text('¡Gracias por su compra!', { align: 'center' });
  return w.finish({ feed: o.feed, cut: o.cut, drawer: o.drawer }).bytes();
}

/**
 * The lines. 48 columns: Cant. | Descripción (wrapped in its column) | P.Unit. | Importe, amounts right-aligned.
 * 32 columns: the description on the whole line, then "Cant. x P.Unit." and the amount on the right.
 * A number too wide for its column moves the row to the 32-column form, so nothing ever runs past the edge.
 */
function lineItems(w: EscposWriter, p: PrintableDocument): void {
  const cols = w.columns;
  const QTY = 6, PRICE = 10, AMOUNT = 11;
  const DESC = cols - QTY - PRICE - AMOUNT;
  const wide = cols === 48;
  if (wide) w.line('Cant. ' + 'Descripción'.padEnd(DESC) + 'P.Unit.'.padStart(PRICE) + 'Importe'.padStart(AMOUNT));
  else { w.line('Descripción'); w.line('Cant. x P.Unit.' + 'Importe'.padStart(cols - 15)); }
  for (const l of p.lines) {
    const qty = plainNumber(l.quantity, 0);
    const price = plainNumber(l.unitPrice, 2);
    const amt = amount(l.amountCents);
    if (wide && qty.length < QTY && price.length < PRICE && amt.length < AMOUNT) {
      const desc = wrap(l.description, DESC - 1);
      w.line(qty.padEnd(QTY) + desc[0].padEnd(DESC) + price.padStart(PRICE) + amt.padStart(AMOUNT));
      for (const d of desc.slice(1)) w.line(' '.repeat(QTY) + d);
    } else {
      for (const d of wrap(l.description, cols)) w.line(d);
      w.pair(`${qty} x ${price}`, amt);
    }
  }
}
