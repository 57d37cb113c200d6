// Ticket rendering and the daily / monthly report on a database holding 1,000,000 sales. The data set is built
// here (not the checkout bench's) because the report needs a realistic spread: facturas and boletas, every SUNAT
// outcome, four payment methods, several cashiers and one closed cash session per day. Built fresh in a temp
// directory each run (never cached); its build time is printed apart.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../src-main/app';
import { currentSession, openSession } from '../../src-main/pos/cash';
import { getSetting } from '../../src-main/db/settings';
import { renderTicket } from '../../src-main/documents/ticket';
import { dailyReport, periodReport } from '../../src-main/reports/daily';
import { round, summarize } from './stats';
import { randomBytes } from 'node:crypto';
import { ManualClock } from '../../src-main/adapters';
import { archiveFiles } from '../../src-main/files/archive-write';
import { tempDir } from './store';
import { argValue } from './stats';
import { escposBuildP99, payToPrinted } from './printing';

const SALES = 1_000_000;
const DAYS = 365;
const FIRST_DAY = '2025-06-01';

function buildReportsDb(dir: string): number {
  const t0 = performance.now();
  console.error(`building a ${SALES.toLocaleString()}-sale database for the report bench in ${dir}…`);
  const app = createApp({ dataDir: dir, seedIfEmpty: true });
  const db = app.db.raw;
  db.pragma('synchronous = OFF');
  const terminal = getSetting(app.db, 'terminalId');
  const ruc = getSetting(app.db, 'store').ruc;
  const perDay = Math.ceil(SALES / DAYS);
  db.exec(`
    CREATE TEMP TABLE d(k INTEGER PRIMARY KEY, day TEXT);
    WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < ${DAYS - 1})
      INSERT INTO d SELECT k, date('${FIRST_DAY}', '+' || k || ' days') FROM n;
    -- One session per day, 08:00 to 22:00 Lima, closed with a small difference.
    INSERT INTO cash_sessions (id, terminal_id, user_id, opened_at, opening_float_cents, closed_at, closed_by, counted_cents,
      expected_cents, difference_cents, z_number)
      SELECT k + 1000, '${terminal}', 1 + k % 3, day || 'T13:00:00.000Z', 10000, date(day, '+1 day') || 'T03:00:00.000Z', 1,
        500000 + (k % 7) * 100 - 300, 500000, (k % 7) * 100 - 300, k + 1 FROM d;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${SALES - 1})
    INSERT INTO sales (id, terminal_id, session_id, user_id, customer_doc_type, customer_doc_number, customer_name, document_type,
      series, correlative, number, issued_at, issue_date, igv_rate, gravado_cents, exonerado_cents, inafecto_cents,
      gratuito_cents, igv_cents, icbper_cents, discount_cents, total_cents, paid_cents, change_cents, status)
    SELECT i + 1, '${terminal}', 1000 + i / ${perDay}, 1 + i % 3,
      CASE WHEN i % 4 = 0 THEN '6' ELSE '-' END, CASE WHEN i % 4 = 0 THEN '20123456786' ELSE '-' END,
      CASE WHEN i % 4 = 0 THEN 'EMPRESA CLIENTE S.A.C.' ELSE 'CLIENTES VARIOS' END,
      CASE WHEN i % 4 = 0 THEN '01' ELSE '03' END, CASE WHEN i % 4 = 0 THEN 'F001' ELSE 'B001' END,
      CASE WHEN i % 4 = 0 THEN i / 4 + 1 ELSE i - i / 4 END,
      printf('%s-%08d', CASE WHEN i % 4 = 0 THEN 'F001' ELSE 'B001' END, CASE WHEN i % 4 = 0 THEN i / 4 + 1 ELSE i - i / 4 END),
      strftime('%Y-%m-%dT%H:%M:%fZ', date('${FIRST_DAY}', '+' || (i / ${perDay}) || ' days'), '+13 hours', '+' || ((i % ${perDay}) * 18) || ' seconds'),
      date('${FIRST_DAY}', '+' || (i / ${perDay}) || ' days'), '0.18',
      1000 + (i % 50) * 100, 0, 0, 0, 180 + (i % 50) * 18, 0, 0, 1180 + (i % 50) * 118, 1180 + (i % 50) * 118, 0,
      CASE WHEN i % 500 = 7 THEN 'cancelled' ELSE 'completed' END
    FROM n;
    INSERT INTO sale_lines (sale_id, line_no, product_id, description, unit_code, quantity, unit_price, unit_value,
      tax_affectation, discount_cents, value_cents, igv_cents, icbper_cents, total_cents)
      SELECT id, 1, 1 + id % 150, 'PRODUCTO DE PRUEBA', 'NIU', '1', printf('%.2f', total_cents / 100.0), '0', '10', 0,
        gravado_cents, igv_cents, 0, total_cents FROM sales;
    INSERT INTO payments (sale_id, method, amount_cents, tendered_cents)
      SELECT id, CASE id % 20 WHEN 0 THEN 'plin' WHEN 1 THEN 'yape' WHEN 2 THEN 'yape' WHEN 3 THEN 'yape' WHEN 4 THEN 'card'
        WHEN 5 THEN 'card' WHEN 6 THEN 'card' WHEN 7 THEN 'card' ELSE 'cash' END, total_cents, total_cents FROM sales;
    INSERT INTO documents (sale_id, document_type, series, correlative, file_name, issue_date, status, last_error, created_at, updated_at)
      SELECT id, document_type, series, correlative, '${ruc}-' || document_type || '-' || number, issue_date,
        CASE WHEN id % 100 < 95 THEN 'accepted' WHEN id % 100 < 97 THEN 'observed' WHEN id % 100 = 97 THEN 'rejected'
          WHEN id % 100 = 98 THEN 'error' ELSE 'pending' END,
        CASE WHEN id % 100 = 98 THEN 'Servicio de SUNAT no disponible (0109)' WHEN id % 100 = 97 THEN '2017: RUC del receptor no válido' END,
        issued_at, issued_at FROM sales;
    INSERT INTO series (terminal_id, document_type, series, next_number)
      SELECT '${terminal}', document_type, series, max(correlative) + 1 FROM sales GROUP BY document_type, series
      ON CONFLICT (series) DO UPDATE SET next_number = excluded.next_number;
  `);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return (performance.now() - t0) / 1000;
}

export async function benchReports({ json }: { json: boolean }): Promise<void> {
  const tmp = tempDir('izisales-bench-reports-');
  try {
    await benchReportsIn(tmp.dir, json);
  } finally {
    tmp.remove();
  }
}

/**
 * Issue 17's printing figures. `--print-count N` (default 10,000) and `--print-store N` (default 100,000 sales) size the
 * drain; `--print-only` runs only these (a quick look at a small size: `-- reports --print-only --print-count 300`).
 */
async function benchPrinting(): Promise<{ pay_to_printed_p50_ms: number; pay_to_printed_p99_ms: number; prints_during_drain: number; drain_backlog: number }> {
  return payToPrinted({ count: Number(argValue('--print-count') ?? 10_000), storeSales: Number(argValue('--print-store') ?? 100_000) });
}

async function benchReportsIn(base: string, json: boolean): Promise<void> {
  if (process.argv.includes('--print-only')) {
    const app = createApp({ dataDir: path.join(base, 'escpos'), seedIfEmpty: true });
    const cashier = app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', 'cashier'))!;
    const terminalId = getSetting(app.db, 'terminalId');
    openSession(app.db, new Date(), terminalId, cashier.id, '0');
    const products = (app.db.raw.prepare(`SELECT id FROM products WHERE is_bag = 0 LIMIT 5`).all() as { id: number }[]).map((p) => p.id);
    const r = app.sell(cashier, terminalId, { documentType: '03', lines: products.map((id) => ({ productId: id, quantity: '1' })), payments: [{ method: 'cash', amount: '500.00' }] });
    const build = escposBuildP99(app.db, r.documentId);
    await app.close();
    const result = { escpos_build_p99_ms: build, ...(await benchPrinting()), targets: { escpos_build_p99_ms: 5, pay_to_printed_p99_ms: 100 } };
    console.log(json ? JSON.stringify(result) : `ESC/POS ticket built p99 ${result.escpos_build_p99_ms} ms (target <= 5); Pay → last byte at the printer during a ${result.drain_backlog.toLocaleString()}-document drain, ${result.prints_during_drain} sales: p50 ${result.pay_to_printed_p50_ms} ms  p99 ${result.pay_to_printed_p99_ms} ms (target <= 100)`);
    return;
  }
  // First, while the process's peak RSS is still its start-up figure: the archive's growth is then measurable.
  const archive = await benchArchive(path.join(base, 'archive'));
  const work = path.join(base, 'reports-million');
  const seedS = buildReportsDb(work);
  const app = createApp({ dataDir: work });
  const existing = (app.db.raw.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n;

  // Tickets: real signed sales (hash and QR), each printed once as at Pay, then reprinted.
  const terminalId = getSetting(app.db, 'terminalId');
  const cashier = app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', 'cashier'))!;
  if (!currentSession(app.db, terminalId, cashier.id)) openSession(app.db, new Date(), terminalId, cashier.id, '0');
  const products = (app.db.raw.prepare(`SELECT id FROM products WHERE is_bag = 0 LIMIT 40`).all() as { id: number }[]).map((p) => p.id);
  const docs: number[] = [];
  for (let i = 0; i < 300; i++) {
    const r = app.sell(cashier, terminalId, {
      documentType: '03', lines: [0, 1, 2, 3, 4].map((k) => ({ productId: products[(i + k) % products.length], quantity: String(1 + (k % 2)) })),
      payments: [{ method: 'cash', amount: '500.00' }],
    });
    docs.push(r.documentId);
  }
  for (let i = 0; i < 20; i++) await renderTicket(app.db, docs[i]); // warm-up (module loading, JIT)
  const first: number[] = [];
  const cpu0 = process.cpuUsage();
  for (const id of docs.slice(20)) {
    const t = performance.now();
    await renderTicket(app.db, id);
    first.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  // CPU time is what the ticket costs; wall-clock percentiles also carry whatever else the machine is doing.
  const ticketCpuMs = (cpu.user + cpu.system) / 1000 / first.length;
  const reprint: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await renderTicket(app.db, docs[20 + (i % 50)], { copy: true });
    reprint.push(performance.now() - t);
  }

  // Reports: different days each time, so no day is served from SQLite's page cache of the previous run.
  const day: number[] = [];
  for (let k = 0; k < 30; k++) {
    const date = new Date(Date.parse(`${FIRST_DAY}T12:00:00Z`) + (k * 11 + 3) * 86_400_000).toISOString().slice(0, 10);
    const t = performance.now();
    const r = dailyReport(app.db, date);
    day.push(performance.now() - t);
    if (r.issued === 0) throw new Error(`no documents on ${date}: the data set is wrong`);
  }
  const month: number[] = [];
  let monthIssued = 0;
  for (const m of ['2025-07', '2025-09', '2025-11', '2026-01', '2026-03']) {
    const last = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).toISOString().slice(0, 10);
    const t = performance.now();
    monthIssued = periodReport(app.db, `${m}-01`, last).issued;
    month.push(performance.now() - t);
  }
  const escposBuild = escposBuildP99(app.db, docs[20]);
  await app.close();
  const printing = await benchPrinting();

  const f = summarize(first);
  const rp = summarize(reprint);
  const d = summarize(day);
  const mo = summarize(month);
  const result = {
    existing_sales: existing, seed_s: round(seedS, 1),
    ticket_p50_ms: round(f.p50), ticket_p99_ms: round(f.p99), ticket_cpu_mean_ms: round(ticketCpuMs), reprint_p99_ms: round(rp.p99),
    report_day_ms: round(d.p50), report_day_max_ms: round(Math.max(...day)),
    report_month_ms: round(mo.p50), report_month_max_ms: round(Math.max(...month)), month_documents: monthIssued,
    escpos_build_p99_ms: escposBuild, ...printing,
    targets: { ticket_p99_ms: 50, report_day_ms: 100, escpos_build_p99_ms: 5, pay_to_printed_p99_ms: 100 },
  };
  Object.assign(result, archive);
  if (json) console.log(JSON.stringify(result));
  else {
    console.log(`store: ${existing.toLocaleString()} sales, built in ${result.seed_s} s (not timed below)`);
    console.log(`ticket PDF (80 mm, 5 lines, QR), ${first.length} first prints: p50 ${result.ticket_p50_ms} ms  p99 ${result.ticket_p99_ms} ms  (target p99 <= 50 ms); CPU ${result.ticket_cpu_mean_ms} ms per ticket; reprint p99 ${result.reprint_p99_ms} ms`);
    console.log(`daily report, ${existing.toLocaleString()} sales in the file, 30 different days: p50 ${result.report_day_ms} ms  max ${result.report_day_max_ms} ms  (target <= 100 ms)`);
    console.log(`monthly report (~${monthIssued.toLocaleString()} documents): p50 ${result.report_month_ms} ms  max ${result.report_month_max_ms} ms`);
    console.log(`ESC/POS ticket built: p99 ${result.escpos_build_p99_ms} ms (target <= 5); Pay → last byte at the printer during a ${printing.drain_backlog.toLocaleString()}-document drain (${printing.prints_during_drain} sales): p50 ${printing.pay_to_printed_p50_ms} ms  p99 ${printing.pay_to_printed_p99_ms} ms (target <= 100)`);
    console.log(`archive (files.archive), one month of ${archive.archive_files.toLocaleString()} files (XML ~8 KB + CDR 3 KB): ${archive.archive_files_per_s} files/s, peak RSS growth ${archive.archive_rss_growth_mb} MB, zip ${archive.archive_zip_mb} MB`);
  }
}

/**
 * files.archive on one month of 10,000 documents (20,000 files: a signed XML of ~8 KB and a 3 KB CDR each), on a
 * fresh data directory: files archived per second and the peak RSS growth (getrusage's maxRSS over the RSS before).
 */
async function benchArchive(dir: string): Promise<{ archive_files: number; archive_files_per_s: number; archive_rss_growth_mb: number; archive_zip_mb: number }> {
  const clock = new ManualClock(new Date('2026-11-28T07:00:00Z'));
  const app = createApp({ dataDir: dir, clock, seedIfEmpty: true });
  const insert = app.db.raw.prepare(`
    INSERT INTO documents (document_type, series, correlative, file_name, issue_date, status, xml, cdr_zip, created_at, updated_at)
    VALUES ('03', 'B900', ?, ?, ?, 'accepted', ?, ?, ?, ?)`);
  const certificate = randomBytes(1200).toString('base64');
  app.db.raw.pragma('synchronous = OFF');
  app.db.tx(() => {
    for (let i = 1; i <= 10_000; i++) {
      let xml = `<?xml version="1.0" encoding="UTF-8"?><Invoice><cbc:ID>B900-${i}</cbc:ID><ds:SignatureValue>${randomBytes(256).toString('base64')}</ds:SignatureValue><ds:X509Certificate>${certificate}</ds:X509Certificate>`;
      for (let k = 0; xml.length < 8 * 1024; k++) {
        xml += `<cac:InvoiceLine><cbc:ID>${k + 1}</cbc:ID><cbc:InvoicedQuantity unitCode="NIU">${1 + ((i + k) % 7)}</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="PEN">${(i * 7 + k) % 1000}.50</cbc:LineExtensionAmount></cac:InvoiceLine>`;
      }
      const day = `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`;
      insert.run(i, `20100000001-03-B900-${i}`, day, `${xml}</Invoice>`, randomBytes(3 * 1024), `${day}T15:00:00.000Z`, `${day}T15:00:00.000Z`);
    }
  });
  app.db.raw.pragma('synchronous = FULL');
  const rssBefore = process.memoryUsage().rss;
  const t = performance.now();
  const r = archiveFiles(app);
  const ms = performance.now() - t;
  const growth = process.resourceUsage().maxRSS * 1024 - rssBefore;
  const files = r.months.reduce((a, m) => a + m.added, 0);
  const zipBytes = r.months.reduce((a, m) => a + m.archiveBytes, 0);
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    archive_files: files, archive_files_per_s: Math.round((files / ms) * 1000), archive_rss_growth_mb: Math.round(growth / 1024 / 1024),
    archive_zip_mb: round(zipBytes / 1024 / 1024),
  };
}
