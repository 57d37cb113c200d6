// bin/izisales.mjs runs a bundle of the sources (bin/bundle.cjs): an edit must never leave the command running old
// code. A scratch project with the real bin/ and a one-line command, changed the ways a person changes sources.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/processes';

let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function project(): void {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-cli-bundle-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  for (const f of ['izisales.mjs', 'bundle.cjs', 'import-meta-url.js']) fs.copyFileSync(path.join(ROOT, 'bin', f), path.join(dir, 'bin', f));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  fs.mkdirSync(path.join(dir, 'src-main'), { recursive: true });
  command('primera');
}

function command(word: string, extra = ''): void {
  fs.writeFileSync(path.join(dir, 'src-main', 'cli.ts'),
    `import { say } from './say';\nexport async function main(argv: string[]): Promise<number> {\n  console.log(say(${JSON.stringify(word)}, argv));${extra}\n  return 3;\n}\n`);
  if (!fs.existsSync(path.join(dir, 'src-main', 'say.ts'))) words('');
}

function words(suffix: string): void {
  fs.writeFileSync(path.join(dir, 'src-main', 'say.ts'), `export const say = (w: string, argv: string[]): string => [w, ...argv].join(' ') + ${JSON.stringify(suffix)};\n`);
}

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'izisales.mjs'), ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr };
}

describe('the command line runs a bundle of the current sources', () => {
  it('builds it on first use, reuses it, and builds again after an edit, a new file or a removed one', () => {
    project();
    expect(run('uno')).toEqual({ code: 3, out: 'primera uno', err: '' });
    const built = fs.statSync(path.join(dir, 'dist-cli', 'cli.cjs')).mtimeMs;
    expect(run('dos').out).toBe('primera dos');
    expect(fs.statSync(path.join(dir, 'dist-cli', 'cli.cjs')).mtimeMs).toBe(built); // not rebuilt
    expect(fs.existsSync(path.join(dir, 'dist-cli', 'cli.cjs.v8cache'))).toBe(true);

    // An edit to a module the command imports.
    words('!');
    expect(run('tres').out).toBe('primera tres!');
    // A file put back with an older date (a checkout of an older commit, a copy that keeps dates).
    const say = path.join(dir, 'src-main', 'say.ts');
    words('');
    fs.utimesSync(say, new Date('2020-01-01'), new Date('2020-01-01'));
    expect(run('cuatro').out).toBe('primera cuatro');
    // A new file, then the same file removed again.
    fs.writeFileSync(path.join(dir, 'src-main', 'extra.ts'), 'export const x = 1;\n');
    command('segunda', "\n  console.log((await import('./extra')).x);");
    expect(run().out).toBe('segunda\n1');
    fs.rmSync(path.join(dir, 'src-main', 'extra.ts'));
    command('tercera');
    expect(run().out).toBe('tercera');
  });

  it('a source that does not compile is reported by the sources themselves, never run from an old bundle', () => {
    project();
    expect(run().out).toBe('primera');
    fs.writeFileSync(path.join(dir, 'src-main', 'cli.ts'), 'export async function main( {\n');
    const r = run();
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/cli\.ts/);
  });
});
