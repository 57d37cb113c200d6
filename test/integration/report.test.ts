import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { demoApp, type TestApp } from '../helpers/app';
import { requireTools } from '../helpers/tools';
import { dailyReport, generateDueReports, reportFiles, storedReportDates } from '../../src-main/reports/daily';
import { closeSession, openSession } from '../../src-main/pos/cash';
import { reportDailyHandler } from '../../src-main/jobs/handlers/report-daily';
import type { JobContext } from '../../src-main/jobs/runner';
import { createRunner } from '../../src-main/jobs/start';
import { reportDailySpec } from '../../src-main/jobs/handlers/report-daily';
import { filesArchiveSpec } from '../../src-main/jobs/handlers/files-archive';
import { runDue } from '../../src-main/jobs/schedule';
import { NetworkMonitor } from '../../src-main/jobs/network';

let t: TestApp;
beforeEach(() => {
  t = demoApp({ at: '2026-11-26T13:00:00Z', openSession: false });
});
afterEach(() => t.close());

interface Rung { saleId: number; documentId: number; limaDay: string; type: '01' | '03'; totalCents: number; yapeCents: number; user: string; cancelled: boolean; status: string; error?: string }

const cents = (s: { toFixed(n: number): string }) => Math.round(Number(s.toFixed(2)) * 100);

describe('the daily report', () => {
  it('counts documents by SUNAT outcome and money by type, method and cashier exactly as an independent tally', async () => {
    const { app, clock } = t;
    const products = (app.db.raw.prepare(`SELECT id FROM products WHERE is_bag = 0 ORDER BY id LIMIT 6`).all() as { id: number }[]).map((p) => p.id);
    openSession(app.db, clock.now(), t.terminalId, t.cashier.id, '100.00');
    const rung: Rung[] = [];
    const statuses = ['accepted', 'accepted', 'observed', 'rejected', 'error', 'pending', 'accepted', 'voided'];
    // 24 sales over three Lima days, including 23:30 Lima (04:30 UTC the next day) and 00:10 Lima.
    const instants = [
      '2026-11-25T15:00:00Z', '2026-11-26T04:59:00Z', // both the 25th in Lima
      '2026-11-26T05:10:00Z', '2026-11-26T13:00:00Z', '2026-11-26T16:30:00Z', '2026-11-26T20:00:00Z', '2026-11-27T04:30:00Z', // the 26th
      '2026-11-27T05:00:00Z', '2026-11-27T14:00:00Z', // the 27th
    ];
    let k = 0;
    for (const at of instants) {
      for (let j = 0; j < (at.startsWith('2026-11-26T13') ? 16 : 1); j++, k++) {
        clock.set(at);
        const type: '01' | '03' = k % 4 === 0 ? '01' : '03';
        const user = k % 3 === 0 ? t.supervisor : t.cashier;
        const yape = k % 2 === 0 ? 100 : 0;
        const r = app.sell(user, t.terminalId, {
          documentType: type,
          customer: type === '01' ? { docType: '6', docNumber: '20123456786', name: 'Distribuidora Los Andes S.A.C.' } : undefined,
          lines: [{ productId: products[k % products.length], quantity: String(1 + (k % 3)) }],
          payments: [...(yape ? [{ method: 'yape' as const, amount: '1.00', reference: `OP${k}` }] : []), { method: 'cash', amount: '900.00' }],
        });
        const status = statuses[k % statuses.length];
        const error = status === 'error' ? 'Servicio de SUNAT no disponible (0109)' : status === 'rejected' ? 'El RUC del receptor no existe' : undefined;
        app.db.raw.prepare('UPDATE documents SET status = ?, last_error = ? WHERE id = ?').run(status, error ?? null, r.documentId);
        const cancelled = k === 5;
        if (cancelled) app.db.raw.prepare(`UPDATE sales SET status = 'cancelled' WHERE id = ?`).run(r.saleId);
        const limaDay = new Date(Date.parse(at) - 5 * 3600_000).toISOString().slice(0, 10);
        rung.push({ saleId: r.saleId, documentId: r.documentId, limaDay, type, totalCents: cents(r.total), yapeCents: yape, user: user.name, cancelled, status, error });
      }
    }
    clock.set('2026-11-27T04:40:00Z');
    const session = closeSession(app.db, clock.now(), t.terminalId, t.cashier.id, '2000.00');

    const report = dailyReport(app.db, '2026-11-26', clock.now());
    const day = rung.filter((r) => r.limaDay === '2026-11-26');
    expect(day.length).toBe(20);
    const count = (s: string) => day.filter((r) => r.status === s).length;
    const soles = (c: number) => (c / 100).toFixed(2);
    const live = day.filter((r) => !r.cancelled);
    const sum = (xs: Rung[], f: (r: Rung) => number) => xs.reduce((a, r) => a + f(r), 0);

    expect(report.date).toBe('2026-11-26');
    expect(report.issued).toBe(20);
    for (const s of ['accepted', 'observed', 'rejected', 'error', 'pending', 'voided'] as const) expect(report[s]).toBe(count(s));
    expect(report.successRate).toBe(Math.round(((count('accepted') + count('observed')) / 20) * 10000) / 100);
    expect(report.totalBilled).toBe(soles(sum(live, (r) => r.totalCents)));
    expect(report.salesCount).toBe(live.length);
    expect(report.cancelled).toEqual({ count: day.length - live.length, total: soles(sum(day.filter((r) => r.cancelled), (r) => r.totalCents)) });
    for (const type of ['01', '03'] as const) {
      const ofType = day.filter((r) => r.type === type);
      expect(report.byDocumentType[type].issued).toBe(ofType.length);
      expect(report.byDocumentType[type].accepted).toBe(ofType.filter((r) => r.status === 'accepted').length);
      expect(report.byDocumentType[type].total).toBe(soles(sum(ofType.filter((r) => !r.cancelled), (r) => r.totalCents)));
    }
    expect(report.byPaymentMethod.yape).toMatchObject({ count: live.filter((r) => r.yapeCents).length, total: soles(sum(live, (r) => r.yapeCents)) });
    expect(report.byPaymentMethod.cash).toMatchObject({ count: live.length, total: soles(sum(live, (r) => r.totalCents - r.yapeCents)) });
    const byUser = Object.fromEntries(report.byCashier.map((c) => [c.name, c]));
    for (const name of [t.cashier.name, t.supervisor.name]) {
      const mine = live.filter((r) => r.user === name);
      expect(byUser[name]).toMatchObject({ count: mine.length, total: soles(sum(mine, (r) => r.totalCents)) });
    }
    // The session was open on the 26th; expected = float + cash of its completed sales.
    const cashInSession = sum(rung.filter((r) => !r.cancelled), (r) => r.totalCents - r.yapeCents);
    expect(report.cashSessions).toHaveLength(1);
    expect(report.cashSessions[0]).toMatchObject({
      id: session.sessionId, expected: soles(10000 + cashInSession), counted: '2000.00',
      difference: soles(200000 - 10000 - cashInSession),
    });
    const bad = day.filter((r) => ['rejected', 'error', 'pending'].includes(r.status));
    expect(report.notAcceptedCount).toBe(bad.length);
    expect(report.notAccepted.map((d) => d.documentId).sort((a, b) => a - b)).toEqual(bad.map((r) => r.documentId).sort((a, b) => a - b));
    expect(report.notAccepted.find((d) => d.status === 'error')!.lastError).toBe('Servicio de SUNAT no disponible (0109)');

    // Stored as JSON + PDF, and the PDF reads back in Spanish.
    const days = await generateDueReports(app, '2026-11-26');
    expect(days).toEqual(['2026-11-26']);
    const files = reportFiles(t.dir, '2026-11-26');
    expect(JSON.parse(fs.readFileSync(files.json, 'utf8')).totalBilled).toBe(report.totalBilled);
    fs.copyFileSync(files.pdf, path.join(t.dir, 'r.pdf'));
    requireTools('pdftotext');
    const text = execFileSync('pdftotext', ['-layout', path.join(t.dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Reporte diario de comprobantes — 26/11/2026');
    expect(text).toContain(`S/ ${Number(report.totalBilled).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    expect(text).toContain('Servicio de SUNAT no disponible (0109)');
    expect(text).toContain('Porcentaje de éxito');
  });

  it('the scheduled job fills the days missed while the PC was off, and refreshes a day stored before it ended', async () => {
    const { app, clock } = t;
    clock.set('2026-11-20T04:00:00Z'); // 19th, 23:00 Lima: stored before the day ended
    await generateDueReports(app, '2026-11-19');
    clock.set('2026-11-24T12:00:00Z');
    const ctx = { db: app.db, clock: app.clock, dataDir: app.dataDir, payload: { scheduledFor: '2026-11-24T04:00:00.000Z' } } as unknown as JobContext; // 23rd, 23:00 Lima
    const out = await reportDailyHandler(ctx);
    expect(out).toMatchObject({ type: 'succeeded', result: { days: ['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'] } });
    expect(storedReportDates(t.dir)).toEqual(['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']);
    expect(fs.existsSync(reportFiles(t.dir, '2026-11-21').pdf)).toBe(true);
  });

  it('runs through the real runner when the scheduler catches up a 23:00 run missed while the PC was off', async () => {
    const { app, clock } = t;
    clock.set('2026-11-20T12:00:00Z');
    runDue(app.db, clock.now()); // first start: records the schedule without running
    await generateDueReports(app, '2026-11-20');
    clock.set('2026-11-20T22:00:00Z'); // 17:00 Lima on the 20th: the PC is turned off before 23:00 …
    clock.set('2026-11-23T13:00:00Z'); // … and on again three days later at 08:00 Lima
    const due = runDue(app.db, clock.now());
    expect(due.map((d) => d.kind)).toContain('report.daily');
    const runner = createRunner({
      app, monitor: new NetworkMonitor({ probe: async () => false, onChange: () => {} }),
      handlers: { 'report.daily': reportDailySpec, 'files.archive': filesArchiveSpec }, options: { pollMs: 20, heartbeatMs: 0, lock: false },
    });
    runner.start();
    expect(await runner.idle(10_000)).toBe(true);
    await runner.stop();
    const job = app.db.raw.prepare(`SELECT state, result FROM jobs WHERE kind = 'report.daily'`).get() as { state: string; result: string };
    expect(job.state).toBe('succeeded');
    expect(JSON.parse(job.result)).toEqual({ days: ['2026-11-20', '2026-11-21', '2026-11-22'] });
    expect(storedReportDates(t.dir)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
  });
});
