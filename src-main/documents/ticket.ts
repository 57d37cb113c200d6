// The thermal ticket (80 mm by default, 58 mm by setting): what the customer takes home. Printable offline within a
// second of Pay: everything comes from the stored sale and the signed document's hash and QR text.
import type { Db } from '../db/connection';
import { localSetting } from '../db/settings';
import { drawQr } from './qr';
import { logoPng } from './logo';
import type { TicketLogo } from '../../src-shared/printer';
import { cropPageHeight, MM, newPdf, pdfBuffer, type Pdf } from './pdf';
import {
  amount, creditLines, customerLines, money, plainNumber, printableDocument, representationText, totalsRows, type PrintableDocument,
} from './printable';

export type PaperWidth = 80 | 58;

export interface TicketOptions {
  /** Paper roll width in mm; default: the 'paperWidth' setting (80). */
  width?: PaperWidth;
  /** A reprint: prints "COPIA" under the number. */
  copy?: boolean;
  /** Metadata date; default: the sale's time, so the same ticket renders to the same bytes. */
  at?: Date;
  /** The store's logo (setting `ticketLogo`), drawn above its name at the printer's 203 dpi. */
  logo?: TicketLogo | null;
}

export interface Geometry { width: number; margin: number; font: number; big: number; qr: number; cols: { qty: number; price: number; amount: number } }

export const GEOMETRY: Record<PaperWidth, Geometry> = {
  80: { width: 80 * MM, margin: 4 * MM, font: 7.5, big: 10, qr: 34 * MM, cols: { qty: 26, price: 38, amount: 44 } },
  58: { width: 58 * MM, margin: 2.5 * MM, font: 6.5, big: 8.5, qr: 30 * MM, cols: { qty: 20, price: 30, amount: 36 } },
};

/** The ticket PDF of a document issued from a sale. */
export async function renderTicket(db: Db, documentId: number, opts: TicketOptions = {}): Promise<Buffer> {
  const p = printableDocument(db, documentId);
  return ticketPdf(p, { ...opts, width: opts.width ?? localSetting(db, 'paperWidth') });
}

export async function ticketPdf(p: PrintableDocument, opts: TicketOptions = {}): Promise<Buffer> {
  const g = GEOMETRY[opts.width ?? 80];
  // Tall enough for any sale; the page is cropped to its content at the end.
  const logo = opts.logo ? { png: logoPng(opts.logo), w: Math.min(g.width - 2 * g.margin, (opts.logo.width / 8) * MM), ...opts.logo } : null;
  const logoHeight = logo ? (logo.w * logo.height) / logo.width : 0;
  const height = 700 + logoHeight + p.lines.length * 40 + creditLines(p).length * 20;
  const doc = await newPdf({ size: [g.width, height], margin: g.margin, title: `${p.title} ${p.number}`, at: opts.at ?? new Date(p.issuedAt) });
  // 8 dots a millimetre, as the thermal printer prints it.
  if (logo) doc.image(logo.png, (g.width - logo.w) / 2, g.margin, { width: logo.w });
  const y = drawTicket(doc, p, g, opts.copy ?? false, logoHeight ? logoHeight + 4 : 0);
  cropPageHeight(doc, y + g.margin);
  return pdfBuffer(doc);
}

/** Writing down a roll: centered or aligned text, label/value pairs and dashed rules, one below the other from `y`. */
export interface TicketPen {
  x: number;
  w: number;
  y: number;
  text(s: string, o?: { bold?: boolean; size?: number; align?: 'left' | 'center' | 'right' }): void;
  pair(label: string, value: string, bold?: boolean): void;
  rule(): void;
}

export function ticketPen(doc: Pdf, g: Geometry): TicketPen {
  const x = g.margin;
  const w = g.width - 2 * g.margin;
  const pen: TicketPen = {
    x, w, y: g.margin,
    text(s, o = {}) {
      doc.font(o.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(o.size ?? g.font);
      doc.text(s, x, pen.y, { width: w, align: o.align ?? 'center' });
      pen.y = doc.y;
    },
    pair(label, value, bold = false) {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? g.font + 1.5 : g.font);
      const top = pen.y;
      doc.text(label, x, top, { width: w * 0.6, align: 'left' });
      const after = doc.y;
      doc.text(value, x + w * 0.4, top, { width: w * 0.6, align: 'right' });
      pen.y = Math.max(after, doc.y);
    },
    rule() {
      pen.y += 2;
      doc.moveTo(x, pen.y).lineTo(x + w, pen.y).lineWidth(0.5).dash(1.5, { space: 1.5 }).stroke().undash();
      pen.y += 3;
    },
  };
  return pen;
}

function drawTicket(doc: Pdf, p: PrintableDocument, g: Geometry, copy: boolean, top: number): number {
  const pen = ticketPen(doc, g);
  const { x, w, text, pair, rule } = pen;
  pen.y += top;

  text(p.store.tradeName, { bold: true, size: g.big });
  if (p.store.legalName !== p.store.tradeName) text(p.store.legalName);
  text(`RUC ${p.store.ruc}`);
  text(p.store.address);
  rule();
  text(p.title, { bold: true, size: g.font + 1 });
  text(p.number, { bold: true, size: g.font + 1 });
  if (copy) text('COPIA', { bold: true, size: g.big });
  pen.y += 2;
  text(`Fecha: ${p.date}   Hora: ${p.time}`, { align: 'left' });
  for (const l of customerLines(p)) text(l, { align: 'left' });
  if (p.reference) text(`Doc. que modifica: ${p.reference.number} — ${p.reference.reason}`, { align: 'left' });
  rule();

  // Lines: quantity | description | unit price | amount.
  const c = g.cols;
  const descX = x + c.qty;
  const descW = w - c.qty - c.price - c.amount;
  const row = (qty: string, desc: string, price: string, amt: string, bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(g.font);
    const top = pen.y;
    doc.text(qty, x, top, { width: c.qty - 2, align: 'left' });
    doc.text(desc, descX, top, { width: descW - 2, align: 'left' });
    const descBottom = doc.y;
    doc.text(price, descX + descW, top, { width: c.price, align: 'right' });
    doc.text(amt, descX + descW + c.price, top, { width: c.amount, align: 'right' });
    pen.y = Math.max(descBottom, doc.y) + 1;
  };
  row('Cant.', 'Descripción', 'P.Unit.', 'Importe', true);
  for (const l of p.lines) row(plainNumber(l.quantity, 0), l.description, plainNumber(l.unitPrice, 2), amount(l.amountCents));
  rule();

  for (const [label, value] of totalsRows(p)) pair(label, value);
  pair('TOTAL', money(p.totals.totalCents), true);
  pen.y += 2;
  text(`SON: ${p.amountInWords}`, { align: 'left' });
  rule();

  for (const pay of p.payments) pair(pay.method, money(pay.tenderedCents ?? pay.amountCents));
  if (p.changeCents > 0) pair('Vuelto', money(p.changeCents));
  for (const l of creditLines(p)) text(l, { align: 'left' });
  if (p.cashier) text(`Atendido por: ${p.cashier}`, { align: 'left' });

  if (p.qr) {
    pen.y += 4;
    drawQr(doc, p.qr, x + (w - g.qr) / 2, pen.y, g.qr);
    pen.y += g.qr + 2;
  }
  if (p.hash) text(`Hash: ${p.hash}`);
  pen.y += 2;
  text(representationText(p.title), { size: g.font - 0.5 });
  text('¡Gracias por su compra!');
  return pen.y;
}
