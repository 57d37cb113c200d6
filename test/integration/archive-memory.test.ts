// A large month archives in bounded memory. Its own file, so the process's peak RSS (getrusage's maxRSS) is this
// test's and not some earlier test's.
//
// The bound: 2,500 documents with a 32 KiB XML and a 16 KiB CDR each are 5,000 entries and 120 MiB of content.
// Building the zip in memory (the previous fflate zipSync/unzipSync version) held the originals, the zip and its
// read-back copy at once: this very test measured 421 MB of growth with it, and failed. Streaming keeps one entry
// plus ~1 KB of bookkeeping per entry: 39–49 MB here (91–98 MB for a 100,000-entry month). 200 MB is far enough
// above the streaming figure not to flake with GC timing, and far enough below the in-memory one to catch it.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { demoApp, type TestApp } from '../helpers/app';
import { archiveFiles } from '../../src-main/files/archive-write';
import { readDocumentFiles } from '../../src-main/files/archive-read';

let t: TestApp;
beforeEach(() => {
  t = demoApp({ at: '2026-05-10T15:00:00Z' });
});
afterEach(() => t.close());

const DOCUMENTS = 2_500;
const XML_BYTES = 32 * 1024;
const CDR_BYTES = 16 * 1024;
const MB = 1024 * 1024;

it('archives a month of 5,000 large files with RSS growth under 200 MB', () => {
  const insert = t.app.db.raw.prepare(`
    INSERT INTO documents (document_type, series, correlative, file_name, issue_date, status, xml, cdr_zip, created_at, updated_at)
    VALUES ('03', 'B900', ?, ?, ?, 'accepted', ?, ?, ?, ?)`);
  const line = (k: number) => `<cac:InvoiceLine><cbc:ID>${k}</cbc:ID><cbc:LineExtensionAmount currencyID="PEN">${k}.00</cbc:LineExtensionAmount></cac:InvoiceLine>`;
  const sample: { id: number; cdr: Buffer }[] = [];
  t.app.db.tx(() => {
    for (let i = 1; i <= DOCUMENTS; i++) {
      // A signature value that differs per document and lines, like a real signed XML; a CDR that does not compress.
      let xml = `<?xml version="1.0" encoding="UTF-8"?><Invoice><cbc:ID>B900-${i}</cbc:ID><ds:SignatureValue>${randomBytes(256).toString('base64')}</ds:SignatureValue>`;
      for (let k = 0; xml.length < XML_BYTES; k++) xml += line(k * i);
      const cdr = randomBytes(CDR_BYTES);
      const day = `2026-05-${String(1 + (i % 28)).padStart(2, '0')}`;
      const r = insert.run(i, `20100000001-03-B900-${i}`, day, `${xml}</Invoice>`, cdr, `${day}T15:00:00.000Z`, `${day}T15:00:00.000Z`);
      if (i % 500 === 0) sample.push({ id: Number(r.lastInsertRowid), cdr });
    }
  });
  t.clock.set('2026-12-05T07:00:00Z');

  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const r = archiveFiles(t.app);
  const seconds = (performance.now() - started) / 1000;
  const growth = process.resourceUsage().maxRSS * 1024 - rssBefore;

  expect(r.months).toHaveLength(1);
  expect(r.months[0]).toMatchObject({ month: '2026-05', added: 2 * DOCUMENTS, cdrsMoved: DOCUMENTS });
  console.log(`archive: ${2 * DOCUMENTS} files in ${seconds.toFixed(2)} s (${Math.round((2 * DOCUMENTS) / seconds)} files/s), peak RSS growth ${Math.round(growth / MB)} MB`);
  expect(growth).toBeLessThan(200 * MB);
  for (const s of sample) {
    const f = readDocumentFiles(t.app, s.id);
    expect(f.cdrSource).toBe('archive');
    expect(Buffer.from(f.cdrZip!).equals(s.cdr)).toBe(true);
  }
});
