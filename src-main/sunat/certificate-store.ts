// Certificate storage: the store's .pfx/.p12 and its password, sealed by the secret store in the settings table
// (checked by loadCertificate before it is kept). Reading it back opens the seal; nothing here signs.
import type { Db } from '../db/connection';
import type { SecretStore } from '../secrets';
import { loadCertificate, type LoadedCertificate } from './certificate';

const CERT_KEY = 'certificate';

interface StoredCertificate { pfx: string; password: string }

/** Saves a .pfx/.p12 (checked by loadCertificate) encrypted in the settings. */
export function storeCertificate(db: Db, secrets: SecretStore, pfx: Uint8Array, password: string): LoadedCertificate {
  const loaded = loadCertificate(pfx, password);
  const value: StoredCertificate = {
    pfx: Buffer.from(secrets.encrypt(pfx)).toString('base64'),
    password: Buffer.from(secrets.encrypt(Buffer.from(password, 'utf8'))).toString('base64'),
  };
  const json = JSON.stringify(value);
  db.run(db.q.insertInto('settings').values({ key: CERT_KEY, value: json }).onConflict((oc) => oc.column('key').doUpdateSet({ value: json })));
  return loaded;
}

/** The stored certificate's sealed settings value as it is (a cache key for its readers), or null when none. */
export function storedCertificateValue(db: Db): string | null {
  return db.first(db.q.selectFrom('settings').select('value').where('key', '=', CERT_KEY))?.value ?? null;
}

/** The .pfx and its password out of the sealed value; throws when the secret store cannot open them. */
export function unsealCertificate(value: string, secrets: SecretStore): { pfx: Uint8Array; password: string } {
  const v = JSON.parse(value) as StoredCertificate;
  return {
    pfx: secrets.decrypt(Buffer.from(v.pfx, 'base64')),
    password: Buffer.from(secrets.decrypt(Buffer.from(v.password, 'base64'))).toString('utf8'),
  };
}

export function readStoredCertificate(db: Db, secrets: SecretStore): LoadedCertificate | null {
  const value = storedCertificateValue(db);
  if (value === null) return null;
  const { pfx, password } = unsealCertificate(value, secrets);
  return loadCertificate(pfx, password);
}
