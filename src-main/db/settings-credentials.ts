// The SOL credentials: the one setting that holds a secret, sealed by the secret store, so the only reader that
// decrypts lives apart from the plain settings the hot paths read.
import type { Db } from './connection';
import type { SecretStore } from '../secrets';

/** The `sunatCredentials` row as stored (the password sealed). */
export interface StoredCredentials {
  solUser?: string;
  /** base64 of the SecretStore's sealed bytes. */
  solPasswordSealed?: string;
  /** Written in clear by older versions; read once, replaced on the next save. */
  solPassword?: string;
}

function credentialsRow(db: Db): { value: string } | undefined {
  return db.first(db.q.selectFrom('settings').select('value').where('key', '=', 'sunatCredentials'));
}

/** The SOL credentials, decrypted, or null when none are stored (the runner then uses beta's public ones). */
export function readSunatCredentials(db: Db, secrets: SecretStore): { solUser: string; solPassword: string } | null {
  const row = credentialsRow(db);
  if (!row) return null;
  const v = JSON.parse(row.value) as StoredCredentials;
  if (!v.solUser) return null;
  if (v.solPasswordSealed) return { solUser: v.solUser, solPassword: Buffer.from(secrets.decrypt(Buffer.from(v.solPasswordSealed, 'base64'))).toString('utf8') };
  return v.solPassword ? { solUser: v.solUser, solPassword: v.solPassword } : null;
}

/** The row as stored, nothing decrypted: the admin view shows whether a password is there, a change keeps it sealed. */
export function storedCredentials(db: Db): StoredCredentials {
  const row = credentialsRow(db);
  return row ? (JSON.parse(row.value) as StoredCredentials) : {};
}
