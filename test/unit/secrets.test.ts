// The shell's secret store: the data key sealed by safeStorage. The stand-in below plays the OS keychain (DPAPI,
// Keychain, libsecret), which lives outside this machine: it encrypts with a key of its own that the data folder never sees.
import { afterEach, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KEY_FILE, keyFileSecretStore, safeStorageSecretStore, SEALED_KEY_FILE, SecretKeyError, type SafeStorageLike } from '../../src-main/secrets';
import { tempDir } from '../helpers/app';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = tempDir('izisales-secrets-');
  dirs.push(d);
  return d;
};

class Keychain implements SafeStorageLike {
  private readonly key = crypto.randomBytes(32);
  calls = { encrypt: 0, decrypt: 0 };
  constructor(public available = true, public backend = 'gnome_libsecret') {}
  isEncryptionAvailable() {
    return this.available;
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
  encryptString(s: string): Buffer {
    this.calls.encrypt++;
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(s, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }
  decryptString(b: Buffer): string {
    this.calls.decrypt++;
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, b.subarray(0, 12));
    d.setAuthTag(b.subarray(12, 28));
    return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
  }
}

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const SECRET = 'clave-SOL-MODDATOS';

describe('the data key sealed by the OS keychain (safeStorage)', () => {
  it('round trip: secrets sealed now open after a restart, and the key is never on disk in clear', () => {
    const dir = scratch();
    const keychain = new Keychain();
    const sealed = safeStorageSecretStore(dir, keychain).encrypt(Buffer.from(SECRET));
    expect(fs.existsSync(path.join(dir, KEY_FILE))).toBe(false);
    const file = fs.readFileSync(path.join(dir, SEALED_KEY_FILE));
    expect(fs.statSync(path.join(dir, SEALED_KEY_FILE)).mode & 0o077).toBe(0);
    // A restart: a new store from the same folder and keychain.
    expect(text(safeStorageSecretStore(dir, keychain).decrypt(sealed))).toBe(SECRET);
    // Another keychain (another Windows user, another PC) cannot open it: refused with a message, nothing replaced.
    expect(() => safeStorageSecretStore(dir, new Keychain())).toThrow(SecretKeyError);
    expect(() => safeStorageSecretStore(dir, new Keychain())).toThrow(/llavero del sistema no pudo abrir/);
    expect(fs.readFileSync(path.join(dir, SEALED_KEY_FILE))).toEqual(file);
  });

  it('migrates an existing plain key file: secrets stored before stay readable, the plain key goes', () => {
    const dir = scratch();
    const before = keyFileSecretStore(dir).encrypt(Buffer.from(SECRET));
    expect(fs.existsSync(path.join(dir, KEY_FILE))).toBe(true);
    const infos: string[] = [];
    const keychain = new Keychain();
    const store = safeStorageSecretStore(dir, keychain, { info: (m) => infos.push(m) });
    expect(text(store.decrypt(before))).toBe(SECRET);
    expect(fs.existsSync(path.join(dir, KEY_FILE))).toBe(false);
    expect(fs.existsSync(path.join(dir, SEALED_KEY_FILE))).toBe(true);
    expect(infos).toHaveLength(1);
    // Sealed and checked through the keychain before the plain copy went.
    expect(keychain.calls).toEqual({ encrypt: 1, decrypt: 1 });
    // And after a restart, the old secret and a new one both open.
    const again = safeStorageSecretStore(dir, keychain);
    expect(text(again.decrypt(before))).toBe(SECRET);
    expect(text(again.decrypt(store.encrypt(Buffer.from('otro'))))).toBe('otro');
  });

  it('a crash between sealing and removing the plain key: the same key is kept, the plain copy removed', () => {
    const dir = scratch();
    const keychain = new Keychain();
    const before = keyFileSecretStore(dir).encrypt(Buffer.from(SECRET));
    const plain = fs.readFileSync(path.join(dir, KEY_FILE));
    safeStorageSecretStore(dir, keychain);
    fs.writeFileSync(path.join(dir, KEY_FILE), plain, { mode: 0o600 }); // as if the removal never happened
    expect(text(safeStorageSecretStore(dir, keychain).decrypt(before))).toBe(SECRET);
    expect(fs.existsSync(path.join(dir, KEY_FILE))).toBe(false);
  });

  it('keychain unavailable (Linux without a keyring): warns and falls back to the 0600 key file', () => {
    for (const keychain of [new Keychain(false), new Keychain(true, 'basic_text')]) {
      const dir = scratch();
      const warnings: string[] = [];
      const store = safeStorageSecretStore(dir, keychain, { warn: (m) => warnings.push(m) });
      const sealed = store.encrypt(Buffer.from(SECRET));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/llavero del sistema no está disponible/);
      expect(warnings.join(' ')).not.toContain(fs.readFileSync(path.join(dir, KEY_FILE)).toString('base64'));
      expect(fs.statSync(path.join(dir, KEY_FILE)).mode & 0o077).toBe(0);
      expect(fs.existsSync(path.join(dir, SEALED_KEY_FILE))).toBe(false);
      expect(keychain.calls).toEqual({ encrypt: 0, decrypt: 0 });
      // The same folder headless reads the same secrets.
      expect(text(keyFileSecretStore(dir).decrypt(sealed))).toBe(SECRET);
    }
  });

  it('a sealed key is never replaced by a new plain one: not when the keychain is gone, not from the command line', () => {
    const dir = scratch();
    const keychain = new Keychain();
    const sealed = safeStorageSecretStore(dir, keychain).encrypt(Buffer.from(SECRET));
    keychain.available = false;
    expect(() => safeStorageSecretStore(dir, keychain)).toThrow(/protegida por el llavero del sistema, que ahora no está disponible/);
    // The CLI opens the folder fine; only touching a secret is refused, with a message.
    const cli = keyFileSecretStore(dir);
    expect(() => cli.decrypt(sealed)).toThrow(/llavero del sistema de la aplicación de escritorio/);
    expect(fs.existsSync(path.join(dir, KEY_FILE))).toBe(false);
    keychain.available = true;
    expect(text(safeStorageSecretStore(dir, keychain).decrypt(sealed))).toBe(SECRET);
  });
});
