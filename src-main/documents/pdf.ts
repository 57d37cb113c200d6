// PDFKit plumbing shared by the ticket, the A4 layout and the report: a document with only the built-in Helvetica
// (no font files to find offline), fixed metadata, and the bytes collected into one Buffer.
import type PDFKitModule from 'pdfkit';
import { loadQrEncoder } from './qr';

export type Pdf = PDFKit.PDFDocument;

let PDFDocument: typeof PDFKitModule | null = null;

/**
 * PDFKit and the QR encoder take about 0.25 s to load, and the runner, the job children and most commands never print:
 * they are loaded on the first print (or ahead of it by the screen's entry points, see `preloadPrinting`).
 */
export async function preloadPrinting(): Promise<void> {
  await Promise.all([pdfkit(), loadQrEncoder()]);
}

async function pdfkit(): Promise<typeof PDFKitModule> {
  PDFDocument ??= (await import('pdfkit')).default;
  return PDFDocument;
}

export interface NewPdfOptions {
  size: [number, number] | 'A4';
  margin: number;
  title: string;
  /** Creation date written in the metadata (the app's clock, so tests and reprints are reproducible). */
  at: Date;
}

export async function newPdf(o: NewPdfOptions): Promise<Pdf> {
  const [Ctor] = await Promise.all([pdfkit(), loadQrEncoder()]);
  const doc = new Ctor({
    size: o.size, margin: o.margin, autoFirstPage: true, bufferPages: false, compress: true,
    info: { Title: o.title, Author: 'iziSales', Creator: 'iziSales', Producer: 'iziSales', CreationDate: o.at },
    // No default font: the shared ones below are installed first, so no AFM file is read per document.
    font: null as unknown as string,
  });
  installSharedFonts(doc, Ctor);
  doc.font('Helvetica');
  return doc;
}

const FONTS = ['Helvetica', 'Helvetica-Bold'];
const METRIC_FIELDS = ['name', 'font', 'ascender', 'descender', 'bbox', 'lineGap', 'xHeight', 'capHeight'] as const;
interface FontInternals { _fontFamilies?: Record<string, object>; _fontCount?: number; _font?: object }
let templates: Map<string, Record<string, unknown>> | null = null;

/**
 * PDFKit reads and parses a standard font's AFM file for every document (about 3.5 ms per font, most of a ticket's
 * time, and garbage that shows up in the p99). The metrics never change: each document gets its own font objects
 * (its own PDF references) sharing one parsed copy. If PDFKit's internals change shape, nothing is installed and
 * PDFKit loads the fonts itself, only slower.
 */
function installSharedFonts(doc: Pdf, Ctor: typeof PDFKitModule): void {
  const d = doc as unknown as FontInternals;
  if (typeof d._fontFamilies !== 'object' || typeof d._fontCount !== 'number') return;
  if (!templates) {
    templates = new Map();
    const probe = new Ctor({ autoFirstPage: false }) as unknown as Pdf & FontInternals;
    for (const name of FONTS) {
      probe.font(name);
      if (probe._font) templates.set(name, probe._font as Record<string, unknown>);
    }
  }
  for (const [name, t] of templates) {
    const f = Object.create(Object.getPrototypeOf(t) as object) as Record<string, unknown>;
    for (const k of METRIC_FIELDS) f[k] = t[k];
    f.document = doc;
    f.id = `F${++d._fontCount}`;
    d._fontFamilies[name] = f;
  }
}

/** Ends the document and resolves with its bytes. */
export function pdfBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/**
 * Crops the current page to its top `usedHeight` points: a receipt roll is as long as its content. PDFKit draws
 * with the origin at the top, so raising the MediaBox's lower edge keeps what was drawn where it is.
 */
export function cropPageHeight(doc: Pdf, usedHeight: number): void {
  const page = doc.page as unknown as { width: number; height: number; dictionary: { data: { MediaBox: number[] } } };
  const h = Math.min(page.height, Math.ceil(usedHeight));
  page.dictionary.data.MediaBox = [0, page.height - h, page.width, page.height];
}

export const MM = 72 / 25.4;
