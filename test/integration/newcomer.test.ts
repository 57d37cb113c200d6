// The newcomer's path (README): after `npm ci` there is no dist-renderer/, and `izisales serve` must still answer the
// page, not "La interfaz no está compilada". Run against a temp copy of the checkout (the shared dist-renderer/ of
// this worktree is left alone: other tests use it).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// What a clone holds that serve and the build read; node_modules as `npm ci` leaves it (a link to this one).
const CHECKOUT = ['bin', 'src-main', 'src-shared', 'src-renderer', 'resources', 'package.json', 'tsconfig.json', 'vite.config.ts'];

let copy: string;
let dataDir: string;
let child: ChildProcess | undefined;

function serve(): Promise<{ url: string; output: () => string }> {
  child = spawn(process.execPath, [path.join(copy, 'bin', 'izisales.mjs'), 'serve', '--port', '0', '--data', dataDir, '--sunat-url', 'http://127.0.0.1:9'], {
    cwd: copy,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const read = (b: Buffer) => {
      out += b.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve({ url: m[0], output: () => out });
    };
    child!.stdout!.on('data', read);
    child!.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child!.once('exit', (code) => reject(new Error(`izisales serve exited with ${code} before listening:\n${out}`)));
  });
}

async function stop(): Promise<void> {
  const c = child;
  child = undefined;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  c.kill('SIGTERM');
  await exited;
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-clone-'));
  for (const entry of CHECKOUT) fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-clone-data-'));
});
afterEach(stop);
afterAll(() => {
  fs.rmSync(copy, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a fresh checkout after npm ci', () => {
  it('izisales serve answers the page, not 503, when dist-renderer/ was never built', async () => {
    expect(fs.existsSync(path.join(copy, 'dist-renderer'))).toBe(false);
    const { url, output } = await serve();
    const page = await fetch(url);
    const html = await page.text();
    expect(page.status, html).toBe(200);
    expect(html).toContain('<div id="root">');
    // The page's own script is there too (the build is complete, not just index.html).
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html);
    expect(script, html).not.toBeNull();
    expect((await fetch(`${url}/${script![1]}`)).status).toBe(200);
    expect(output()).toMatch(/Compilando la interfaz/);
    await stop();
  }, 300_000);

  it('after a git pull changes the screen, the next serve builds it again', async () => {
    // What a pull brings: a source file newer than the build.
    const main = path.join(copy, 'src-renderer', 'main.tsx');
    fs.appendFileSync(main, '// pulled\n');
    const now = new Date();
    fs.utimesSync(main, now, now);
    const { url, output } = await serve();
    expect(output()).toMatch(/Compilando la interfaz/);
    expect((await fetch(url)).status).toBe(200);
    await stop();
    // Nothing changed since: the third start serves at once.
    const again = await serve();
    expect(again.output()).not.toMatch(/Compilando la interfaz/);
    await stop();
  }, 300_000);
});
