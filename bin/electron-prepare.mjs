#!/usr/bin/env node
// Prepares an Electron start: bundles the main process and preload, and rebuilds better-sqlite3 for Electron's ABI.
// Afterwards `npm rebuild better-sqlite3` returns the module to plain Node for the tests.
import { build } from 'esbuild';
import bundle from './bundle.cjs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// The command line's bundle options (bin/bundle.cjs), with the shell's own externals.
const common = bundle.bundleOptions({ external: bundle.SHELL_EXTERNAL });
await build({ ...common, entryPoints: ['src-main/electron/main.ts'], outfile: 'dist-main/main.cjs' });
await build({ ...common, entryPoints: ['src-main/electron/preload.ts'], outfile: 'dist-main/preload.cjs' });
const r = spawnSync(process.execPath, [require.resolve('electron-builder/cli.js'), 'install-app-deps'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
