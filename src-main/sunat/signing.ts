// Signing at checkout (DESIGN §3.2): right after a sale commits, its document is built from the STORED sale, signed
// with the store's certificate and saved with its hash and QR text. The signed XML never changes afterwards.
import type { Db } from '../db/connection';
import type { SecretStore } from '../secrets';
import { computeLine, type TaxAffectation } from '../../src-shared/tax';
import { computeTotals } from '../../src-shared/tax';
import { Dec } from '../../src-shared/decimal';
import { limaTime } from '../../src-shared/time';
import { getSetting } from '../pos/settings';
import { taxRatesOn } from '../pos/settings-admin';
import { buildSignedDocument } from './build';
import { createDemoCertificate, loadCertificate, type LoadedCertificate } from './certificate';
import type { InvoiceDocument } from './model';
import type { SigningCertificate } from './signer';
import { createPrivateKey } from 'node:crypto';

const CERT_KEY = 'certificate';

interface StoredCertificate { pfx: string; password: string }

/** Saves a .pfx/.p12 (checked by loadCertificate) encrypted in the settings. */
export function storeCertificate(db: Db, secrets: SecretStore, pfx: Uint8Array, password: string): LoadedCertificate {
  const loaded = loadCertificate(pfx, password);
  const value: StoredCertificate = {
    pfx: Buffer.from(secrets.encrypt(pfx)).toString('base64'),
    password: Buffer.from(secrets.encrypt(Buffer.from(password, 'utf8'))).toString('base64'),
  };
  db.raw.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(CERT_KEY, JSON.stringify(value));
  return loaded;
}

export function readStoredCertificate(db: Db, secrets: SecretStore): LoadedCertificate | null {
  const row = db.raw.prepare('SELECT value FROM settings WHERE key = ?').get(CERT_KEY) as { value: string } | undefined;
  if (!row) return null;
  const v = JSON.parse(row.value) as StoredCertificate;
  const pfx = secrets.decrypt(Buffer.from(v.pfx, 'base64'));
  const password = Buffer.from(secrets.decrypt(Buffer.from(v.password, 'base64'))).toString('utf8');
  return loadCertificate(pfx, password);
}

/** The documents service: builds and signs documents with a certificate loaded once and kept in memory. */
export class Signer {
  private cert: SigningCertificate | null = null;

  constructor(private readonly db: Db, private readonly secrets: SecretStore) {}

  /** The store's certificate; in demo mode a self-signed one is created for the store's RUC the first time. */
  certificate(): SigningCertificate | null {
    if (this.cert) return this.cert;
    let loaded = readStoredCertificate(this.db, this.secrets);
    if (!loaded && getSetting(this.db, 'demoMode')) {
      const store = getSetting(this.db, 'store');
      const demo = createDemoCertificate(store.ruc, store.legalName);
      loaded = storeCertificate(this.db, this.secrets, demo.pfx, demo.password);
    }
    if (!loaded) return null;
    this.cert = { certPem: loaded.certPem, privateKeyPem: loaded.privateKeyPem, privateKey: createPrivateKey(loaded.privateKeyPem) };
    return this.cert;
  }

  /** Forget the cached certificate (after an admin imports a new one). */
  reset(): void {
    this.cert = null;
  }

  /** Signs the document if it is not signed yet. Returns false when no certificate is available (the job waits). */
  signDocument(documentId: number, now: Date): boolean {
    const doc = this.db.raw.prepare('SELECT id, sale_id, xml FROM documents WHERE id = ?').get(documentId) as { id: number; sale_id: number | null; xml: string | null } | undefined;
    if (!doc) throw new Error(`documento ${documentId} no existe`);
    if (doc.xml) return true; // immutable once signed
    if (doc.sale_id === null) throw new Error(`documento ${documentId} no proviene de una venta`);
    const cert = this.certificate();
    if (!cert) return false;
    const model = saleDocumentModel(this.db, doc.sale_id);
    const signed = buildSignedDocument(model, cert);
    this.db.raw
      .prepare('UPDATE documents SET xml = ?, digest_value = ?, qr = ?, signed_at = ?, updated_at = ? WHERE id = ? AND xml IS NULL')
      .run(signed.xml, signed.digestValue, signed.qr, now.toISOString(), now.toISOString(), documentId);
    return true;
  }
}

interface SaleRow {
  id: number; document_type: '01' | '03'; series: string; correlative: number; issued_at: string; issue_date: string;
  currency: 'PEN'; igv_rate: string; customer_doc_type: string; customer_doc_number: string; customer_name: string;
  customer_address: string | null; total_cents: number; igv_cents: number;
}
interface LineRow {
  description: string; unit_code: string; quantity: string; unit_price: string; tax_affectation: string;
  discount_cents: number; bags: number; product_id: number | null; total_cents: number;
}

/** The SUNAT document model of a stored sale: amounts recomputed from the stored lines, checked against the sale. */
export function saleDocumentModel(db: Db, saleId: number): InvoiceDocument {
  const s = db.raw.prepare('SELECT * FROM sales WHERE id = ?').get(saleId) as SaleRow | undefined;
  if (!s) throw new Error(`venta ${saleId} no existe`);
  const rows = db.raw.prepare('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no').all(saleId) as LineRow[];
  // IGV as stored with the sale; ICBPER as in force on the sale's date.
  const rates = { igv: s.igv_rate, icbper: taxRatesOn(db, s.issue_date).icbper };
  const lines = rows.map((l) => ({
    description: l.description,
    unitCode: l.unit_code,
    code: l.product_id === null ? undefined : String(l.product_id),
    amounts: computeLine({
      quantity: l.quantity, unitPrice: l.unit_price, taxAffectation: l.tax_affectation as TaxAffectation, bags: l.bags,
      discount: l.discount_cents > 0 ? { kind: 'amount', value: Dec.fromCents(l.discount_cents).toFixed(2) } : null,
    }, rates),
  }));
  const totals = computeTotals(lines.map((l) => l.amounts));
  if (totals.payable.toCents() !== s.total_cents || totals.igv.toCents() !== s.igv_cents) {
    throw new Error(`la venta ${saleId} no cuadra con sus líneas (total ${s.total_cents} vs ${totals.payable.toCents()})`);
  }
  const store = getSetting(db, 'store');
  return {
    documentType: s.document_type,
    issuer: { ruc: store.ruc, name: store.legalName, tradeName: store.tradeName, address: store.address, ubigeo: store.ubigeo, establishmentCode: store.establishmentCode },
    series: s.series,
    number: s.correlative,
    issueDate: s.issue_date,
    issueTime: limaTime(new Date(s.issued_at)),
    currency: s.currency,
    customer: { docType: s.customer_doc_type, docNumber: s.customer_doc_number, name: s.customer_name, address: s.customer_address ?? undefined },
    lines,
    totals,
    rates,
  };
}
