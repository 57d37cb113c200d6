#!/usr/bin/env node
// npm test's checks before the tests, side by side on the two cores: the type check on one; lint and then the
// screen's build on the other. Each prints as it goes; any failure fails the whole (exit 1) after both finish.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (name, args) =>
  new Promise((resolve) => {
    const p = spawn(bin(name), args, { cwd: root, stdio: 'inherit' });
    p.on('error', (e) => {
      console.error(`${name}: ${e.message}`);
      resolve(1);
    });
    p.on('close', (code) => {
      if (code !== 0) console.error(`${name} failed (exit ${code})`);
      resolve(code ?? 1);
    });
  });

const [types, lintThenBuild] = await Promise.all([
  run('tsc', ['--noEmit', '-p', 'tsconfig.json']),
  run('eslint', ['.']).then((code) => (code === 0 ? run('vite', ['build', '--logLevel', 'warn']) : code)),
]);
process.exit(types === 0 && lintThenBuild === 0 ? 0 : 1);
