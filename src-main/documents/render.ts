// The one entry for printing a document (checkout print, reprint, export): picks the layout and makes sure the
// document is signed first, so the paper carries the hash and QR of the XML SUNAT will receive.
import type { Db } from '../db/connection';
import type { Clock } from '../adapters';
import { getSetting, localSetting } from '../db/settings';
import { a4Pdf } from './a4';
import { printableDocument } from './printable';
import { ticketPdf } from './ticket';

export type PrintFormat = 'ticket' | 'a4';

export interface RenderOptions {
  /** Default: the ticket (the POS printer), for sales and notes alike; A4 on request. */
  format?: PrintFormat;
  /** A reprint ("COPIA"). */
  copy?: boolean;
}

/** What printing uses of the app (the App satisfies it): the database, the clock, and the signer to sign first. */
export interface RenderDeps {
  db: Db;
  clock: Clock;
  /** sunat/signing.ts Signer: signs the stored sale if it is not signed yet; false without a certificate. */
  signer: { signDocument(documentId: number, now: Date): boolean };
}

export async function renderDocumentPdf(app: RenderDeps, documentId: number, opts: RenderOptions = {}): Promise<Buffer> {
  // Signing is idempotent and offline; without a certificate the paper simply has no QR yet.
  try {
    app.signer.signDocument(documentId, app.clock.now());
  } catch {
    // printing must not fail because signing did (the document stays pending, visibly, in the queue)
  }
  const p = printableDocument(app.db, documentId);
  const format = opts.format ?? 'ticket';
  if (format === 'a4') return a4Pdf(p, { copy: opts.copy });
  return ticketPdf(p, { copy: opts.copy, width: localSetting(app.db, 'paperWidth'), logo: getSetting(app.db, 'ticketLogo') });
}
