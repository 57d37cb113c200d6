// Checkout of a 5-line sale into a database already holding 1,000,000 sales, against raw better-sqlite3 writing the
// same rows in one transaction with the same durability; and product search over 100,000 products.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../src-main/app';
import { databaseFile } from '../../src-main/paths';
import { openSession, currentSession } from '../../src-main/pos/cash';
import { getSetting } from '../../src-main/db/settings';
import { checkout } from '../../src-main/pos/checkout';
import { searchProducts } from '../../src-main/pos/catalog';
import { openDatabase } from '../../src-main/db/connection';
import { prng } from '../../src-main/pos/demo';
import { summarize, round } from './stats';

const CACHE = path.resolve('node_modules/.cache/izisales-bench');
const SALES = 1_000_000;

function prepareMillion(dir: string): void {
  if (fs.existsSync(path.join(dir, 'ready'))) return;
  fs.rmSync(dir, { recursive: true, force: true });
  console.error(`preparing a database with ${SALES.toLocaleString()} sales (once, cached in ${dir})…`);
  const app = createApp({ dataDir: dir, seedIfEmpty: true });
  const db = app.db.raw;
  const terminal = getSetting(app.db, 'terminalId');
  const user = db.prepare(`SELECT id FROM users WHERE username = 'cashier'`).get() as { id: number };
  const session = openSession(app.db, new Date('2025-01-01T13:00:00Z'), terminal, user.id, '0');
  db.pragma('synchronous = OFF');
  const ruc = getSetting(app.db, 'store').ruc;
  db.exec(`
    INSERT INTO series (terminal_id, document_type, series, next_number) VALUES ('${terminal}', '03', 'B001', ${SALES + 1});
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${SALES})
    INSERT INTO sales (terminal_id, session_id, user_id, customer_doc_type, customer_doc_number, customer_name, document_type,
      series, correlative, number, issued_at, issue_date, igv_rate, gravado_cents, exonerado_cents, inafecto_cents,
      gratuito_cents, igv_cents, icbper_cents, discount_cents, total_cents, paid_cents, change_cents)
    SELECT '${terminal}', ${session.id}, ${user.id}, '-', '-', 'CLIENTES VARIOS', '03', 'B001', i, printf('B001-%08d', i),
      strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || (i * 30) || ' seconds'),
      date('2025-01-01', '+' || (i * 30 / 86400) || ' days'), '0.18', 1000, 0, 0, 0, 180, 0, 0, 1180, 1180, 0 FROM n;
    INSERT INTO sale_lines (sale_id, line_no, product_id, description, unit_code, quantity, unit_price, unit_value,
      tax_affectation, discount_cents, value_cents, igv_cents, icbper_cents, total_cents)
    SELECT id, k, 1 + (id + k) % 199, 'PRODUCTO', 'NIU', '1', '5.90', '5.0000000000', '10', 0, 500, 90, 0, 590
      FROM sales, (SELECT 1 AS k UNION ALL SELECT 2);
    INSERT INTO payments (sale_id, method, amount_cents) SELECT id, 'cash', 1180 FROM sales;
    INSERT INTO documents (sale_id, document_type, series, correlative, file_name, issue_date, status, created_at, updated_at)
      SELECT id, '03', 'B001', correlative, '${ruc}-03-' || number, issue_date, 'accepted', issued_at, issued_at FROM sales;
    INSERT INTO jobs (kind, payload, state, run_at, idempotency_key, created_at, updated_at)
      SELECT 'sunat.send', '{}', 'succeeded', created_at, file_name, created_at, created_at FROM documents;
  `);
  db.pragma('wal_checkpoint(TRUNCATE)');
  void app.close();
  fs.writeFileSync(path.join(dir, 'ready'), '');
}

function prepareProducts(dir: string, count: number): void {
  if (fs.existsSync(path.join(dir, 'ready'))) return;
  fs.rmSync(dir, { recursive: true, force: true });
  const db = openDatabase(databaseFile(dir));
  const words = ['ARROZ', 'AZUCAR', 'ACEITE', 'LECHE', 'GASEOSA', 'AGUA', 'GALLETA', 'FIDEO', 'ATUN', 'CAFE', 'TE', 'JABON', 'DETERGENTE', 'PAPEL', 'YOGURT', 'QUESO', 'JAMON', 'PAN', 'CHOCOLATE', 'CERVEZA', 'JUGO', 'MANTEQUILLA', 'HUEVOS', 'LENTEJAS', 'FRIJOL', 'AVENA', 'HARINA', 'SAL', 'VINAGRE', 'MOSTAZA'];
  const brands = ['COSTEÑO', 'GLORIA', 'PRIMOR', 'SAN LUIS', 'INCA KOLA', 'FIELD', 'FLORIDA', 'ALACENA', 'BOLIVAR', 'LAIVE', 'BIMBO', 'NESTLE', 'DONOFRIO', 'MOLITALIA', 'ALICORP', 'PURA VIDA', 'CARTAVIO', 'ANITA', 'VICTORIA', 'SAYON'];
  const sizes = ['250G', '500G', '1KG', '5KG', '500ML', '1L', '1.5L', '3L', 'X6', 'X12', 'PACK', 'FAMILIAR', 'MINI', 'LIGHT', 'ORIGINAL'];
  const rnd = prng(3);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const now = new Date().toISOString();
  const ins = db.raw.prepare(`INSERT INTO products (sku, barcode, name, price, created_at, updated_at) VALUES (?,?,?,?,?,?)`);
  db.raw.pragma('synchronous = OFF');
  db.raw.transaction(() => {
    for (let i = 0; i < count; i++) ins.run(`S${i}`, String(7700000000000 + i), `${pick(words)} ${pick(brands)} ${pick(sizes)} ${i % 97}`, '9.90', now, now);
  })();
  db.close();
  fs.writeFileSync(path.join(dir, 'ready'), '');
}

export async function benchCheckout({ json }: { json: boolean }): Promise<void> {
  const dir = path.join(CACHE, 'million');
  prepareMillion(dir);
  // Work on a copy so the cached database stays at exactly 1,000,000 sales.
  const work = path.join(CACHE, 'million-run');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.copyFileSync(databaseFile(dir), databaseFile(work));
  const app = createApp({ dataDir: work });
  const terminalId = getSetting(app.db, 'terminalId');
  const user = app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', 'cashier'))!;
  if (!currentSession(app.db, terminalId)) openSession(app.db, new Date(), terminalId, user.id, '0');
  const products = (app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 40`).all() as { id: number }[]).map((p) => p.id);
  const raw = app.db.raw;
  const existing = (raw.prepare('SELECT count(*) n FROM sales').get() as { n: number }).n;

  // The raw baseline: the same rows, hand-written statements, one transaction, synchronous=FULL.
  const rs = {
    bump: raw.prepare(`UPDATE series SET next_number = next_number + 1 WHERE terminal_id = ? AND document_type = '03' RETURNING next_number - 1 AS n`),
    sale: raw.prepare(`INSERT INTO sales (terminal_id, session_id, user_id, customer_doc_type, customer_doc_number, customer_name, document_type, series, correlative, number, issued_at, issue_date, igv_rate, gravado_cents, exonerado_cents, inafecto_cents, gratuito_cents, igv_cents, icbper_cents, discount_cents, total_cents, paid_cents, change_cents) VALUES (?, ?, ?, '-', '-', 'CLIENTES VARIOS', '03', 'B001', ?, ?, ?, ?, '0.18', 1000, 0, 0, 0, 180, 0, 0, 1180, 1180, 0)`),
    line: raw.prepare(`INSERT INTO sale_lines (sale_id, line_no, product_id, description, unit_code, quantity, unit_price, unit_value, tax_affectation, discount_cents, value_cents, igv_cents, icbper_cents, total_cents) VALUES (?, ?, ?, 'P', 'NIU', '1', '2.36', '2.0000000000', '10', 0, 200, 36, 0, 236)`),
    pay: raw.prepare(`INSERT INTO payments (sale_id, method, amount_cents, tendered_cents) VALUES (?, 'cash', 1180, 2000)`),
    stock: raw.prepare(`UPDATE products SET stock = ? WHERE id = ?`),
    move: raw.prepare(`INSERT INTO stock_moves (product_id, sale_id, quantity, reason, stock_after, created_at) VALUES (?, ?, '-1', 'sale', '0', ?)`),
    doc: raw.prepare(`INSERT INTO documents (sale_id, document_type, series, correlative, file_name, issue_date, created_at, updated_at) VALUES (?, '03', 'B001', ?, ?, ?, ?, ?)`),
    job: raw.prepare(`INSERT INTO jobs (kind, payload, run_at, idempotency_key, created_at, updated_at) VALUES ('sunat.send', '{}', ?, ?, ?, ?)`),
  };
  const session = currentSession(app.db, terminalId)!;
  const rawSale = raw.transaction((i: number) => {
    const n = (rs.bump.get(terminalId) as { n: number }).n;
    const now = new Date().toISOString();
    const number = `B001-${String(n).padStart(8, '0')}`;
    const id = Number(rs.sale.run(terminalId, session.id, user.id, n, number, now, now.slice(0, 10)).lastInsertRowid);
    for (let k = 0; k < 5; k++) {
      const pid = products[(i + k) % products.length];
      rs.line.run(id, k + 1, pid);
      rs.stock.run('0', pid);
      rs.move.run(pid, id, now);
    }
    rs.pay.run(id);
    rs.doc.run(id, n, `RAW-${number}`, now.slice(0, 10), now, now);
    rs.job.run(now, `RAW-${number}`, now, now);
  });

  const N = 2000;
  const ours: number[] = [];
  const theirs: number[] = [];
  const sell = (i: number) => checkout({ db: app.db, now: new Date(), terminalId, user }, {
    documentType: '03',
    lines: [0, 1, 2, 3, 4].map((k) => ({ productId: products[(i + k) % products.length], quantity: '1' })),
    payments: [{ method: 'cash', amount: '500.00' }],
  });
  for (let i = 0; i < 100; i++) { sell(i); rawSale(i); } // warm-up
  // Interleaved so both see the same disk and cache conditions.
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    sell(i);
    ours.push(performance.now() - t);
    t = performance.now();
    rawSale(i);
    theirs.push(performance.now() - t);
  }
  await app.close();
  fs.rmSync(work, { recursive: true, force: true });

  const pdir = path.join(CACHE, 'products-100k');
  prepareProducts(pdir, 100_000);
  const pdb = openDatabase(databaseFile(pdir));
  const rnd = prng(9);
  const queries = ['arroz costeño', 'leche gloria', 'inca kola', 'gaseosa 1l', 'cafe nestle', 'atun florida', 'galleta field', 'jabon bolivar', 'aceite primor', 'queso laive'];
  const search: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const q = queries[Math.floor(rnd() * queries.length)];
    const t = performance.now();
    searchProducts(pdb, q, 20);
    search.push(performance.now() - t);
  }
  pdb.close();

  const o = summarize(ours);
  const r = summarize(theirs);
  const s = summarize(search);
  const result = {
    existing_sales: existing,
    checkout_p50_ms: round(o.p50), checkout_p99_ms: round(o.p99), checkout_mean_ms: round(o.mean),
    raw_p50_ms: round(r.p50), raw_p99_ms: round(r.p99), raw_mean_ms: round(r.mean),
    raw_ratio: round(o.p50 / r.p50, 2),
    search_p50_ms: round(s.p50), search_p99_ms: round(s.p99), products: 100_000,
    targets: { checkout_p99_ms: 5, raw_ratio: 2.0, search_p99_ms: 5 },
  };
  if (json) console.log(JSON.stringify(result));
  else {
    console.log(`checkout of a 5-line sale into ${existing.toLocaleString()} sales (synchronous=FULL), ${N} runs:`);
    console.log(`  ours  p50 ${result.checkout_p50_ms} ms  p99 ${result.checkout_p99_ms} ms  (target p99 <= 5 ms)`);
    console.log(`  raw   p50 ${result.raw_p50_ms} ms  p99 ${result.raw_p99_ms} ms`);
    console.log(`  ratio ours/raw (p50) ${result.raw_ratio}  (target <= 2.0)`);
    console.log(`product search, two words, 100,000 products: p50 ${result.search_p50_ms} ms  p99 ${result.search_p99_ms} ms  (target p99 <= 5 ms)`);
  }
}
