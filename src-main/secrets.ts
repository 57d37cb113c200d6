// Secret storage (DESIGN §6): SOL password, certificate and its password are encrypted at rest with AES-256-GCM under
// one random data key. Headless, the key lives in a 0600 file of the data directory; in the Electron shell the key
// file holds the key sealed by the OS keychain (safeStorage: DPAPI, Keychain, libsecret/kwallet), so a copy of the
// data folder alone does not open the secrets.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './files/store';

export interface SecretStore {
  encrypt(plain: Uint8Array): Uint8Array;
  decrypt(sealed: Uint8Array): Uint8Array;
}

export const KEY_FILE = 'secret.key';
/** The data key sealed by the OS keychain (the shell's safeStorage). */
export const SEALED_KEY_FILE = 'secret.key.sealed';
const SEALED_MAGIC = 'IZISALES-SEALED-KEY-1\n';

export class SecretKeyError extends Error {}

/** AES-256-GCM under `key` (any function returning it, so a key can be loaded on first use). */
function aesGcmStore(key: () => Buffer): SecretStore {
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key(), iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([Buffer.from([1]), iv, c.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const b = Buffer.from(sealed);
      if (b[0] !== 1) throw new Error('Formato de secreto desconocido.');
      const d = crypto.createDecipheriv('aes-256-gcm', key(), b.subarray(1, 13));
      d.setAuthTag(b.subarray(13, 29));
      return Buffer.concat([d.update(b.subarray(29)), d.final()]);
    },
  };
}

function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

function readPlainKey(file: string): Buffer {
  const key = fs.readFileSync(file);
  if (key.length !== 32) throw new SecretKeyError(`La clave de cifrado ${file} está dañada.`);
  return key;
}

/**
 * AES-256-GCM with a key file readable by the owner only. The key is read (or created) on first use, so commands that
 * never touch a secret work on any data folder. A folder whose key is sealed by the shell's keychain is refused with
 * a message instead of getting a second, different key that would orphan the stored secrets.
 */
export function keyFileSecretStore(dataDir: string): SecretStore {
  const file = path.join(dataDir, KEY_FILE);
  return aesGcmStore(lazy(() => {
    if (fs.existsSync(file)) return readPlainKey(file);
    if (fs.existsSync(path.join(dataDir, SEALED_KEY_FILE))) {
      throw new SecretKeyError(
        'Los secretos de esta carpeta están protegidos por el llavero del sistema de la aplicación de escritorio: ' +
          'ábralos desde iziSales (la ventana), no desde la línea de comandos.',
      );
    }
    const key = crypto.randomBytes(32);
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  }));
}

/** What the store needs of Electron's safeStorage (the OS keychain); tests pass a stand-in. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keyring, encryption with a password built into Chromium (no protection). */
  getSelectedStorageBackend?(): string;
}

export interface SafeStorageStoreOptions {
  /** Told once when the keychain cannot be used and the plain key file is used instead (never given the key). */
  warn?: (message: string) => void;
  /** Told when an existing plain key file was moved under the keychain. */
  info?: (message: string) => void;
}

function keychainUsable(safe: SafeStorageLike): boolean {
  try {
    if (!safe.isEncryptionAvailable()) return false;
    return safe.getSelectedStorageBackend?.() !== 'basic_text';
  } catch {
    return false;
  }
}

function sealKey(safe: SafeStorageLike, key: Buffer): Buffer {
  return Buffer.concat([Buffer.from(SEALED_MAGIC, 'latin1'), safe.encryptString(key.toString('base64'))]);
}

function unsealKey(safe: SafeStorageLike, sealed: Buffer, file: string): Buffer {
  const magic = Buffer.from(SEALED_MAGIC, 'latin1');
  if (!sealed.subarray(0, magic.length).equals(magic)) throw new SecretKeyError(`La clave protegida ${file} está dañada.`);
  let key: Buffer;
  try {
    key = Buffer.from(safe.decryptString(sealed.subarray(magic.length)), 'base64');
  } catch {
    throw new SecretKeyError(
      'El llavero del sistema no pudo abrir la clave de cifrado de iziSales (¿otro usuario de Windows o un llavero distinto?). ' +
        'Ingrese con el usuario del sistema que configuró iziSales; los secretos no se borraron.',
    );
  }
  if (key.length !== 32) throw new SecretKeyError(`La clave protegida ${file} está dañada.`);
  return key;
}

/**
 * The shell's store: the same AES-256-GCM data key, kept sealed by the OS keychain in `secret.key.sealed`.
 * - Keychain usable, sealed key present: unseal it (a plain key left beside it by a crash mid-migration is removed
 *   once it is known to be the same key).
 * - Keychain usable, only a plain key file (a folder used headless, or before this store existed): the SAME key is
 *   sealed, written, read back and checked, and only then the plain file is removed — secrets already stored stay
 *   readable.
 * - Keychain usable, no key: a new key, sealed.
 * - Keychain not usable (Linux without a keyring: no backend, or Chromium's 'basic_text'): a warning, and the 0600
 *   plain key file as headless. A key already sealed cannot be opened then: refused with a message, nothing replaced.
 */
export function safeStorageSecretStore(dataDir: string, safe: SafeStorageLike, opts: SafeStorageStoreOptions = {}): SecretStore {
  const plainFile = path.join(dataDir, KEY_FILE);
  const sealedFile = path.join(dataDir, SEALED_KEY_FILE);
  if (!keychainUsable(safe)) {
    opts.warn?.(
      'El llavero del sistema no está disponible (p. ej. Linux sin llavero): la clave de los secretos queda en un archivo ' +
        `${KEY_FILE} legible solo por este usuario, como en el modo sin ventana.`,
    );
    if (fs.existsSync(sealedFile) && !fs.existsSync(plainFile)) {
      throw new SecretKeyError(
        'La clave de cifrado está protegida por el llavero del sistema, que ahora no está disponible. ' +
          'Inicie sesión en el escritorio con el llavero desbloqueado y vuelva a abrir iziSales; no se cambió nada.',
      );
    }
    return keyFileSecretStore(dataDir);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  let key: Buffer;
  if (fs.existsSync(sealedFile)) {
    key = unsealKey(safe, fs.readFileSync(sealedFile), sealedFile);
    if (fs.existsSync(plainFile)) {
      let same = false;
      try {
        same = crypto.timingSafeEqual(readPlainKey(plainFile), key);
      } catch {
        same = false;
      }
      if (same) fs.rmSync(plainFile, { force: true });
      else opts.warn?.(`Hay un ${KEY_FILE} distinto de la clave protegida; se usa la protegida y el archivo se deja como está.`);
    }
  } else if (fs.existsSync(plainFile)) {
    key = readPlainKey(plainFile);
    writeFileAtomic(sealedFile, sealKey(safe, key), 0o600); // a crash never leaves half a key
    // Read back through the keychain before the plain copy goes: a key that does not come back is never lost.
    const back = unsealKey(safe, fs.readFileSync(sealedFile), sealedFile);
    if (!crypto.timingSafeEqual(back, key)) {
      fs.rmSync(sealedFile, { force: true });
      opts.warn?.('No se pudo proteger la clave de cifrado con el llavero del sistema; se sigue usando el archivo de clave.');
      return keyFileSecretStore(dataDir);
    }
    fs.rmSync(plainFile, { force: true });
    opts.info?.(`La clave de los secretos pasó al llavero del sistema (${SEALED_KEY_FILE}).`);
  } else {
    key = crypto.randomBytes(32);
    writeFileAtomic(sealedFile, sealKey(safe, key), 0o600); // a crash never leaves half a key
  }
  return aesGcmStore(() => key);
}
