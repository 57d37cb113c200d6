// The signature is stored by a relaxed commit right after the sale's durable one (sunat/signing.ts): a power cut may
// lose it, never the sale. That is safe only because signing the stored sale again gives what the ticket printed.
// Here the power cut is a copy of the data directory taken between the sale's commit and its signature's.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { createApp, type App } from '../../src-main/app';
import { createDemoCertificate } from '../../src-main/sunat/certificate';
import { storeCertificate } from '../../src-main/sunat/certificate-store';
import { verifyXml } from '../../src-main/sunat/signer';
import { demoApp, tempDir, type TestApp } from '../helpers/app';
import { getSetting } from '../../src-main/db/settings';

let t: TestApp | null = null;
let after: App | null = null;
let afterDir = '';
afterEach(async () => {
  await after?.close();
  after = null;
  if (afterDir) fs.rmSync(afterDir, { recursive: true, force: true });
  await t?.close();
  t = null;
});

const doc = (app: App, id: number) =>
  app.db.raw.prepare('SELECT xml, digest_value, qr FROM documents WHERE id = ?').get(id) as { xml: string | null; digest_value: string | null; qr: string | null };
const signatureValue = (xml: string) => /<ds:SignatureValue>([^<]+)</.exec(xml)![1];

/** A boleta with a soda and a plastic bag (ICBPER) and a factura, committed; then the data directory as a power cut leaves it. */
function salesThenPowerCut() {
  t = demoApp();
  t.app.signer.certificate(); // the demo certificate exists before the first sale, as after setup
  t.app.signAtCheckout = false; // the cut falls between the sale's commit and its signature's
  const soda = t.app.db.raw.prepare(`SELECT id FROM products WHERE is_bag = 0 AND tax_affectation = '10' ORDER BY id LIMIT 1`).get() as { id: number };
  const bag = t.app.db.raw.prepare('SELECT id FROM products WHERE is_bag = 1 LIMIT 1').get() as { id: number };
  const boleta = t.app.sell(t.cashier, t.terminalId, {
    documentType: '03', lines: [{ productId: soda.id, quantity: '2' }, { productId: bag.id, quantity: '1' }], payments: [{ method: 'cash', amount: '20' }],
  });
  const factura = t.app.sell(t.cashier, t.terminalId, {
    documentType: '01', customer: { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC' },
    lines: [{ productId: soda.id, quantity: '1' }], payments: [{ method: 'cash', amount: '200.50' }],
  });
  t.app.db.raw.pragma('wal_checkpoint(TRUNCATE)');
  afterDir = tempDir('izisales-power-cut-');
  fs.cpSync(t.dir, afterDir, { recursive: true });
  // The running till signs at once; this is what the ticket printed.
  for (const s of [boleta, factura]) expect(t.app.signer.signDocument(s.documentId, t.clock.now())).toBe(true);
  after = createApp({ dataDir: afterDir, clock: t.clock });
  return [boleta.documentId, factura.documentId];
}

describe('a signature lost to a power cut', () => {
  it('is made again byte for byte from the stored sale, with the hash and QR the ticket printed', () => {
    for (const id of salesThenPowerCut()) {
      const printed = doc(t!.app, id);
      expect(verifyXml(printed.xml!).valid).toBe(true);
      expect(doc(after!, id).xml).toBeNull(); // lost with its relaxed commit; the sale is there
      // What the runner does before sending a document without its XML (jobs/handlers/sunat-send.ts).
      expect(after!.signer.signDocument(id, new Date('2026-11-28T09:00:00Z'))).toBe(true);
      expect(doc(after!, id)).toEqual(printed);
    }
  });

  it('keeps the printed hash and QR even when another certificate signs it again', () => {
    const ids = salesThenPowerCut();
    // The admin imported a new certificate before the runner signed again.
    const store = getSetting(after!.db, 'store');
    const other = createDemoCertificate(store.ruc, store.legalName);
    storeCertificate(after!.db, after!.secrets, other.pfx, other.password);
    after!.signer.reset();
    for (const id of ids) {
      const printed = doc(t!.app, id);
      expect(after!.signer.signDocument(id, t!.clock.now())).toBe(true);
      const again = doc(after!, id);
      expect(verifyXml(again.xml!).valid).toBe(true);
      expect(signatureValue(again.xml!)).not.toBe(signatureValue(printed.xml!)); // another key did sign it
      expect(again.digest_value).toBe(printed.digest_value);
      expect(again.qr).toBe(printed.qr);
    }
  });
});

