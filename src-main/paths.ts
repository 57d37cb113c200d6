// Where things live on disk: the data directory (userData, --data or IZISALES_DATA) and the bundled resources.
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The project root when running from source (src-main/..). Packaged builds set IZISALES_RESOURCES. */
export const PROJECT_ROOT = path.resolve(here, '..');

export function resourcePath(...parts: string[]): string {
  return path.join(process.env.IZISALES_RESOURCES ?? path.join(PROJECT_ROOT, 'resources'), ...parts);
}

/** --data DIR wins, then IZISALES_DATA, then the platform default (Electron passes its userData as --data). */
export function resolveDataDir(flag?: string): string {
  if (flag) return path.resolve(flag);
  if (process.env.IZISALES_DATA) return path.resolve(process.env.IZISALES_DATA);
  const base = process.platform === 'win32'
    ? process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming')
    : process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config');
  return path.join(base, 'izisales');
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'izisales.db');
}
