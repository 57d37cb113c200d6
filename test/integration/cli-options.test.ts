// README: "Every command takes --data DIR; bad arguments exit 2 with a one-line message." Checked for every command
// README's command line section lists (read from README itself, so a new command there needs a row here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src-main/cli';
import { createDemoCertificate } from '../../src-main/sunat/certificate';
import { tempDir } from '../helpers/app';
import { input, ISSUER_RUC } from '../unit/ubl-fixtures';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The command names in README's "Command line" section: `izisales a b …` lines, `·` separating several per line. */
function readmeCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Command line'))!;
  const names: string[] = [];
  for (const l of section.split('\n').filter((l) => /^ {4}izisales /.test(l))) {
    for (const part of l.trim().split(' · ')) {
      const [first, second] = part.replace(/^izisales /, '').split(/\s+/);
      if (/^[a-z][a-z|-]*$/.test(second ?? '')) names.push(...second.split('|').map((s) => `${first} ${s}`));
      else names.push(first);
    }
  }
  return names;
}

const dir = tempDir('izisales-cli-opts-');
const data = path.join(dir, 'data');
const out = (name: string) => path.join(dir, name);
const PASSWORD_ENV = 'IZISALES_TEST_CLI_PFX_PASSWORD';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  expect((await cli(['seed', '--data', data])).code).toBe(0);
  fs.writeFileSync(out('input.json'), JSON.stringify(input({ number: 5 })));
  const cert = createDemoCertificate('20601234565', 'BODEGA DEMO IZISALES S.A.C.');
  fs.writeFileSync(out('store.pfx'), cert.pfx);
  process.env[PASSWORD_ENV] = cert.password;
});
afterAll(() => {
  delete process.env[PASSWORD_ENV];
  fs.rmSync(dir, { recursive: true, force: true });
});

const built = `${ISSUER_RUC}-03-B001-00000005`;
const CLOSED = 'http://127.0.0.1:9'; // nothing listens: SUNAT unreachable

/**
 * Each README command with --data and otherwise valid arguments: what it must do then (exit code), in this order
 * (later rows use what earlier ones made). A long-running command (serve, sunat-sim, worker) gets one bad option
 * after --data, so it stops on that option, not on --data.
 */
const ROWS: [name: string, args: string[], code: number, stderr?: RegExp][] = [
  ['serve', ['serve', '--data', data, '--port', '70000'], 2, /--port/],
  ['seed', ['seed', '--data', data], 1, /ya tiene datos/],
  ['demo sales', ['demo', 'sales', '--count', '2', '--data', data], 0],
  ['sales list', ['sales', 'list', '--json', '--data', data], 0],
  ['sales return', ['sales', 'return', 'B001-1', '--line', '1:1', '--reason', '07', '--data', data], 0],
  ['document export', ['document', 'export', 'BC01-1', '--out', out('export'), '--data', data], 0],
  ['document build', ['document', 'build', out('input.json'), '--out', out('built'), '--data', data], 0],
  ['document summary', ['document', 'summary', '--date', '2020-01-01', '--data', data], 1],
  ['document void', ['document', 'void', 'B001-99999999', '--reason', 'ERROR', '--data', data], 1],
  ['cert import', ['cert', 'import', out('store.pfx'), '--password-env', PASSWORD_ENV, '--data', data], 0],
  ['cert show', ['cert', 'show', '--data', data], 0],
  ['report daily', ['report', 'daily', '--json', '--data', data], 0],
  ['files archive', ['files', 'archive', '--dry-run', '--data', data], 0],
  ['logs export', ['logs', 'export', '--out', out('logs.zip'), '--data', data], 0],
  ['db backup', ['db', 'backup', '--out', out('copy.db'), '--data', data], 0],
  ['db check', ['db', 'check', '--data', data], 0],
  ['db restore', ['db', 'restore', out('copy.db'), '--data', data], 0],
  ['document send', ['document', 'send', out(`built/${built}.zip`), '--sunat-url', CLOSED, '--data', data], 1], // SUNAT unreachable: exit 1, nothing sent
  ['document status', ['document', 'status', `${ISSUER_RUC}-03-B001-5`, '--sunat-url', CLOSED, '--data', data], 1],
  ['cdr read', ['cdr', 'read', out('no-such-cdr.zip'), '--data', data], 1, /no-such-cdr/],
  ['sunat-sim', ['sunat-sim', '--data', data, '--port', '70000'], 2, /--port/],
  ['worker', ['worker', '--data', data, '--sunat-url', 'no es una url'], 2, /--sunat-url/],
  ['jobs inspect', ['jobs', 'inspect', 'stats', '--json', '--data', data], 0],
  ['jobs show', ['jobs', 'show', '999999', '--data', data], 1, /999999/],
  ['jobs retry', ['jobs', 'retry', '999999', '--data', data], 1, /999999/],
  ['jobs cancel', ['jobs', 'cancel', '999999', '--data', data], 1, /999999/],
  ['jobs purge', ['jobs', 'purge', '--finished-before', '2020-01-01', '--data', data], 0],
  // A printer address that is none: refused before anything is printed or read (exit 2, how to write it).
  ['print ticket', ['print', 'ticket', 'B001-1', '--printer', '192.168.1.50', '--data', data], 2, /Escriba tcp/],
  ['print test', ['print', 'test', '--printer', 'impresora', '--data', data], 2, /Escriba tcp/],
  // The hub's commands stop before opening its database (the embedded one takes seconds to start; hub-service tests it).
  ['hub', ['hub', '--data', data, '--port', '70000'], 2, /--port/],
  ['hub store', ['hub', 'store', 'add', '--ruc', '20123456780', '--establishment', '0000', '--name', 'X', '--data', data], 1, /dígito verificador/],
  ['hub terminal', ['hub', 'terminal', 'add', '--name', 'CAJA-01', '--data', data], 2, /--store/],
  ['hub report', ['hub', 'report', 'daily', '--date', '4/12/2026', '--data', data], 2, /--date/],
  ['hub user', ['hub', 'user', 'add', '--username', 'jefa', '--name', 'Rosa', '--role', 'jefe', '--data', data], 1, /Rol no válido/],
  ['hub product', ['hub', 'product', 'set', '--code', 'X', '--price', '1,500', '--data', data], 2, /--price/],
  ['hub check', ['hub', 'check', '--database-url', `postgres://hub@${CLOSED.slice('http://'.length)}/hub`, '--data', data], 1, /No se pudo conectar/],
];

describe('every command takes --data DIR (README, Command line)', () => {
  it('has a row for every command README lists, and README lists every row', () => {
    expect(ROWS.map((r) => r[0]).sort()).toEqual([...new Set(readmeCommands())].sort());
  });

  it.each(ROWS)('%s accepts --data', async (_name, args, code, stderr) => {
    const r = await cli(args);
    expect(r.stderr).not.toMatch(/--data/);
    expect(r.code, r.stderr).toBe(code);
    if (stderr) expect(r.stderr).toMatch(stderr);
  });

  it('document send takes --data through the real command line too (bin/izisales.mjs)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/izisales.mjs'), 'document', 'send', out(`built/${built}.zip`), '--sunat-url', CLOSED, '--data', data], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/opción desconocida/);
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'failure', classification: 'network_before_send' });
  });
});

describe('bad arguments exit 2 with a one-line message, for every command', () => {
  it.each(ROWS.map((r) => [r[0], r[1]] as const))('%s --bogus', async (_name, args) => {
    const r = await cli([...args, '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--bogus/);
  });

  it("hub report daily's --store and --pdf are refused before the hub is opened when they do not fit", async () => {
    const base = ['hub', 'report', 'daily', '--date', '2026-12-04', '--data', data];
    for (const [args, message] of [
      [['--store', '2012345-0000', '--pdf', out('r.pdf')], /--store no válida: .*RUC-ESTABLECIMIENTO/],
      [['--store', '20123456786-0000'], /--store va con --pdf/],
      [['--pdf', out('r.pdf'), '--json'], /--pdf y --json no van juntos/],
    ] as const) {
      const r = await cli([...base, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(fs.existsSync(out('r.pdf'))).toBe(false);
  });

  it('a missing value, a stray positional and an unknown command too', async () => {
    for (const args of [['db', 'backup', '--data'], ['db', 'check', 'extra', '--data', data], ['frobnicate', '--data', data], ['document', 'build', '--data', data]]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('"izisales hub --help" (or any command\'s) shows that command\'s usage lines, exit 0, nothing else run', async () => {
    const r = await cli(['hub', '--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('hub user add --username U');
    expect(r.stdout).toContain('hub join URL');
    expect(r.stdout).not.toContain('serve [--port');
    expect((await cli(['hub', 'user', 'add', '-h'])).stdout).toContain('hub terminal add --store');
  });
});
