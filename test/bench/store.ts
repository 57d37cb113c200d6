// A store that has sold for a year, built fresh for each bench run in a temporary directory (never cached, so a
// run on a fresh clone and a run after an earlier one time the same thing). The sales are written in bulk, in SQL,
// but each one is what a checkout leaves behind — the sale, its lines, payment, stock moves, its signed document
// (XML of the real size, distinct per number, with its CDR for the months not archived yet), its finished
// sunat.send job and the job's run — so the indexes, the file size and the page cache are a store's, not an empty
// database's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createApp } from '../../src-main/app';
import { databaseFile } from '../../src-main/paths';
import { openSession } from '../../src-main/pos/cash';
import { getSetting } from '../../src-main/db/settings';

const DAYS = 365;
/** Different carts, repeated in turn: 1 to 5 lines, 3 on average, as a small store's tickets. */
const BASKETS = 997;
/** The CDRs of the last months are still in the database; older months went to the archive's zips. */
const CDR_MONTHS = 6;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** A directory under the system's temp folder, removed when the process ends however it ends. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    process.kill(process.pid, signal);
  };
  process.once('exit', remove);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    dir,
    remove() {
      remove();
      process.off('exit', remove);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The signed XML of a real boleta and factura of the demo store, to copy with each sale's number. */
async function templates(dir: string): Promise<Record<'01' | '03', { number: string; xml: string; digest: string }>> {
  const app = createApp({ dataDir: dir, seedIfEmpty: true });
  try {
    const terminalId = getSetting(app.db, 'terminalId');
    const cashier = app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', 'cashier'))!;
    openSession(app.db, new Date(), terminalId, cashier.id, '0');
    const lines = [1, 2, 3].map((productId) => ({ productId, quantity: '1' }));
    const sell = (documentType: '01' | '03') => {
      const customer = documentType === '01' ? { docType: '6' as const, docNumber: '20123456786', name: 'CLIENTE DE PRUEBA S.A.C.' } : null;
      const r = app.sell(cashier, terminalId, { documentType, customer, lines, payments: [{ method: 'cash', amount: '500.00' }] });
      const d = app.db.raw.prepare('SELECT xml, digest_value FROM documents WHERE id = ?').get(r.documentId) as { xml: string | null; digest_value: string };
      if (!d.xml) throw new Error('the template sale was not signed');
      return { number: r.number, xml: d.xml, digest: d.digest_value };
    };
    return { '03': sell('03'), '01': sell('01') };
  } finally {
    await app.close();
  }
}

interface Basket {
  lines: { productId: number; name: string; unitCode: string; quantity: number; priceCents: number; valueCents: number; igvCents: number; totalCents: number }[];
  gravado: number; igv: number; total: number;
}

function baskets(products: { id: number; name: string; unit_code: string; price: string }[]): Basket[] {
  return Array.from({ length: BASKETS }, (_, b) => {
    const lines = Array.from({ length: 1 + ((b * 7) % 5) }, (_, k) => {
      const p = products[(b * 13 + k * 29) % products.length];
      const quantity = 1 + ((b + k) % 3 === 0 ? 1 : 0);
      const priceCents = Math.round(Number(p.price) * 100);
      const totalCents = priceCents * quantity;
      const valueCents = Math.round(totalCents / 1.18);
      return { productId: p.id, name: p.name, unitCode: p.unit_code, quantity, priceCents, valueCents, igvCents: totalCents - valueCents, totalCents };
    });
    const sum = (f: (l: Basket['lines'][number]) => number) => lines.reduce((a, l) => a + f(l), 0);
    return { lines, gravado: sum((l) => l.valueCents), igv: sum((l) => l.igvCents), total: sum((l) => l.totalCents) };
  });
}

/**
 * Writes `sales` sales spread over the last 365 days (up to yesterday) into a new demo store at `dir`; returns the
 * seconds it took. One cash session per day; 1 in 10 is a factura; documents accepted by the simulator, 1 in 1,000
 * observed, 1 in 20,000 rejected (so the status bar's count of failing documents is a store's, not zero).
 */
export async function seedStore(dir: string, sales: number): Promise<number> {
  const t0 = performance.now();
  const tplDir = path.join(dir, '..', `${path.basename(dir)}-template`);
  const tpl = await templates(tplDir);
  fs.rmSync(tplDir, { recursive: true, force: true });
  const app = createApp({ dataDir: dir, seedIfEmpty: true });
  const ruc = getSetting(app.db, 'store').ruc;
  const terminal = getSetting(app.db, 'terminalId');
  await app.close();
  if (sales === 0) return (performance.now() - t0) / 1000;
  log(`seeding a store with ${sales.toLocaleString()} sales in ${dir}…`);

  const db = new Database(databaseFile(dir));
  // Bulk load: no journal (a failed seed is thrown away), no fsync, a large cache; the app's pragmas come back on
  // its next open.
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144');
  const products = db.prepare(`SELECT id, name, unit_code, price FROM products WHERE is_bag = 0 AND tax_affectation = '10' ORDER BY id`).all() as { id: number; name: string; unit_code: string; price: string }[];
  const carts = baskets(products);

  const today = new Date();
  const dayMs = 86_400_000;
  const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - DAYS * dayMs).toISOString().slice(0, 10);
  const cdrFrom = new Date(Date.parse(`${first}T00:00:00Z`) + (DAYS - CDR_MONTHS * 30) * dayMs).toISOString().slice(0, 10);
  const perDay = Math.ceil(sales / DAYS);
  db.prepare(`INSERT OR IGNORE INTO customers (doc_type, doc_number, name, created_at) VALUES ('6', '20123456786', 'CLIENTE DE PRUEBA S.A.C.', ?)`).run(`${first}T13:00:00.000Z`);
  const customer = (db.prepare(`SELECT id FROM customers WHERE doc_type = '6' AND doc_number = '20123456786'`).get() as { id: number }).id;

  db.transaction(() => {
    db.exec(`
      CREATE TEMP TABLE basket (b INTEGER PRIMARY KEY, gravado INTEGER, igv INTEGER, total INTEGER, tendered INTEGER);
      CREATE TEMP TABLE basket_line (b INTEGER, line_no INTEGER, product_id INTEGER, description TEXT, unit_code TEXT,
        quantity TEXT, unit_price TEXT, unit_value TEXT, value_cents INTEGER, igv_cents INTEGER, total_cents INTEGER,
        PRIMARY KEY (b, line_no));
      CREATE TEMP TABLE tpl (document_type TEXT PRIMARY KEY, number TEXT, xml TEXT, digest TEXT);
    `);
    const bIns = db.prepare('INSERT INTO temp.basket VALUES (?, ?, ?, ?, ?)');
    const lIns = db.prepare('INSERT INTO temp.basket_line VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    carts.forEach((c, b) => {
      bIns.run(b, c.gravado, c.igv, c.total, Math.ceil((c.total + 1) / 1000) * 1000);
      c.lines.forEach((l, k) => lIns.run(b, k + 1, l.productId, l.name, l.unitCode, String(l.quantity), (l.priceCents / 100).toFixed(2), (l.priceCents / 118).toFixed(10), l.valueCents, l.igvCents, l.totalCents));
    });
    const tIns = db.prepare('INSERT INTO temp.tpl VALUES (?, ?, ?, ?)');
    for (const [type, t] of Object.entries(tpl)) tIns.run(type, t.number, t.xml, t.digest);

    db.exec(`
      WITH RECURSIVE d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < ${DAYS - 1})
      INSERT INTO cash_sessions (id, terminal_id, user_id, opened_at, opening_float_cents, closed_at, closed_by,
        counted_cents, expected_cents, difference_cents, z_number)
        SELECT 1000 + k, '${terminal}', 2 + k % 2, date('${first}', '+' || k || ' days') || 'T13:00:00.000Z', 10000,
          date('${first}', '+' || (k + 1) || ' days') || 'T03:00:00.000Z', 2, 500000, 500000, 0, k + 1 FROM d;

      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${sales - 1})
      INSERT INTO sales (id, terminal_id, session_id, user_id, customer_id, customer_doc_type, customer_doc_number,
        customer_name, document_type, series, correlative, number, issued_at, issue_date, igv_rate, gravado_cents,
        exonerado_cents, inafecto_cents, gratuito_cents, igv_cents, icbper_cents, discount_cents, total_cents,
        paid_cents, change_cents)
      SELECT i + 1, '${terminal}', 1000 + i / ${perDay}, 2 + (i / ${perDay}) % 2,
        CASE WHEN f THEN ${customer} END, CASE WHEN f THEN '6' ELSE '-' END, CASE WHEN f THEN '20123456786' ELSE '-' END,
        CASE WHEN f THEN 'CLIENTE DE PRUEBA S.A.C.' ELSE 'CLIENTES VARIOS' END, CASE WHEN f THEN '01' ELSE '03' END,
        CASE WHEN f THEN 'F001' ELSE 'B001' END, c, printf('%s-%08d', CASE WHEN f THEN 'F001' ELSE 'B001' END, c),
        strftime('%Y-%m-%dT%H:%M:%fZ', date('${first}', '+' || (i / ${perDay}) || ' days'), '+13 hours',
          '+' || ((i % ${perDay}) * 50400 / ${perDay}) || ' seconds'),
        date('${first}', '+' || (i / ${perDay}) || ' days'), '0.18', b.gravado, 0, 0, 0, b.igv, 0, 0, b.total, b.total,
        CASE WHEN i % 10 < 6 THEN b.tendered - b.total ELSE 0 END
      FROM (SELECT i, i % 10 = 0 AS f, CASE WHEN i % 10 = 0 THEN i / 10 + 1 ELSE i - i / 10 END AS c FROM n)
        JOIN temp.basket b ON b.b = i % ${BASKETS};

      INSERT INTO sale_lines (sale_id, line_no, product_id, description, unit_code, quantity, unit_price, unit_value,
        tax_affectation, discount_cents, value_cents, igv_cents, icbper_cents, total_cents)
        SELECT s.id, l.line_no, l.product_id, l.description, l.unit_code, l.quantity, l.unit_price, l.unit_value, '10', 0,
          l.value_cents, l.igv_cents, 0, l.total_cents
        FROM sales s JOIN temp.basket_line l ON l.b = (s.id - 1) % ${BASKETS} ORDER BY s.id, l.line_no;

      INSERT INTO payments (sale_id, method, amount_cents, tendered_cents, reference)
        SELECT id, CASE (id - 1) % 10 WHEN 6 THEN 'card' WHEN 7 THEN 'card' WHEN 8 THEN 'yape' WHEN 9 THEN 'plin' ELSE 'cash' END,
          total_cents, CASE WHEN (id - 1) % 10 < 6 THEN total_cents + change_cents END,
          CASE WHEN (id - 1) % 10 >= 6 THEN printf('%06d', id % 1000000) END
        FROM sales ORDER BY id;

      INSERT INTO stock_moves (product_id, sale_id, quantity, reason, stock_after, negative, created_at)
        SELECT l.product_id, l.sale_id, '-' || l.quantity, 'sale', '0', 0, s.issued_at
        FROM sale_lines l JOIN sales s ON s.id = l.sale_id ORDER BY l.id;

      INSERT INTO documents (id, sale_id, document_type, series, correlative, file_name, issue_date, status, xml,
        digest_value, qr, signed_at, cdr_zip, cdr_code, cdr_description, cdr_notes, last_attempt_at, accepted_at,
        created_at, updated_at, issued_mode, sunat_target, simulated)
        SELECT s.id, s.id, s.document_type, s.series, s.correlative, '${ruc}-' || s.document_type || '-' || s.number,
          s.issue_date, st, replace(t.xml, t.number, s.number), t.digest,
          printf('${ruc}|%s|%s|%08d|%.2f|%.2f|%s|%s|%s|%s|', s.document_type, s.series, s.correlative, s.igv_cents / 100.0,
            s.total_cents / 100.0, s.issue_date, CASE s.customer_doc_type WHEN '-' THEN '0' ELSE s.customer_doc_type END,
            s.customer_doc_number, t.digest),
          s.issued_at, CASE WHEN s.issue_date >= '${cdrFrom}' THEN randomblob(2200) END,
          CASE st WHEN 'accepted' THEN '0' WHEN 'observed' THEN '4287' ELSE '2800' END,
          CASE st WHEN 'rejected' THEN 'El dato ingresado en el tipo de documento de identidad del receptor no esta permitido'
            ELSE printf('La %s numero %s, ha sido aceptada', CASE s.document_type WHEN '01' THEN 'Factura' ELSE 'Boleta' END, s.number) END,
          CASE st WHEN 'observed' THEN '["4287: El precio unitario de la operación que se está informando difiere de los totales"]' ELSE '[]' END,
          s.issued_at, CASE WHEN st <> 'rejected' THEN s.issued_at END, s.issued_at, s.issued_at, 'demo', 'simulator', 1
        FROM (SELECT *, CASE WHEN id % 20000 = 17 THEN 'rejected' WHEN id % 1000 = 3 THEN 'observed' ELSE 'accepted' END AS st FROM sales) s
          JOIN temp.tpl t ON t.document_type = s.document_type
        ORDER BY s.id;

      INSERT INTO jobs (id, kind, payload, state, priority, attempts, run_at, result, idempotency_key, created_at, updated_at, finished_at)
        SELECT id, 'sunat.send', printf('{"documentId":%d,"saleId":%d}', id, sale_id), 'succeeded', 10, 1, created_at,
          printf('{"status":"%s","code":"%s","description":"%s"}', status, cdr_code, cdr_description), file_name,
          created_at, updated_at, updated_at
        FROM documents ORDER BY id;

      INSERT INTO job_runs (job_id, attempt, started_at, finished_at, outcome)
        SELECT id, 1, created_at, finished_at, json_extract(result, '$.status') FROM jobs ORDER BY id;

      INSERT INTO series (terminal_id, document_type, series, next_number)
        SELECT '${terminal}', document_type, series, max(correlative) + 1 FROM sales GROUP BY document_type, series;
    `);
  })();
  db.pragma('journal_mode = WAL');
  db.close();
  return (performance.now() - t0) / 1000;
}
