import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { tempDir } from '../helpers/app';

const dir = tempDir('izisales-cli-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync(process.execPath, ['bin/izisales.mjs', ...args], { encoding: 'utf8' });

describe('the izisales command', () => {
  it('seeds, rings up demo sales through the checkout and lists them as JSON', () => {
    expect(run('seed', '--data', dir).status).toBe(0);
    expect(run('seed', '--data', dir).status).toBe(1); // not over existing data
    const demo = run('demo', 'sales', '--count', '12', '--data', dir);
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    const list = run('sales', 'list', '--json', '--data', dir);
    expect(list.status).toBe(0);
    const rows = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(12);
    // `reference`: the document a credit note corrects (null for a sale).
    expect(Object.keys(rows[0]).sort()).toEqual(['correlative', 'customer', 'documentType', 'number', 'reference', 'series', 'status', 'sunatStatus', 'total'].sort());
    expect(rows.every((r) => r.reference === null)).toBe(true);
    expect(rows.every((r) => /^[BF]001-\d{8}$/.test(String(r.number)) && /^\d+\.\d{2}$/.test(String(r.total)))).toBe(true);
  });

  it.each([
    [['sales', 'list', '--date', '2026-13-01', '--data', dir], /fecha|date/i],
    [['demo', 'sales', '--data', dir], /--count/],
    [['sales', 'list', '--bogus'], /bogus/],
    [['frobnicate'], /desconocido/],
  ])('exits 2 with one line for bad arguments: %j', (args, msg) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(msg);
  });
});
