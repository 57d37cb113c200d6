// The POS screen (dist-renderer/) is built from the sources on first use: `izisales serve` and `npm start` build it
// when it is missing or older than the sources, so a fresh `npm ci`, a `git pull` or an edit all serve the current
// screen without an install step. A packaged copy has no sources and serves what it ships.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PROJECT_ROOT } from './paths';

/** What the bundle is made of: the screen, the shared code it imports and the build's own settings. */
const SOURCES = ['src-renderer', 'src-shared', 'vite.config.ts'];

export type RendererNeed = 'missing' | 'stale' | null;

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Whether `root`'s dist-renderer/ must be built: 'missing', 'stale' (a source is newer), or null (fresh, or no sources here). */
export function rendererNeedsBuild(root = PROJECT_ROOT): RendererNeed {
  if (!fs.existsSync(path.join(root, 'src-renderer'))) return null;
  const index = path.join(root, 'dist-renderer', 'index.html');
  if (!fs.existsSync(index)) return 'missing';
  const sources = Math.max(...SOURCES.map((s) => path.join(root, s)).filter((p) => fs.existsSync(p)).map(newestMtime));
  return sources > fs.statSync(index).mtimeMs ? 'stale' : null;
}

/**
 * Builds dist-renderer/ with vite into a fresh folder beside it, then swaps it in: a server already serving the old
 * build, or a second process building at the same time, never sees a half-written folder.
 */
export function buildRenderer(root = PROJECT_ROOT): void {
  let vite: string;
  try {
    // vite's exports do not list its bin: find it beside its package.json.
    const pkg = createRequire(path.join(root, 'package.json')).resolve('vite/package.json');
    vite = path.join(path.dirname(pkg), (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { bin: { vite: string } }).bin.vite);
  } catch {
    throw new Error('No se puede compilar la interfaz: falta vite (ejecute "npm ci").');
  }
  const target = path.join(root, 'dist-renderer');
  const fresh = `${target}.building-${process.pid}`;
  // NODE_ENV=production: under a test runner (NODE_ENV=test) vite would bundle React's development build.
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error', '--outDir', fresh, '--emptyOutDir'], {
    cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) {
    fs.rmSync(fresh, { recursive: true, force: true });
    const why = `${r.stderr ?? ''}${r.error?.message ?? ''}`.trim().split('\n')[0];
    throw new Error(`No se pudo compilar la interfaz: ${why || `vite terminó con ${r.status}`}`);
  }
  const old = `${target}.old-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  try {
    fs.renameSync(fresh, target);
  } catch {
    // Another process swapped its build in first: the same sources, so theirs is as good.
    fs.rmSync(fresh, { recursive: true, force: true });
  }
  fs.rmSync(old, { recursive: true, force: true });
}

/** Builds the screen when needed; says so first (it takes a while on a small machine). Returns whether it built. */
export function ensureRendererBuilt(say: (line: string) => void, root = PROJECT_ROOT): boolean {
  const need = rendererNeedsBuild(root);
  if (!need) return false;
  say(need === 'missing' ? 'Compilando la interfaz (primera vez)…' : 'Compilando la interfaz (las fuentes cambiaron)…');
  buildRenderer(root);
  return true;
}
