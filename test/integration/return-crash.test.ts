// A return killed with SIGKILL at random moments (issue 15): each credit note is there whole — its lines, its stock
// moves, its document and job — or not at all; note numbers have no gaps; stock always equals its last move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { openDatabase } from '../../src-main/db/connection';
import { databaseFile } from '../../src-main/paths';
import { prng } from '../../src-main/pos/demo';
import { tempDir } from '../helpers/app';
import { bundleChild, runAndKill } from '../helpers/child';

const dir = tempDir('izisales-return-crash-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let child = '';
beforeAll(async () => {
  child = await bundleChild('test/fixtures/return-loop.ts', 'return-loop.mjs');
});

describe('a return killed with SIGKILL at random moments', () => {
  it('25 crashes: every credit note is whole or absent, numbers without gaps, stock equal to its last move', async () => {
    const rnd = prng(15);
    const printed: string[] = [];
    for (let run = 0; run < 25; run++) printed.push(...(await runAndKill(child, dir, Math.floor(rnd() * 40), /^[BF]C\d{2}-\d{8}$/)));

    const db = openDatabase(databaseFile(dir));
    try {
      expect(db.raw.pragma('integrity_check', { simple: true })).toBe('ok');
      const numbers = new Set((db.raw.prepare('SELECT number FROM notes').all() as { number: string }[]).map((r) => r.number));
      for (const n of printed) expect(numbers.has(n)).toBe(true);
      for (const series of ['BC01', 'FC01']) {
        const c = (db.raw.prepare('SELECT correlative FROM notes WHERE series = ? ORDER BY correlative').all(series) as { correlative: number }[]).map((r) => r.correlative);
        expect(c).toEqual(Array.from({ length: c.length }, (_, i) => i + 1));
      }
      const broken = db.raw.prepare(`SELECT count(*) n FROM notes n WHERE
          (SELECT count(*) FROM note_lines l WHERE l.note_id = n.id) <> 2
          OR (SELECT count(*) FROM stock_moves m WHERE m.note_id = n.id) <> 2
          OR (SELECT count(*) FROM documents d WHERE d.note_id = n.id) <> 1
          OR NOT EXISTS (SELECT 1 FROM jobs j JOIN documents d ON j.idempotency_key = d.file_name WHERE d.note_id = n.id)
          OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'note' AND a.entity_id = CAST(n.id AS TEXT))`).get() as { n: number };
      expect(broken.n).toBe(0);
      const strays = db.raw.prepare(`SELECT
          (SELECT count(*) FROM note_lines WHERE note_id NOT IN (SELECT id FROM notes)) +
          (SELECT count(*) FROM documents WHERE note_id IS NOT NULL AND note_id NOT IN (SELECT id FROM notes)) +
          (SELECT count(*) FROM stock_moves WHERE note_id IS NOT NULL AND note_id NOT IN (SELECT id FROM notes)) AS n`).get() as { n: number };
      expect(strays.n).toBe(0);
      // Every stock change writes a move in the same transaction: the stock is the last move's "after".
      const off = db.raw.prepare(`SELECT count(*) n FROM products p WHERE EXISTS (SELECT 1 FROM stock_moves m WHERE m.product_id = p.id)
          AND p.stock <> (SELECT m.stock_after FROM stock_moves m WHERE m.product_id = p.id ORDER BY m.id DESC LIMIT 1)`).get() as { n: number };
      expect(off.n).toBe(0);
      expect(numbers.size).toBeGreaterThanOrEqual(25);
    } finally {
      db.close();
    }
  }, 300_000);
});
