#!/usr/bin/env node
// `npm start`: builds the POS screen if needed, then opens the Electron window where its binary is present, or
// serves the same app at http://127.0.0.1:PORT where it is not (as on machines that cannot download Electron).
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

// The same check as `izisales serve` (src-main/renderer-build.ts): built when missing or older than its sources.
register();
const { ensureRendererBuilt } = await import('../src-main/renderer-build.ts');
try {
  ensureRendererBuilt((line) => console.log(line), root);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

let electron = electronBinary();
if (!electron && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '1' && !process.env.CI) {
  // Installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1: try the download once; offline machines fail fast.
  spawnSync(process.execPath, [require.resolve('electron/install.js')], { cwd: root, stdio: 'ignore', timeout: 120_000 });
  electron = electronBinary();
}

if (electron) {
  // The native module is rebuilt for Electron's ABI only here, never in postinstall (see README).
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'electron-prepare.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status === 0) {
    const child = spawn(electron, [path.join(root, 'dist-main', 'main.cjs'), ...args], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    electron = null;
  }
}
if (!electron) {
  const port = process.env.PORT ?? '8080';
  console.log(`Electron no está disponible en esta máquina: iziSales se sirve en http://127.0.0.1:${port} (ábralo en el navegador).`);
  const child = spawn(process.execPath, [path.join(root, 'bin', 'izisales.mjs'), 'serve', '--port', port, ...args], { cwd: root, stdio: 'inherit' });
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
  child.on('exit', (code) => process.exit(code ?? 0));
}
