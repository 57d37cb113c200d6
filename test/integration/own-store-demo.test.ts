// Issue 13 (5): an own store set up in SUNAT mode demo, without a .pfx, signs its first sale with a test certificate
// made for its own RUC — as the demo store does.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { createApp, type App } from '../../src-main/app';
import { ManualClock } from '../../src-main/adapters';
import { setupOwnStore } from '../../src-main/pos/setup';
import { addProduct } from '../../src-main/pos/admin';
import { openSession } from '../../src-main/pos/cash';
import { getSetting } from '../../src-main/db/settings';
import { showCertificate } from '../../src-main/pos/certificate-admin';
import { tempDir } from '../helpers/app';

let app: App | null = null;
let dir = '';
afterEach(async () => {
  await app?.close();
  app = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('own store in SUNAT mode demo', () => {
  it('signs the first sale with a self-signed certificate for the store\'s RUC: QR and hash on the ticket', () => {
    dir = tempDir();
    const clock = new ManualClock(new Date('2026-11-27T15:00:00Z'));
    app = createApp({ dataDir: dir, clock });
    const adminId = setupOwnStore(app, {
      ruc: '20100070970', legalName: 'Comercial Santa Rosa S.A.C.', tradeName: 'Minimarket Santa Rosa', address: 'Jr. Junín 456, Cercado de Lima',
      ubigeo: '150101', establishmentCode: '0001', terminalId: 'CAJA-02', boletaSeries: 'B002', facturaSeries: 'F002',
      admin: { username: 'rosa', name: 'Rosa Huamán', pin: '2468' }, sunatMode: 'demo',
    });
    expect(getSetting(app.db, 'demoMode')).toBe(false);
    const productId = addProduct(app.db, clock.now(), adminId, { sku: 'A1', barcode: null, name: 'ARROZ 1KG', price: '4.50', taxAffectation: '10', unitCode: 'NIU', stock: '10' });
    openSession(app.db, clock.now(), 'CAJA-02', adminId, '100.00');
    const r = app.sell({ id: adminId, role: 'admin' }, 'CAJA-02', { documentType: '03', lines: [{ productId, quantity: '1' }], payments: [{ method: 'cash', amount: '4.50' }] });
    const doc = app.db.raw.prepare('SELECT xml, digest_value, qr FROM documents WHERE id = ?').get(r.documentId) as { xml: string | null; digest_value: string | null; qr: string | null };
    expect(doc.xml).toContain('<ds:Signature');
    expect(doc.digest_value).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(doc.qr).toContain(`20100070970|03|B002|`);
    expect(doc.qr).toContain(`|${doc.digest_value}|`);
    const cert = showCertificate(app.db, app.secrets, clock.now()).certificate;
    expect(cert).toMatchObject({ ruc: '20100070970', selfSigned: true });
  });
});
