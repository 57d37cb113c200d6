// The signing worker thread (sunat/signing.ts Signer): builds a document from the STORED sale or note on its own
// read-only connection and signs it, off the thread that serves the POS. It never writes: the main thread stores the
// XML. The private key arrives once, in memory, from the main thread; it is never logged nor written anywhere.
import { createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/connection';
import { buildSignedDocument } from './build';
import { storedDocumentModel, storedDocumentRef } from './stored-model';
import type { SigningCertificate } from './signer';

export interface SignRequest { type: 'sign'; documentId: number }
export interface CertificateMessage { type: 'certificate'; certPem: string; privateKeyPem: string }
export type SignReply =
  | { documentId: number; ok: true; xml: string; digestValue: string; qr: string }
  | { documentId: number; ok: false; error: string };

const port = parentPort!;
const db = openDatabase((workerData as { dbFile: string }).dbFile, { readonly: true, migrate: false });
let cert: SigningCertificate | null = null;

port.on('message', (m: SignRequest | CertificateMessage) => {
  if (m.type === 'certificate') {
    cert = { certPem: m.certPem, privateKeyPem: m.privateKeyPem, privateKey: createPrivateKey(m.privateKeyPem) };
    return;
  }
  let reply: SignReply;
  try {
    if (!cert) throw new Error('sin certificado');
    const ref = storedDocumentRef(db, m.documentId);
    if (!ref) throw new Error(`documento ${m.documentId} no existe`);
    const signed = buildSignedDocument(storedDocumentModel(db, ref), cert);
    reply = { documentId: m.documentId, ok: true, xml: signed.xml, digestValue: signed.digestValue, qr: signed.qr };
  } catch (e) {
    reply = { documentId: m.documentId, ok: false, error: (e as Error).message };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
