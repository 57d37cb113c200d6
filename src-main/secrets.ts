// Secret storage (DESIGN §6): SOL password, certificate and its password are encrypted at rest. The Electron shell
// passes a safeStorage-backed store; headless, a random key in a 0600 file of the data directory encrypts them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SecretStore {
  encrypt(plain: Uint8Array): Uint8Array;
  decrypt(sealed: Uint8Array): Uint8Array;
}

/** AES-256-GCM with a key file readable by the owner only. */
export function keyFileSecretStore(dataDir: string): SecretStore {
  const file = path.join(dataDir, 'secret.key');
  let key: Buffer;
  if (fs.existsSync(file)) {
    key = fs.readFileSync(file);
  } else {
    key = crypto.randomBytes(32);
    fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  }
  if (key.length !== 32) throw new Error(`La clave de cifrado ${file} está dañada.`);
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([Buffer.from([1]), iv, c.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const b = Buffer.from(sealed);
      if (b[0] !== 1) throw new Error('Formato de secreto desconocido.');
      const d = crypto.createDecipheriv('aes-256-gcm', key, b.subarray(1, 13));
      d.setAuthTag(b.subarray(13, 29));
      return Buffer.concat([d.update(b.subarray(29)), d.final()]);
    },
  };
}
