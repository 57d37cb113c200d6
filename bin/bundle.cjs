// Runs TypeScript entries as esbuild bundles started through V8's code cache: the izisales command line (bin/izisales.mjs)
// and the tests' crash children (test/helpers/child.ts). tsx resolves and compiles every module at each start (about a
// second on two cores); a bundle compiled once and run from the code cache starts in a fraction of that.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const ROOT = path.resolve(__dirname, '..');

/**
 * Loaded from node_modules at run time, never bundled: the native SQLite driver; the printing libraries (PDFKit with
 * fontkit, the QR encoder: half a bundle's size, imported on the first print only); the hub's engines (PGlite finds its
 * WebAssembly beside its own files).
 */
const RUNTIME_EXTERNAL = ['electron', 'better-sqlite3', 'pdfkit', 'qrcode', 'pg', '@electric-sql/pglite'];
/** The shell's bundles carry their libraries inside (an installer ships them), all but Electron and the native driver. */
const SHELL_EXTERNAL = ['electron', 'better-sqlite3'];

/**
 * esbuild's options for a CommonJS bundle of the main process's code that runs in plain Node or Electron's: the
 * command line, the tests' children, the shell (bin/electron-prepare.mjs). `external`: what stays in node_modules
 * (default RUNTIME_EXTERNAL; the shell's: SHELL_EXTERNAL).
 */
function bundleOptions(extra = {}) {
  return {
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', absWorkingDir: ROOT, logLevel: 'warning',
    external: extra.external ?? RUNTIME_EXTERNAL,
    // import() of what stays outside becomes require(): a script run from the code cache has no import() of its own.
    supported: { 'dynamic-import': false },
    // Each module's import.meta.url becomes the bundle's own address (paths.ts finds the project beside it).
    define: { 'import.meta.url': 'importMetaUrl', ...(extra.define ?? {}) },
    inject: [path.join(ROOT, 'bin', 'import-meta-url.js')],
  };
}

/** Every file under `entries` (files or folders of `root`), with its size and modification time, in a stable order. */
function listFiles(root, entries) {
  const out = [];
  const walk = (rel) => {
    let st;
    try {
      st = fs.statSync(path.join(root, rel));
    } catch {
      return; // absent: part of the key by its absence
    }
    if (!st.isDirectory()) {
      out.push(`${rel}\t${st.size}\t${st.mtimeMs}`);
      return;
    }
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) walk(path.join(rel, name));
  };
  for (const e of entries) walk(e);
  return out;
}

/**
 * What a bundle is built from: the sources, the lockfile, this file, esbuild's and Node's versions. Any file added,
 * removed or touched (newer or older) gives another key, so a `git pull`, a checkout or an edit is never run stale.
 */
function sourceKey(root, entries) {
  let esbuild = '';
  try {
    esbuild = require(path.join(root, 'node_modules', 'esbuild', 'package.json')).version;
  } catch {
    // no esbuild: the caller cannot build anyway
  }
  const h = crypto.createHash('sha256');
  h.update(`${process.version}\n${esbuild}\n${listFiles(root, entries).join('\n')}`);
  return h.digest('hex').slice(0, 32);
}

/** What the command line is made of (its bundle is rebuilt when any of it changes). */
const CLI_SOURCES = ['src-main', 'src-shared', 'package-lock.json', 'bin/bundle.cjs', 'bin/import-meta-url.js'];
const CLI_DIR = path.join(ROOT, 'dist-cli');

/**
 * The command line's bundle, dist-cli/cli.cjs, built when missing or made from other sources. Built into a temporary
 * name and renamed into place, the key written last: several commands starting at once on a fresh checkout each build
 * the same file and none reads half of one. Null when it cannot be built (no esbuild): the caller runs the sources instead.
 */
function ensureCliBundle() {
  const key = sourceKey(ROOT, CLI_SOURCES);
  const keyFile = path.join(CLI_DIR, 'cli.key');
  const file = path.join(CLI_DIR, 'cli.cjs');
  try {
    if (fs.readFileSync(keyFile, 'utf8') === key && fs.existsSync(file)) return file;
  } catch {
    // not built yet
  }
  let esbuild;
  try {
    esbuild = require(require.resolve('esbuild', { paths: [ROOT] }));
  } catch {
    return null;
  }
  fs.mkdirSync(CLI_DIR, { recursive: true });
  const tmp = `.${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    esbuild.buildSync({ ...bundleOptions(), entryPoints: ['src-main/cli.ts'], outfile: file + tmp });
  } catch {
    fs.rmSync(file + tmp, { force: true });
    return null; // a source that does not compile: running the sources says where
  }
  fs.renameSync(file + tmp, file);
  fs.rmSync(`${file}.v8cache`, { force: true }); // compiled from the previous bundle: V8 would reject it anyway
  fs.writeFileSync(keyFile + tmp, key);
  fs.renameSync(keyFile + tmp, keyFile);
  return file;
}

/**
 * Runs a CommonJS bundle as a module of this process and returns its exports. V8's compiled code is kept beside it
 * (`FILE.v8cache`): the first start compiles and writes it, the following ones skip most of the compilation. Node 20
 * has no module compile cache of its own; vm.Script with cachedData is the documented way.
 */
function runBundle(file) {
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // first start
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written once the bundle's start-up code has run, so its functions are in it; a rename, so a process that starts
    // meanwhile reads a whole file or none.
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // a read-only install: every start compiles, as without the cache
    }
  }
  return mod.exports;
}

module.exports = { ROOT, RUNTIME_EXTERNAL, SHELL_EXTERNAL, bundleOptions, sourceKey, ensureCliBundle, runBundle };
