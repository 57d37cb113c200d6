// Signing at checkout (DESIGN §3.2): right after a sale commits, its document is built from the STORED sale, signed
// with the store's certificate and saved with its hash and QR text. The signed XML never changes afterwards.
// Here: the Signer service; the model comes from sale-model.ts, the certificate from certificate-store.ts, the signed
// XML from build.ts (pure, no database).
import type { Db } from '../db/connection';
import type { SecretStore } from '../secrets';
import { getSetting } from '../db/settings';
import { buildSignedDocument } from './build';
import { createDemoCertificate } from './certificate';
import { readStoredCertificate, storeCertificate } from './certificate-store';
import { storedDocumentModel, storedDocumentRef } from './stored-model';
import type { SigningCertificate } from './signer';
import { createPrivateKey } from 'node:crypto';

/** The documents service: builds and signs documents with a certificate loaded once and kept in memory. */
export class Signer {
  private cert: SigningCertificate | null = null;

  constructor(private readonly db: Db, private readonly secrets: SecretStore) {}

  /**
   * The store's certificate; in SUNAT mode demo (the simulator) a self-signed one is created for the store's RUC the
   * first time — keyed on the mode, not on the demo store, so an own store trying the app in demo mode signs too.
   */
  certificate(): SigningCertificate | null {
    if (this.cert) return this.cert;
    let loaded = readStoredCertificate(this.db, this.secrets);
    if (!loaded && getSetting(this.db, 'sunatMode') === 'demo') {
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
    const doc = storedDocumentRef(this.db, documentId);
    if (!doc) throw new Error(`documento ${documentId} no existe`);
    if (doc.xml) return true; // immutable once signed
    const cert = this.certificate();
    if (!cert) return false;
    const model = storedDocumentModel(this.db, doc);
    const signed = buildSignedDocument(model, cert);
    // Relaxed (not fsynced; durable with the next durable commit): the signed XML is a function of the stored sale
    // alone — RSA PKCS#1 v1.5 has no randomness, the signature holds no time, and the DigestValue printed on the
    // ticket covers the document without its signature, so not even a new certificate changes it. A signature lost to
    // a power cut is made again byte for byte by the runner before sending (test/integration/signature-redo.test.ts);
    // the sale itself was committed durably before this.
    this.db.tx(() => {
      this.db
        .prepare('UPDATE documents SET xml = ?, digest_value = ?, qr = ?, signed_at = ?, updated_at = ? WHERE id = ? AND xml IS NULL')
        .run(signed.xml, signed.digestValue, signed.qr, now.toISOString(), now.toISOString(), documentId);
    }, { relaxed: true });
    return true;
  }
}
