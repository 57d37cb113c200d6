import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { openDatabase } from '../../src-main/db/connection';
import { databaseFile } from '../../src-main/paths';
import { prng } from '../../src-main/pos/demo';
import { tempDir } from '../helpers/app';
import { bundleChild, runAndKill } from '../helpers/child';

const dir = tempDir('izisales-crash-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
// Bundled once so each of the 50 child starts costs milliseconds, not a TypeScript compile.
let child = '';
beforeAll(async () => {
  child = await bundleChild('test/fixtures/checkout-loop.ts', 'checkout-loop.mjs');
});

describe('a checkout killed with SIGKILL at random moments', () => {
  it('50 crashes: every committed sale is whole, numbers have no gaps or duplicates, nothing is half-written', async () => {
    const rnd = prng(42);
    const printed: string[] = [];
    for (let run = 0; run < 50; run++) printed.push(...(await runAndKill(child, dir, Math.floor(rnd() * 40), /^[BF]\d{3}-\d{8}$/)));

    const db = openDatabase(databaseFile(dir));
    try {
      expect(db.raw.pragma('integrity_check', { simple: true })).toBe('ok');
      const numbers = new Set((db.raw.prepare('SELECT number FROM sales').all() as { number: string }[]).map((r) => r.number));
      // A number the child printed was committed before it died: it must still be there.
      for (const n of printed) expect(numbers.has(n)).toBe(true);
      for (const series of ['B001', 'F001']) {
        const c = (db.raw.prepare('SELECT correlative FROM sales WHERE series = ? ORDER BY correlative').all(series) as { correlative: number }[]).map((r) => r.correlative);
        expect(c).toEqual(Array.from({ length: c.length }, (_, i) => i + 1));
        const next = db.raw.prepare('SELECT next_number FROM series WHERE series = ?').get(series) as { next_number: number };
        expect(next.next_number).toBe(c.length + 1);
      }
      const broken = db.raw.prepare(`SELECT count(*) n FROM sales s WHERE
          (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id) <> 5
          OR (SELECT count(*) FROM stock_moves m WHERE m.sale_id = s.id) <> 5
          OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = s.id)
          OR (SELECT count(*) FROM documents d WHERE d.sale_id = s.id) <> 1
          OR NOT EXISTS (SELECT 1 FROM jobs j JOIN documents d ON j.idempotency_key = d.file_name WHERE d.sale_id = s.id)`).get() as { n: number };
      expect(broken.n).toBe(0);
      const strays = db.raw.prepare(`SELECT
          (SELECT count(*) FROM sale_lines WHERE sale_id NOT IN (SELECT id FROM sales)) +
          (SELECT count(*) FROM documents WHERE sale_id NOT IN (SELECT id FROM sales)) +
          (SELECT count(*) FROM jobs WHERE idempotency_key NOT IN (SELECT file_name FROM documents)) AS n`).get() as { n: number };
      expect(strays.n).toBe(0);
      expect(numbers.size).toBeGreaterThanOrEqual(50);
    } finally {
      db.close();
    }
  }, 300_000);
});
