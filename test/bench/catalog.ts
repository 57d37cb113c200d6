// The catalog CSV import at its documented size (10,000 rows in one file), moved here from a timed correctness test:
// the figure is printed against its target, the test only checks that every row is imported.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../src-main/app';
import { importProductCsv } from '../../src-main/pos/catalog-csv';
import { round, summarize } from './stats';

const ROWS = 10_000;
const RUNS = 3;
const TARGET_MS = 2_000;

function csv(run: number): string {
  const lines = ['sku,barcode,name,price,tax_affectation,unit_code,stock,active'];
  for (let i = 0; i < ROWS; i++) lines.push(`BULK-${run}-${i},${900000000000 + run * ROWS + i},PRODUCTO DE PRUEBA NUMERO ${i},${(i % 500) + 1}.50,10,NIU,${i % 40},1`);
  return lines.join('\n');
}

export async function benchCatalog({ json }: { json: boolean }): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-bench-catalog-'));
  const app = createApp({ dataDir: dir, seedIfEmpty: true });
  const admin = (app.db.raw.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: number }).id;
  const times: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const text = csv(run);
      const t0 = performance.now();
      const r = importProductCsv(app.db, app.clock.now(), admin, text);
      times.push(performance.now() - t0);
      if (r.created !== ROWS) throw new Error(`imported ${r.created} of ${ROWS} rows: ${JSON.stringify(r.errors.slice(0, 3))}`);
    }
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const s = summarize(times);
  const result = { rows: ROWS, runs: RUNS, import_p50_ms: round(s.p50), import_max_ms: round(Math.max(...times)), targets: { import_ms: TARGET_MS } };
  if (json) console.log(JSON.stringify(result));
  else console.log(`catalog CSV import, ${ROWS.toLocaleString()} new products per file, ${RUNS} files: p50 ${result.import_p50_ms} ms  max ${result.import_max_ms} ms  (target <= ${TARGET_MS} ms)`);
}
