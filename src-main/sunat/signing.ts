// Signing at checkout (DESIGN §3.2): right after a sale commits, its document is built from the STORED sale, signed
// with the store's certificate and saved with its hash and QR text. The signed XML never changes afterwards.
// Here: the Signer service and its thread; the model comes from sale-model.ts, the certificate from
// certificate-store.ts, the signed XML from build.ts (pure, no database).
import type { Db } from '../db/connection';
import type { SecretStore } from '../secrets';
import { getSetting } from '../db/settings';
import { buildSignedDocument } from './build';
import { createDemoCertificate } from './certificate';
import { readStoredCertificate, storeCertificate } from './certificate-store';
import { storedDocumentModel, storedDocumentRef } from './stored-model';
import type { SigningCertificate } from './signer';
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SignReply } from './sign-worker';

/**
 * Where the signing thread's code is: next to this file as TypeScript (the CLI, `serve` and tests run the sources
 * through tsx, which the thread loads too), or as the shell's bundled `sign-worker.cjs`. Null: sign inline.
 */
function workerEntry(): URL | null {
  const ts = new URL('./sign-worker.ts', import.meta.url);
  if (ts.protocol === 'file:' && fs.existsSync(ts)) {
    // A thread does not inherit tsx's hooks: a two-line module registers them, then loads the TypeScript entry.
    let api: string;
    try {
      api = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
    } catch {
      return null;
    }
    if (!fs.existsSync(api)) return null;
    const code = `import { register } from ${JSON.stringify(pathToFileURL(api).href)}; register(); await import(${JSON.stringify(ts.href)});`;
    return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  }
  // The shell's bundle: a thread cannot load code from inside app.asar, so the installer unpacks this file.
  const cjs = new URL('./sign-worker.cjs', import.meta.url);
  const unpacked = new URL(cjs.href.replace('/app.asar/', '/app.asar.unpacked/'));
  for (const u of [unpacked, cjs]) if (u.protocol === 'file:' && fs.existsSync(u)) return u;
  return null;
}

/** The documents service: builds and signs documents with a certificate loaded once and kept in memory. */
export class Signer {
  private cert: SigningCertificate | null = null;
  private worker: Worker | null = null;
  private workerHasCert = false;
  private readonly inflight = new Map<number, { promise: Promise<boolean>; resolve: (signed: boolean) => void; now: Date }>();

  constructor(private readonly db: Db, private readonly secrets: SecretStore) {}

  /**
   * Starts the signing thread (the long-running services do: `serve`, `worker`, the shell). From then on a sale
   * commits first and its document is signed off the POS's thread a few milliseconds later (signSoon); without the
   * thread — it could not start, or a CLI command — signing stays inline, in the sale's own transaction.
   */
  startWorker(): boolean {
    if (this.worker) return true;
    if (this.db.file === ':memory:') return false;
    const entry = workerEntry();
    if (!entry) return false;
    try {
      const w = new Worker(entry, { workerData: { dbFile: this.db.file } });
      w.unref();
      w.on('message', (m: SignReply | { ready: true }) => {
        if ('documentId' in m) this.onSigned(m);
      });
      const gone = () => {
        if (this.worker !== w) return;
        this.worker = null;
        this.workerHasCert = false;
        // Whatever it was signing is signed here instead: a sale is never left waiting on a dead thread.
        for (const [documentId, f] of [...this.inflight]) {
          this.inflight.delete(documentId);
          f.resolve(this.signInlineQuietly(documentId, f.now));
        }
      };
      w.on('error', gone);
      w.on('exit', gone);
      this.worker = w;
      return true;
    } catch {
      return false;
    }
  }

  get hasWorker(): boolean {
    return this.worker !== null;
  }

  async stopWorker(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    // Let what is being signed finish (a few ms), then stop; anything left is signed inline by gone().
    const pending = [...this.inflight.values()].map((f) => f.promise);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(pending), new Promise((r) => (timer = setTimeout(r, 2_000)))]);
    clearTimeout(timer);
    await w.terminate();
  }

  /**
   * Signs the sale's document on the signing thread and stores it; resolves true once stored, false when it cannot
   * be signed now (no certificate: the runner signs it before sending). Inline when the thread is not running.
   */
  signSoon(documentId: number, now: Date): Promise<boolean> {
    const known = this.inflight.get(documentId);
    if (known) return known.promise;
    if (!this.worker) return Promise.resolve(this.signInlineQuietly(documentId, now));
    const cert = this.certificate();
    if (!cert) return Promise.resolve(false);
    if (!this.workerHasCert) {
      this.worker.postMessage({ type: 'certificate', certPem: cert.certPem, privateKeyPem: cert.privateKeyPem });
      this.workerHasCert = true;
    }
    let resolve!: (signed: boolean) => void;
    const promise = new Promise<boolean>((r) => (resolve = r));
    this.inflight.set(documentId, { promise, resolve, now });
    this.worker.postMessage({ type: 'sign', documentId });
    return promise;
  }

  /** Resolves once a signing started by signSoon has been stored (at once when none is in flight). */
  async whenSigned(documentId: number): Promise<void> {
    await this.inflight.get(documentId)?.promise;
  }

  private onSigned(m: SignReply): void {
    const f = this.inflight.get(m.documentId);
    if (!f) return;
    this.inflight.delete(m.documentId);
    if (!m.ok) {
      // The thread could not (e.g. the sale does not add up): inline gives the same answer and records nothing.
      f.resolve(this.signInlineQuietly(m.documentId, f.now));
      return;
    }
    try {
      const at = f.now.toISOString();
      this.db
        .prepare('UPDATE documents SET xml = ?, digest_value = ?, qr = ?, signed_at = ?, updated_at = ? WHERE id = ? AND xml IS NULL')
        .run(m.xml, m.digestValue, m.qr, at, at, m.documentId);
      f.resolve(true);
    } catch {
      f.resolve(false); // stays unsigned and pending; the runner signs it before sending
    }
  }

  private signInlineQuietly(documentId: number, now: Date): boolean {
    try {
      return this.signDocument(documentId, now);
    } catch {
      return false;
    }
  }

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
    this.workerHasCert = false;
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
    this.db
      .prepare('UPDATE documents SET xml = ?, digest_value = ?, qr = ?, signed_at = ?, updated_at = ? WHERE id = ? AND xml IS NULL')
      .run(signed.xml, signed.digestValue, signed.qr, now.toISOString(), now.toISOString(), documentId);
    return true;
  }
}
