// Bundles a TypeScript child-process script once (esbuild) so crash tests can start it many times in milliseconds.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const BUNDLE_CJS = path.resolve('bin/bundle.cjs');
const { bundleOptions } = require(BUNDLE_CJS) as { bundleOptions: (extra?: { define?: Record<string, string> }) => Record<string, unknown> };

/**
 * Bundles `entry` as the command line is (bin/bundle.cjs) and returns a two-line loader that runs it through V8's
 * code cache, as bin/izisales.mjs does: the first start compiles the bundle and keeps V8's compiled code beside it, the
 * following ones (a crash test starts a child hundreds of times) skip most of the compilation.
 */
export async function bundleChild(entry: string, name: string): Promise<string> {
  // Inside node_modules so the bundle resolves the native better-sqlite3 from the project.
  const dir = path.resolve('node_modules/.cache/izisales-test');
  const base = name.replace(/\.m?js$/, '');
  const bundle = path.join(dir, `${base}.cjs`);
  // The resources are the project's, not beside the bundle (paths.ts).
  await build({ ...bundleOptions({ define: { 'process.env.IZISALES_RESOURCES': JSON.stringify(path.resolve('resources')) } }), entryPoints: [entry], outfile: bundle });
  fs.rmSync(`${bundle}.v8cache`, { force: true }); // compiled from another bundle: V8 would reject it anyway
  const loader = path.join(dir, `${base}.loader.cjs`);
  fs.writeFileSync(loader, `'use strict';\nrequire(${JSON.stringify(BUNDLE_CJS)}).runBundle(${JSON.stringify(bundle)});\n`);
  return loader;
}

/**
 * Starts a bundled loop child on `dir` and kills it with SIGKILL `delayMs` after its first output line (its first
 * commit). Resolves with the lines it printed that match `line`: what it committed before it died.
 */
export function runAndKill(child: string, dir: string, delayMs: number, line: RegExp): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed) {
        armed = true;
        setTimeout(() => p.kill('SIGKILL'), delayMs);
      }
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed: ${err}`));
      else resolve(out.split('\n').filter((l) => line.test(l)));
    });
  });
}
