// The A4 layout for facturas and notes (what a business customer files): the store on the left, the RUC box on the
// right, the customer, the lines table (repeated header on each page), the totals, the amount in words, QR and hash.
import type { Db } from '../db/connection';
import { drawQr } from './qr';
import { newPdf, pdfBuffer, type Pdf } from './pdf';
import {
  amount, creditLines, customerLines, money, plainNumber, printableDocument, representationText, totalsRows, type PrintableDocument,
} from './printable';

export interface A4Options {
  copy?: boolean;
  at?: Date;
}

export async function renderA4(db: Db, documentId: number, opts: A4Options = {}): Promise<Buffer> {
  return a4Pdf(printableDocument(db, documentId), opts);
}

const MARGIN = 40;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const W = PAGE_W - 2 * MARGIN;

export async function a4Pdf(p: PrintableDocument, opts: A4Options = {}): Promise<Buffer> {
  const doc = await newPdf({ size: 'A4', margin: MARGIN, title: `${p.title} ${p.number}`, at: opts.at ?? new Date(p.issuedAt) });
  draw(doc, p, opts.copy ?? false);
  return pdfBuffer(doc);
}

function draw(doc: Pdf, p: PrintableDocument, copy: boolean): void {
  const x = MARGIN;
  let y = MARGIN;
  // Header: store block and the RUC box.
  const boxW = 200;
  const boxX = x + W - boxW;
  doc.font('Helvetica-Bold').fontSize(14).text(p.store.tradeName, x, y, { width: W - boxW - 20 });
  doc.font('Helvetica').fontSize(9);
  if (p.store.legalName !== p.store.tradeName) doc.text(p.store.legalName, x, doc.y, { width: W - boxW - 20 });
  doc.text(p.store.address, x, doc.y, { width: W - boxW - 20 });
  const leftBottom = doc.y;
  doc.font('Helvetica-Bold').fontSize(11);
  doc.text(`R.U.C. ${p.store.ruc}`, boxX, y + 10, { width: boxW, align: 'center' });
  doc.text(p.title, boxX, doc.y + 4, { width: boxW, align: 'center' });
  doc.text(p.number, boxX, doc.y + 4, { width: boxW, align: 'center' });
  const boxBottom = doc.y + 8;
  doc.lineWidth(1).rect(boxX, y, boxW, boxBottom - y).stroke();
  y = Math.max(leftBottom, boxBottom) + 6;
  if (copy) {
    doc.font('Helvetica-Bold').fontSize(16).text('COPIA', x, y, { width: W, align: 'center' });
    y = doc.y + 4;
  }

  // Customer and date.
  doc.font('Helvetica').fontSize(9);
  const custTop = y;
  for (const l of customerLines(p)) doc.text(l, x, doc.y === custTop ? custTop : doc.y, { width: W - 170 });
  const custBottom = doc.y;
  doc.text(`Fecha de emisión: ${p.date}`, x + W - 160, custTop, { width: 160, align: 'right' });
  doc.text(`Hora: ${p.time}`, x + W - 160, doc.y, { width: 160, align: 'right' });
  doc.text(`Moneda: ${p.currency === 'USD' ? 'DÓLARES' : 'SOLES'}`, x + W - 160, doc.y, { width: 160, align: 'right' });
  y = Math.max(custBottom, doc.y) + 4;
  if (p.reference) {
    doc.text(`Documento que modifica: ${p.reference.number}   Motivo: ${p.reference.reason}`, x, y, { width: W });
    y = doc.y + 4;
  }

  // Lines table.
  const cols = [
    { title: 'Cant.', w: 50, align: 'right' as const },
    { title: 'Unidad', w: 45, align: 'center' as const },
    { title: 'Descripción', w: W - 50 - 45 - 80 - 85, align: 'left' as const },
    { title: 'P. Unit.', w: 80, align: 'right' as const },
    { title: 'Importe', w: 85, align: 'right' as const },
  ];
  const row = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    let cx = x;
    let bottom = y;
    for (let i = 0; i < cols.length; i++) {
      doc.text(cells[i], cx + 3, y + 3, { width: cols[i].w - 6, align: cols[i].align });
      bottom = Math.max(bottom, doc.y);
      cx += cols[i].w;
    }
    y = bottom + 3;
  };
  const header = () => {
    doc.rect(x, y, W, 16).fillAndStroke('#eeeeee', '#000000').fillColor('#000000');
    row(cols.map((c) => c.title), true);
    y = Math.max(y, doc.y);
  };
  header();
  for (const l of p.lines) {
    if (y > PAGE_H - MARGIN - 60) {
      doc.addPage();
      y = MARGIN;
      header();
    }
    row([plainNumber(l.quantity, 0), l.unitCode, l.description, plainNumber(l.unitPrice, 2), amount(l.amountCents)], false);
    doc.moveTo(x, y).lineTo(x + W, y).lineWidth(0.3).stroke();
  }

  // Totals, words, QR: kept together on one page.
  if (y > PAGE_H - MARGIN - 260) {
    doc.addPage();
    y = MARGIN;
  }
  y += 8;
  const totalsTop = y;
  const tx = x + W - 220;
  doc.font('Helvetica').fontSize(9);
  for (const [label, value] of totalsRows(p)) {
    doc.text(label, tx, y, { width: 120 });
    doc.text(value, tx + 120, y, { width: 100, align: 'right' });
    y = doc.y + 1;
  }
  doc.font('Helvetica-Bold').fontSize(11);
  doc.text('IMPORTE TOTAL', tx, y + 2, { width: 120 });
  doc.text(money(p.totals.totalCents), tx + 120, y + 2, { width: 100, align: 'right' });
  y = doc.y + 8;
  doc.font('Helvetica').fontSize(9).text(`SON: ${p.amountInWords}`, x, totalsTop, { width: W - 240 });
  let ly = doc.y + 6;
  for (const pay of p.payments) {
    doc.text(`${pay.method}: ${money(pay.tenderedCents ?? pay.amountCents)}`, x, ly, { width: W - 240 });
    ly = doc.y;
  }
  if (p.changeCents > 0) {
    doc.text(`Vuelto: ${money(p.changeCents)}`, x, ly, { width: W - 240 });
    ly = doc.y;
  }
  for (const l of creditLines(p)) {
    doc.text(l, x, ly, { width: W - 240 });
    ly = doc.y;
  }
  y = Math.max(y, ly) + 10;

  if (p.qr) drawQr(doc, p.qr, x, y, 100);
  const tx2 = x + (p.qr ? 110 : 0);
  doc.font('Helvetica').fontSize(8);
  if (p.hash) doc.text(`Hash: ${p.hash}`, tx2, y + 20, { width: W - 110 });
  doc.text(representationText(p.title), tx2, doc.y + 4, { width: W - 110 });
}
