// The SUNAT QR drawn as vector squares: no PNG encoding, synchronous, sharp on any printer, and cached by text
// because a reprint or a burst of tickets asks for the same few codes again.
import type QRCodeModule from 'qrcode';

let QRCode: typeof QRCodeModule | null = null;

/** Loads the encoder (once; documents/pdf.ts preloadPrinting calls it before any drawing). */
export async function loadQrEncoder(): Promise<void> {
  QRCode ??= (await import('qrcode')).default;
}

/** One dark run of modules on a row: x and width in modules. */
export interface QrRun { x: number; y: number; w: number }

export interface QrMatrix { size: number; runs: QrRun[] }

const CACHE_LIMIT = 256;
const cache = new Map<string, QrMatrix>();

/** The module matrix of `text` (error correction M, as SUNAT's examples use), with dark modules merged into runs. */
export function qrMatrix(text: string): QrMatrix {
  const hit = cache.get(text);
  if (hit) {
    // Re-insert so the map's order is least-recently-used first.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  // One byte-mode segment: the hash's base64 makes the text byte mode anyway, and it skips qrcode's segment search.
  if (!QRCode) throw new Error('qrMatrix: the QR encoder is not loaded (await loadQrEncoder() first)');
  const { modules } = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const size = modules.size;
  const runs: QrRun[] = [];
  for (let y = 0; y < size; y++) {
    let start = -1;
    for (let x = 0; x <= size; x++) {
      const dark = x < size && modules.get(y, x) ? true : false;
      if (dark && start < 0) start = x;
      else if (!dark && start >= 0) {
        runs.push({ x: start, y, w: x - start });
        start = -1;
      }
    }
  }
  const m = { size, runs };
  cache.set(text, m);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return m;
}

/** The drawing surface the QR needs (a PDFKit document satisfies it). */
export interface QrCanvas {
  rect(x: number, y: number, w: number, h: number): unknown;
  fill(color?: string): unknown;
}

/**
 * Draws the QR with its top-left corner at (x, y), `side` points wide including a 4-module quiet zone.
 * Returns the side actually used.
 */
export function drawQr(doc: QrCanvas, text: string, x: number, y: number, side: number): number {
  const m = qrMatrix(text);
  const unit = side / (m.size + 8);
  const ox = x + 4 * unit;
  const oy = y + 4 * unit;
  // Rows overlap a hair so no renderer leaves white seams between them.
  for (const r of m.runs) doc.rect(ox + r.x * unit, oy + r.y * unit, r.w * unit, unit * 1.04);
  doc.fill('#000000');
  return side;
}
