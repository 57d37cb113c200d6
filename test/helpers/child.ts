// Bundles a TypeScript child-process script once (esbuild) so crash tests can start it many times in milliseconds.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Printing libraries (PDFKit with fontkit and brotli, the QR encoder: half of the bundle) are imported on the first
 * print only (documents/pdf.ts); left out of the bundle, a crash child that never prints starts without parsing them.
 */
const LOADED_AT_RUNTIME = ['pdfkit', 'qrcode'];

/**
 * Bundles `entry` as CommonJS and returns a small loader that runs it through V8's code cache: the first start
 * compiles the bundle and keeps V8's compiled code beside it, the following ones (a crash test starts a child
 * hundreds of times) skip most of the compilation (~0.1 s of a ~0.45 s start). Node 20 has no module compile cache
 * of its own; `vm.Script` with `cachedData` is the documented way. `external`: packages loaded from node_modules as
 * they are (the hub's engines: PGlite finds its WebAssembly beside its own files).
 */
export async function bundleChild(entry: string, name: string, opts: { external?: string[] } = {}): Promise<string> {
  // Inside node_modules so the bundle resolves the native better-sqlite3 from the project.
  const dir = path.resolve('node_modules/.cache/izisales-test');
  const base = name.replace(/\.m?js$/, '');
  const bundle = path.join(dir, `${base}.cjs`);
  const cache = `${bundle}.v8cache`;
  await build({
    entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', external: ['better-sqlite3', ...LOADED_AT_RUNTIME, ...(opts.external ?? [])], logLevel: 'warning',
    // import() of what stays outside becomes require(): a script run from V8's code cache has no import() of its own.
    supported: { 'dynamic-import': false },
    define: {
      'process.env.IZISALES_RESOURCES': JSON.stringify(path.resolve('resources')),
      // What the ESM bundle's import.meta.url was: the bundle's own address.
      'import.meta.url': JSON.stringify(pathToFileURL(bundle).href),
    },
  });
  fs.rmSync(cache, { force: true }); // compiled from another bundle: V8 would reject it anyway
  const loader = path.join(dir, `${base}.loader.cjs`);
  fs.writeFileSync(loader, loaderSource(bundle, cache));
  return loader;
}

function loaderSource(bundle: string, cache: string): string {
  return `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const file = ${JSON.stringify(bundle)};
const cacheFile = ${JSON.stringify(cache)};
let cachedData;
try { cachedData = fs.readFileSync(cacheFile); } catch {}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(path.dirname(file));
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
if (cachedData === undefined || script.cachedDataRejected) {
  // Written once the bundle's start-up code has run, so its functions are in it; a rename, so a child that starts
  // meanwhile reads a whole file or none.
  const tmp = cacheFile + '.' + process.pid;
  fs.writeFileSync(tmp, script.createCachedData());
  fs.renameSync(tmp, cacheFile);
}
`;
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
