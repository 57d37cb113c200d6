// The daily report (replaces Celery's generate_daily_report): documents issued and their SUNAT outcome, money billed
// by document type, payment method and cashier, the cash sessions and their differences, and what still needs
// attention. Every figure is one SQL aggregate over the issue_date indexes, so a day costs the same with a million
// sales in the file. Stored as <data>/reports/YYYY-MM-DD.{json,pdf}.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection';
import type { Clock } from '../adapters';
import { formatNumber } from '../../src-shared/documents';
import { soles, tallyDay } from '../../src-shared/report-tally';
import { isIsoDate, limaDate, limaDayRange } from '../../src-shared/time';
import { getSetting } from '../db/settings';
import { dirs, writeFileAtomic } from '../files/store';
import { renderReportPdf } from '../documents/report-pdf';
import type { DailyReport } from '../../src-shared/reports';

export type { DailyReport, MoneyCount } from '../../src-shared/reports';

export const NOT_ACCEPTED_LIMIT = 500;
/** At most this many missed days are generated in one catch-up run. */
export const CATCH_UP_DAYS = 31;

const maybeSoles = (cents: number | null): string | null => (cents === null ? null : soles(cents));

/** The report of one Lima day. */
export function dailyReport(db: Db, date: string, now: Date = new Date()): DailyReport {
  return periodReport(db, date, date, now);
}

/** The report of the Lima days from..to (inclusive), e.g. a month. */
export function periodReport(db: Db, from: string, to: string, now: Date = new Date()): DailyReport {
  if (!isIsoDate(from) || !isIsoDate(to) || from > to) throw new Error(`periodo no válido: ${from} a ${to}`);
  // Every figure is one grouped aggregate; src-shared/report-tally.ts adds them up (as the hub does for a store).
  const docs = db.all(
    db.q.selectFrom('documents')
      .select((eb) => ['document_type', 'status', eb.fn.countAll<number>().as('n'), eb.fn.sum<number | null>('simulated').as('simulated')])
      .where((eb) => eb.between('issue_date', from, to))
      .groupBy(['document_type', 'status']),
  );
  const sales = db.all(
    db.q.selectFrom('sales')
      .select((eb) => ['document_type', 'status', 'user_id as cashier', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('total_cents').as('cents')])
      .where((eb) => eb.between('issue_date', from, to))
      .groupBy(['document_type', 'status', 'user_id']),
  );
  const notes = db.all(
    db.q.selectFrom('notes')
      .select((eb) => [
        'document_type', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('total_cents').as('cents'),
        eb.case().when('reason_code', '=', '13').then(1).else(0).end().as('terms'),
      ])
      .where((eb) => eb.between('issue_date', from, to))
      .groupBy(['document_type', 'terms']),
  );
  // Payments are stored net of change, and a sale on credit adds what was left to pay later as 'credit' (money not
  // received: never cash), so the methods add up to the billed total.
  const payments = db.all(
    db.q.selectFrom('sales as s').innerJoin('payments as p', 'p.sale_id', 's.id')
      .select((eb) => ['p.method', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('p.amount_cents').as('cents')])
      .where((eb) => eb.between('s.issue_date', from, to)).where('s.status', '=', 'completed')
      .groupBy('p.method'),
  );
  const credit = db.first(
    db.q.selectFrom('sales')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('credit_cents'), eb.lit(0)).as('cents')])
      .where((eb) => eb.between('issue_date', from, to)).where('status', '=', 'completed').where('credit_cents', '>', 0),
  )!;
  // Collections of the period for earlier (or today's) sales on credit: money received, by any method.
  const collected = db.first(
    db.q.selectFrom('collections')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('cents'),
        eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('method', '=', 'cash').then(eb.ref('amount_cents')).else(0).end()), eb.lit(0)).as('cash'),
      ])
      .where('created_at', '>=', limaDayRange(from).start).where('created_at', '<', limaDayRange(to).end),
  )!;
  const names = new Map(db.all(db.q.selectFrom('users').select(['id', 'name'])).map((u) => [u.id, u.name]));
  const tally = tallyDay({ docs, sales, notes, payments, credit: [credit], collections: [collected] }, (id) => ({ userId: Number(id), name: names.get(Number(id)) ?? `#${id}` }));

  // Sessions that overlap the period (opened before its end, not closed before its start).
  const start = limaDayRange(from).start;
  const end = limaDayRange(to).end;
  const sessionRows = db.all(
    db.q.selectFrom('cash_sessions as c').innerJoin('users as u', 'u.id', 'c.user_id')
      .select([
        'c.id', 'c.terminal_id', 'u.name', 'c.opened_at', 'c.closed_at', 'c.z_number', 'c.opening_float_cents', 'c.expected_cents',
        'c.counted_cents', 'c.difference_cents',
      ])
      .where('c.opened_at', '<', end).where((eb) => eb.or([eb('c.closed_at', 'is', null), eb('c.closed_at', '>=', start)]))
      .orderBy('c.opened_at'),
  );

  const notAcceptedRows = db
    .prepare(
      // db.prepare, not Kysely, for INDEXED BY: without statistics SQLite prefers the status index, which scans every
      // failed document ever.
      `SELECT id, document_type, series, correlative, status, issue_date, last_error, cdr_code, cdr_description
       FROM documents INDEXED BY documents_issue_date
       WHERE issue_date BETWEEN ? AND ? AND status IN ('rejected', 'error', 'pending') ORDER BY issue_date, id LIMIT ?`,
    )
    .all(from, to, NOT_ACCEPTED_LIMIT) as {
      id: number; document_type: string; series: string; correlative: number; status: string; issue_date: string;
      last_error: string | null; cdr_code: string | null; cdr_description: string | null;
    }[];

  const store = getSetting(db, 'store');
  return {
    date: from, from, to, generatedAt: now.toISOString(),
    store: { ruc: store.ruc, name: store.tradeName },
    ...tally,
    cashSessions: sessionRows.map((r) => ({
      id: r.id, terminalId: r.terminal_id, cashier: r.name, openedAt: r.opened_at, closedAt: r.closed_at, zNumber: r.z_number,
      openingFloat: soles(r.opening_float_cents), expected: maybeSoles(r.expected_cents), counted: maybeSoles(r.counted_cents),
      difference: maybeSoles(r.difference_cents),
    })),
    notAccepted: notAcceptedRows.map((r) => ({
      documentId: r.id, number: formatNumber(r.series, r.correlative), documentType: r.document_type, status: r.status,
      issueDate: r.issue_date, lastError: r.last_error, cdrCode: r.cdr_code, cdrDescription: r.cdr_description,
    })),
  };
}

// ---- stored reports ----

/** What storing reports uses of the app (the App satisfies it): the database, the clock, the data directory. */
export interface ReportDeps {
  db: Db;
  clock: Clock;
  dataDir: string;
}

export function reportFiles(dataDir: string, date: string): { json: string; pdf: string } {
  const dir = dirs.reports(dataDir);
  return { json: path.join(dir, `${date}.json`), pdf: path.join(dir, `${date}.pdf`) };
}

/** Computes and stores the report of `date` (JSON and PDF, each written atomically). */
export async function storeDailyReport(app: ReportDeps, date: string): Promise<{ report: DailyReport; json: string; pdf: string }> {
  const report = dailyReport(app.db, date, app.clock.now());
  const files = reportFiles(app.dataDir, date);
  writeFileAtomic(files.pdf, await renderReportPdf(report));
  // The JSON last: its presence is what marks the day as done.
  writeFileAtomic(files.json, JSON.stringify(report, null, 2) + '\n');
  return { report, ...files };
}

/** The dates of the stored reports, oldest first. */
export function storedReportDates(dataDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dirs.reports(dataDir));
  } catch {
    return [];
  }
  return names.filter((n) => /^\d{4}-\d{2}-\d{2}\.json$/.test(n)).map((n) => n.slice(0, 10)).sort();
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The days a run for `upTo` must (re)generate: `upTo` itself; every day after the last stored report that has none
 * (the PC was off), at most `cap` of the most recent; and the last stored day again if it was stored before that day
 * ended (the 23:00 run misses the last hour's sales).
 */
export function daysToGenerate(stored: string[], upTo: string, storedAt: (date: string) => Date | null, cap = CATCH_UP_DAYS): string[] {
  const before = stored.filter((d) => d < upTo);
  const last = before.at(-1);
  const days = new Set<string>();
  if (last) {
    const at = storedAt(last);
    if (!at || at.toISOString() < limaDayRange(last).end) days.add(last);
    for (let d = addDays(last, 1); d < upTo; d = addDays(d, 1)) days.add(d);
  }
  days.add(upTo);
  return [...days].sort().slice(-cap);
}

function storedAt(dataDir: string, date: string): Date | null {
  try {
    const v = (JSON.parse(fs.readFileSync(reportFiles(dataDir, date).json, 'utf8')) as { generatedAt?: string }).generatedAt;
    return v ? new Date(v) : null;
  } catch {
    return null;
  }
}

/** Generates the report of `upTo` and of every missed day before it (see daysToGenerate). */
export async function generateDueReports(app: ReportDeps, upTo: string = limaDate(app.clock.now())): Promise<string[]> {
  const days = daysToGenerate(storedReportDates(app.dataDir), upTo, (d) => storedAt(app.dataDir, d));
  for (const d of days) await storeDailyReport(app, d);
  return days;
}
