import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, zipSync, strToU8 } from 'fflate';
import { demoApp, type TestApp } from '../helpers/app';
import { createApp } from '../../src-main/app';
import { archiveCutoffMonth, archiveFiles } from '../../src-main/files/archive-write';
import { exportDocumentFiles, readDocumentFiles } from '../../src-main/files/archive-read';
import { archiveFile } from '../../src-main/files/store';
import { documentDir } from '../../src-main/files/store';
import { renderTicket } from '../../src-main/documents/ticket';

let t: TestApp;
beforeEach(() => {
  t = demoApp({ at: '2026-05-10T15:00:00Z' });
});
afterEach(() => t.close());

const cdrOf = (fileName: string) => zipSync({ [`R-${fileName}.xml`]: strToU8(`<ApplicationResponse>${fileName} aceptado</ApplicationResponse>`) });

function sellAccepted(n: number) {
  const product = (t.app.db.raw.prepare('SELECT id FROM products WHERE is_bag = 0 ORDER BY id LIMIT 1').get() as { id: number }).id;
  const out: { documentId: number; saleId: number; fileName: string; cdr: Uint8Array; xml: string }[] = [];
  for (let i = 0; i < n; i++) {
    const r = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: product, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] });
    const cdr = cdrOf(r.fileName);
    t.app.db.raw.prepare(`UPDATE documents SET status = 'accepted', cdr_zip = ?, cdr_code = '0' WHERE id = ?`).run(Buffer.from(cdr), r.documentId);
    const xml = (t.app.db.raw.prepare('SELECT xml FROM documents WHERE id = ?').get(r.documentId) as { xml: string }).xml;
    out.push({ documentId: r.documentId, saleId: r.saleId, fileName: r.fileName, cdr, xml });
  }
  return out;
}

const cdrInDb = (id: number) => (t.app.db.raw.prepare('SELECT cdr_zip FROM documents WHERE id = ?').get(id) as { cdr_zip: Buffer | null }).cdr_zip;

describe('the monthly archive', () => {
  it('knows which months are old enough', () => {
    expect(archiveCutoffMonth('2026-11-28', 6)).toBe('2026-04');
    expect(archiveCutoffMonth('2026-12-01', 6)).toBe('2026-05');
    expect(archiveCutoffMonth('2026-03-15', 6)).toBe('2025-08');
  });

  it('moves old CDRs and exported files into YYYY-MM.zip, loses nothing across crashes, and documents stay printable and exportable', async () => {
    const docs = sellAccepted(3);
    // One document exported as files (XML + CDR) and one cancelled sale with a saved PDF.
    exportDocumentFiles(t.app, docs[0].documentId);
    t.app.db.raw.prepare(`UPDATE sales SET status = 'cancelled' WHERE id = ?`).run(docs[2].saleId);
    const pdfDir = documentDir(t.dir, '2026-05-10');
    const cancelledPdf = path.join(pdfDir, `${docs[2].fileName}.pdf`);
    const keptPdf = path.join(pdfDir, `${docs[1].fileName}.pdf`);
    fs.writeFileSync(cancelledPdf, await renderTicket(t.app.db, docs[2].documentId));
    fs.writeFileSync(keptPdf, await renderTicket(t.app.db, docs[1].documentId));
    // A sale of a recent month is not touched.
    t.clock.set('2026-11-20T15:00:00Z');
    const recent = sellAccepted(1)[0];
    t.clock.set('2026-12-05T07:00:00Z');

    const dry = archiveFiles(t.app, { dryRun: true });
    expect(dry.months).toHaveLength(1);
    expect(dry.months[0]).toMatchObject({ month: '2026-05', cdrsMoved: 3, filesMoved: 2 });
    expect(dry.pdfsRemoved).toBe(1);
    expect(fs.existsSync(archiveFile(t.dir, '2026-05'))).toBe(false);
    expect(cdrInDb(docs[0].documentId)).not.toBeNull();
    expect(fs.existsSync(cancelledPdf)).toBe(true);

    // Crash 1: the new archive is written but not yet in place.
    expect(() => archiveFiles(t.app, { hooks: { afterTempWritten: () => { throw new Error('corte de luz'); } } })).toThrow('corte de luz');
    expect(fs.existsSync(archiveFile(t.dir, '2026-05'))).toBe(false);
    expect(fs.readdirSync(path.dirname(archiveFile(t.dir, '2026-05')))).toEqual([`2026-05.zip.${process.pid}.tmp`]);
    for (const d of docs) expect(cdrInDb(d.documentId)).not.toBeNull();

    // Crash 2: the archive is in place and verified, the originals not yet removed.
    expect(() => archiveFiles(t.app, { hooks: { beforeRemove: () => { throw new Error('corte de luz'); } } })).toThrow('corte de luz');
    expect(fs.readdirSync(path.dirname(archiveFile(t.dir, '2026-05')))).toEqual(['2026-05.zip']);
    for (const d of docs) expect(cdrInDb(d.documentId)).not.toBeNull();
    expect(fs.existsSync(path.join(pdfDir, `${docs[0].fileName}.xml`))).toBe(true);

    // The next run (a fresh process) finishes the job.
    await t.app.close();
    t.app = createApp({ dataDir: t.dir, clock: t.clock });
    const r = archiveFiles(t.app);
    expect(r.months).toHaveLength(1);
    expect(r.months[0]).toMatchObject({ month: '2026-05', cdrsMoved: 3, filesMoved: 2, added: 0 });
    expect(r.bytesFreed).toBeGreaterThan(0);
    expect(r.pdfsRemoved).toBe(1);

    const entries = unzipSync(new Uint8Array(fs.readFileSync(archiveFile(t.dir, '2026-05'))));
    for (const d of docs) {
      expect(cdrInDb(d.documentId)).toBeNull();
      expect(Buffer.from(entries[`R-${d.fileName}.zip`]).equals(Buffer.from(d.cdr))).toBe(true);
      expect(Buffer.from(entries[`${d.fileName}.xml`]).toString('utf8')).toBe(d.xml);
      // The signed XML never leaves the database.
      expect((t.app.db.raw.prepare('SELECT xml FROM documents WHERE id = ?').get(d.documentId) as { xml: string }).xml).toBe(d.xml);
      const files = readDocumentFiles(t.app, d.documentId);
      expect(files.cdrSource).toBe('archive');
      expect(Buffer.from(files.cdrZip!).equals(Buffer.from(d.cdr))).toBe(true);
    }
    expect(fs.existsSync(path.join(pdfDir, `${docs[0].fileName}.xml`))).toBe(false);
    expect(fs.existsSync(cancelledPdf)).toBe(false);
    expect(fs.existsSync(keptPdf)).toBe(true);
    expect(cdrInDb(recent.documentId)).not.toBeNull();

    // Still printable and exportable after archiving.
    expect((await renderTicket(t.app.db, docs[0].documentId)).subarray(0, 5).toString()).toBe('%PDF-');
    const out = path.join(t.dir, 'export');
    const written = exportDocumentFiles(t.app, docs[1].documentId, { dir: out });
    expect(written.map((f) => path.basename(f)).sort()).toEqual([`${docs[1].fileName}.xml`, `R-${docs[1].fileName}.zip`]);
    expect(fs.readFileSync(path.join(out, `R-${docs[1].fileName}.zip`)).equals(Buffer.from(docs[1].cdr))).toBe(true);

    // Nothing left to do.
    expect(archiveFiles(t.app).months).toEqual([]);
  });

  it('rewrites an archive entry that differs from the database before the original leaves it', () => {
    const [d] = sellAccepted(1);
    t.clock.set('2026-12-05T07:00:00Z');
    // A damaged archive already in place (e.g. truncated copy restored from a backup).
    fs.mkdirSync(path.dirname(archiveFile(t.dir, '2026-05')), { recursive: true });
    fs.writeFileSync(archiveFile(t.dir, '2026-05'), zipSync({ [`R-${d.fileName}.zip`]: strToU8('otro contenido') }));
    archiveFiles(t.app);
    // The archive was rewritten with the database's bytes before the CDR left the database.
    const entries = unzipSync(new Uint8Array(fs.readFileSync(archiveFile(t.dir, '2026-05'))));
    expect(Buffer.from(entries[`R-${d.fileName}.zip`]).equals(Buffer.from(d.cdr))).toBe(true);
    expect(cdrInDb(d.documentId)).toBeNull();
  });
});
