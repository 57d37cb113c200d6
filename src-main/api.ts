// The main-process side of the contract: one handler per call in src-shared/contract.ts. Every input is validated
// here (zod) and every role check happens here, whatever the UI shows. Transports (IPC, HTTP) only call `invoke`.
import { z } from 'zod';
import { ApiError, BACKGROUND_CALLS, calls, MANAGERS, type CallName, type CallOutput } from '../src-shared/contract';
import { limaDate } from '../src-shared/time';
import { Dec } from '../src-shared/decimal';
import { sunatStatusText } from '../src-shared/documents';
import type { App } from './app';
import { runHooks } from './events';
import type { Job, User } from './db/schema';
import { getUser, userView } from './pos/users';
import { loginWithPin, SessionStore, type Session } from './pos/sessions';
import { findByBarcode, productView, searchProducts } from './pos/catalog';
import { customerView, findCustomer, saveCustomer } from './pos/customers';
import { Approvals, discountLimit } from './pos/discounts';
import { cashMove, closeDrawerOf, closeSession, currentSession, openDrawers, openSession, sessionView, xReport, zReports, zReportToPrint } from './pos/cash';
import { listSales } from './pos/sales';
import { saleDetail } from './pos/sale-detail';
import { findSaleByReceipt, returnableSale } from './pos/returns';
import { listParked, parkCart, recallCart } from './pos/parked';
import { collect, listReceivables } from './pos/receivables';
import { voidProgress, voidSale } from './sunat/batches';
import { getSetting, taxRatesOn } from './db/settings';
import { audit } from './db/audit';
import { getJob, resumeSunat, sunatPause } from './jobs/store';
import { cancelJob, listQueue, queueStats, retryJob, showJob } from './jobs/monitor';
// Store setup and administration
import { adminHandlers } from './admin-api';
import { printerHandlers } from './printer-api';
// end Store setup and administration
// Printing and reports
import { isIsoDate } from '../src-shared/time';
import { printDocument } from './pos/prints';
import { renderReportPdf } from './documents/report-pdf';
import { cashReportFileName, renderCashReportPdf } from './documents/cash-report-pdf';
import { dailyReport } from './reports/daily';
import { escposCashReport, escposDailyReport } from './documents/report-escpos';
import { printableCashReport } from './documents/report-model';
import { printOnThermal, type EscposPrinter } from './documents/escpos-printer';
import { PrinterError } from './documents/printer-transport';
import { openDrawerNoSale, requireThermal } from './pos/drawer';
import type { PrintedReport } from '../src-shared/contract';
// end Printing and reports


export type { Session };

type Ctx = { app: App; api: Api; session: Session; user: User; now: Date };

/**
 * A report's "Imprimir" (issue 17): its ESC/POS bytes to the thermal printer when the terminal has one — a printer
 * that fails is refused with its own words, and what was recorded stays as it was — else its PDF, as before.
 */
async function printReport(
  app: App, what: string, thermal: (printer: EscposPrinter) => Uint8Array, pdf: () => Promise<{ fileName: string; pdf: Buffer }>,
): Promise<PrintedReport> {
  if (!getSetting(app.db, 'escposPrinter')) {
    const p = await pdf();
    return { kind: 'pdf', fileName: p.fileName, pdfBase64: p.pdf.toString('base64') };
  }
  const printer = requireThermal(app.db);
  try {
    await printOnThermal(printer, thermal(printer), 'report');
  } catch (e) {
    if (e instanceof PrinterError) throw new ApiError('rule', `No se imprimió ${what}: ${e.message}`);
    throw e;
  }
  return { kind: 'thermal', printer: printer.label };
}

/** Retry and cancel: one audited change of one job in one transaction; the runner and the screens hear after the commit. */
function changeJob(ctx: Ctx, id: number, action: 'retry' | 'cancel', change: (job: Job) => boolean, refused: string) {
  const { app, user, now } = ctx;
  app.db.tx(() => {
    const job = getJob(app.db, id);
    if (!job) throw new ApiError('not_found', `No existe el trabajo ${id}.`);
    if (!change(job)) throw new ApiError('rule', `El trabajo ${id} ${refused}`);
    audit(app.db, now, user.id, `job.${action}`, 'job', id, { via: 'ui', previousState: job.state });
  });
  app.events.emit('queue.updated', { action, jobId: id });
  app.statusChanged();
  return showJob(app.db, id)!;
}

type Handlers = {
  [K in CallName]: (ctx: K extends 'auth.login' ? Omit<Ctx, 'session' | 'user'> : Ctx, input: z.output<(typeof calls)[K]['input']>) => CallOutput<K> | Promise<CallOutput<K>>;
};

export class Api {
  /** Tokens expire here (pos/sessions.ts): idle past the store's auto-lock time, or 12 h old, on the app's clock. */
  private readonly sessions: SessionStore;
  /** Supervisors' approvals waiting for their sale (pos/discounts.ts). */
  readonly approvals = new Approvals();
  /** The logger learns every session token so a token never reaches a log line. */
  constructor(readonly app: App, private readonly logger?: { addSecret(v: string): void }) {
    this.sessions = new SessionStore(app.db);
  }

  /** Validates, authorizes and runs one call. Throws ApiError only. */
  async invoke(name: string, rawInput: unknown, token: string | undefined): Promise<unknown> {
    if (!Object.hasOwn(calls, name)) throw new ApiError('not_found', `Operación desconocida: ${name}`);
    const def = calls[name as CallName];
    const parsed = def.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new ApiError('invalid_input', issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join(' '), issues);
    }
    const now = this.app.clock.now();
    const handler = handlers[name as CallName] as (ctx: unknown, input: unknown) => unknown;
    if (def.roles === 'public') return handler({ app: this.app, now, api: this }, parsed.data);
    const byPerson = !BACKGROUND_CALLS.has(name as CallName);
    const session = this.sessions.use(token, now, byPerson);
    const user = getUser(this.app.db, session.userId);
    if (!user || !user.active) throw new ApiError('unauthorized', 'Usuario inactivo. Consulte con el administrador.');
    if (!def.roles.includes(user.role)) throw new ApiError('forbidden', 'No tiene permiso para esta operación. Pida ayuda a un supervisor.');
    let out: unknown;
    try {
      out = await handler({ app: this.app, api: this, session, user, now }, parsed.data);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError('internal', 'Ocurrió un error inesperado. La operación no se registró; intente de nuevo o exporte los registros para soporte.');
    }
    if (byPerson) runHooks(this.app.afterCall);
    return out;
  }

  login(user: User): string {
    const { token } = this.sessions.open(user, getSetting(this.app.db, 'terminalId'), this.app.clock.now());
    this.logger?.addSecret(token);
    return token;
  }

  logout(token: string): void {
    this.sessions.end(token);
  }

  /** A secret a call received (the certificate's password, a new SOL password): masked in the logs from now on. */
  addSecret(value: string): void {
    this.logger?.addSecret(value);
  }

  hasSession(token: string | undefined): boolean {
    return this.sessions.valid(token, this.app.clock.now());
  }
}

const handlers: Handlers = {
  // Store setup and administration (src-main/admin-api.ts)
  ...adminHandlers,
  ...printerHandlers,
  // end Store setup and administration
  'auth.login': (ctx, input) => {
    const { app, api, now } = ctx;
    // Wrong PINs are counted and audited there; from the 5th in a row the user waits (the message says how long).
    const user = loginWithPin(app.db, now, input.username, input.pin);
    audit(app.db, now, user.id, 'auth.login', 'user', user.id);
    return { token: api.login(user), user: userView(user) };
  },
  'auth.logout': ({ api, session }) => {
    api.logout(session.token);
    return { ok: true as const };
  },
  'auth.me': ({ user }) => userView(user),
  'app.status': ({ app }) => app.status(),
  'catalog.search': ({ app }, i) => searchProducts(app.db, i.query, i.limit ?? 20).map(productView),
  'catalog.byBarcode': ({ app }, i) => {
    const p = findByBarcode(app.db, i.barcode);
    return p ? productView(p) : null;
  },
  'customers.lookup': ({ app }, i) => {
    const c = findCustomer(app.db, i.docType, i.docNumber);
    return c ? customerView(c) : null;
  },
  'customers.save': ({ app, now }, i) => customerView(saveCustomer(app.db, now, i)),
  'cash.current': ({ app, session, user }) => {
    const s = currentSession(app.db, session.terminalId, user.id);
    return s ? sessionView(app.db, s) : null;
  },
  'cash.open': ({ app, session, user, now }, i) =>
    sessionView(app.db, openSession(app.db, now, session.terminalId, user.id, i.openingFloat, { confirmed: i.confirmed })),
  'cash.move': ({ app, session, user, now }, i) => {
    const { pulse } = cashMove(app.db, now, session.terminalId, user.id, i.kind, i.amount, i.reason);
    // The drawer's pulse was queued on our own connection: data_version does not move, so the runner is told.
    if (pulse) app.events.emit('queue.updated', { action: 'print', jobId: null });
    return { ok: true as const };
  },
  'cash.xReport': ({ app, session, user }) => xReport(app.db, session.terminalId, user.id),
  'cash.close': ({ app, session, user, now }, i) => closeSession(app.db, now, session.terminalId, user.id, i.counted),
  'cash.openDrawers': ({ app, session, user }) => openDrawers(app.db, session.terminalId, user),
  'cash.closeDrawer': ({ app, session, user, now }, i) => closeDrawerOf(app.db, now, session.terminalId, user, i.sessionId, i.counted),
  'cash.xReportPdf': async ({ app, session, user, now }) => {
    const r = xReport(app.db, session.terminalId, user.id);
    const pdf = await renderCashReportPdf(app.db, r, { at: now });
    return { fileName: cashReportFileName(r, now), pdfBase64: pdf.toString('base64') };
  },
  'cash.openDrawer': ({ app, session, user, now }, i) => openDrawerNoSale(app.db, now, session.terminalId, user, i.reason),
  'cash.xReportPrint': async ({ app, session, user, now }) => {
    const r = xReport(app.db, session.terminalId, user.id);
    return printReport(
      app, 'el informe X',
      (printer) => escposCashReport(printableCashReport(r, getSetting(app.db, 'store'), { at: now }), printer.layout),
      async () => ({ fileName: cashReportFileName(r, now), pdf: await renderCashReportPdf(app.db, r, { at: now }) }),
    );
  },
  'cash.zReportPrint': async ({ app, user, now }, i) => {
    if (i.auto && !getSetting(app.db, 'escposPrinter')) return { kind: 'none' as const };
    const r = zReportToPrint(app.db, now, user, i.sessionId, !!i.copy);
    return printReport(
      app, `el informe Z N° ${r.zNumber}`,
      (printer) => escposCashReport(printableCashReport(r, getSetting(app.db, 'store'), { at: now, copy: i.copy }), printer.layout),
      async () => ({ fileName: cashReportFileName(r, now, i.copy), pdf: await renderCashReportPdf(app.db, r, { at: now, copy: i.copy }) }),
    );
  },
  'cash.zReports': ({ app, user }, i) => zReports(app.db, user, i.limit),
  'cash.zReportPdf': async ({ app, user, now }, i) => {
    const r = zReportToPrint(app.db, now, user, i.sessionId, !!i.copy);
    const pdf = await renderCashReportPdf(app.db, r, { at: now, copy: i.copy });
    return { fileName: cashReportFileName(r, now, i.copy), pdfBase64: pdf.toString('base64') };
  },
  'sales.taxRates': ({ app, now }) => {
    const date = limaDate(now);
    return { date, ...taxRatesOn(app.db, date) };
  },
  'sales.discountPolicy': ({ app, user }) => ({ limitPercent: discountLimit(app.db, user.role).toString() }),
  'sales.approve': ({ app, api, user, now }, i) => {
    const { token, approval } = api.approvals.grant(app.db, now, user, i);
    return { token, approverName: approval.approverName, percent: approval.percent.toString() };
  },
  'sales.checkout': ({ app, api, session, user, now }, input) => {
    const r = app.sell(user, session.terminalId, input, api.approvals.find(input.approval, user.id, now));
    api.approvals.spend(input.approval);
    return {
      saleId: r.saleId, number: r.number, documentType: r.documentType, total: r.total.toFixed(2), paid: r.paid.toFixed(2),
      change: r.change.toFixed(2), negativeStock: r.negativeStock, ticketPrinter: r.ticketPrinter,
      credit: r.credit.isZero() ? null : { amount: r.credit.toFixed(2), instalments: input.credit!.instalments.map((c) => ({ amount: Dec.of(c.amount).toFixed(2), dueDate: c.dueDate })) },
      ...signedView(app, r.documentId),
    };
  },
  'sales.return': ({ app, session, user }, input) => {
    const r = app.returnSale(user, session.terminalId, input);
    return {
      noteId: r.noteId, documentId: r.documentId, number: r.number, reference: r.reference, total: r.total.toFixed(2),
      refundMethod: r.refundMethod, refund: r.refund.toFixed(2), debt: r.debt.toFixed(2), adjustment: r.adjustment?.number ?? null, ticketPrinter: r.ticketPrinter,
      ...signedView(app, r.documentId),
    };
  },
  'sales.debitNote': ({ app, session, user }, input) => {
    const r = app.debitNote(user, session.terminalId, input);
    return {
      noteId: r.noteId, documentId: r.documentId, number: r.number, reference: r.reference, total: r.total.toFixed(2),
      chargeMethod: r.chargeMethod, change: r.change.toFixed(2), ticketPrinter: r.ticketPrinter, ...signedView(app, r.documentId),
    };
  },
  'cart.park': ({ app, session, user, now }, i) => parkCart(app.db, now, session.terminalId, user, i),
  'receivables.list': ({ app, now }, i) => listReceivables(app.db, limaDate(now), i.query),
  'receivables.collect': ({ app, session, user, now }, i) => collect(app.db, now, session.terminalId, user, i),
  'cart.parked': ({ app, session }) => listParked(app.db, session.terminalId),
  'cart.recall': ({ app, session }, i) => recallCart(app.db, session.terminalId, i.id),
  'sales.void': ({ app, user }, i) => {
    const sale = app.db.first(app.db.q.selectFrom('sales').select(['id', 'number']).where('id', '=', i.saleId));
    if (!sale) throw new ApiError('not_found', 'La venta no existe.');
    const r = voidSale(app, user.id, sale.number, i.reason);
    // Written on the runner's own connection: tell it (data_version does not move), and the screens.
    app.events.emit('queue.updated', { action: 'void', jobId: r.jobId });
    app.statusChanged();
    return { saleId: sale.id, number: sale.number, batch: r.fileName };
  },
  'sales.voidStatus': ({ app }, i) => voidProgress(app.db, i.saleId),
  'sales.returnable': ({ app, user, now }, i) => {
    const saleId = i.saleId ?? findSaleByReceipt(app.db, i.receipt ?? '');
    if (saleId === null) {
      throw new ApiError('not_found', `No se encontró el comprobante «${i.receipt}». Escriba la serie y el número del ticket (p. ej. B001-12) o escanee su QR.`, [{ path: 'receipt', message: 'Comprobante no encontrado.' }]);
    }
    return returnableSale(app.db, user, saleId, limaDate(now));
  },
  'sales.detail': ({ app, user, now }, i) => saleDetail(app.db, user, i.saleId, now),
  'sales.list': ({ app, session, user, now }, i) =>
    listSales(app.db, {
      date: i.date ?? limaDate(now), terminalId: session.terminalId,
      userId: MANAGERS.includes(user.role) ? undefined : user.id,
    }),
  'queue.stats': ({ app, now }) => queueStats(app.db, app.dataDir, now),
  'queue.list': ({ app }, i) => listQueue(app.db, i.state, i.limit ?? 200),
  'queue.show': ({ app }, i) => {
    const job = showJob(app.db, i.id);
    if (!job) throw new ApiError('not_found', `No existe el trabajo ${i.id}.`);
    return job;
  },
  'queue.retry': (ctx, i) =>
    changeJob(ctx, i.id, 'retry', (job) => retryJob(ctx.app.db, ctx.now, job), 'se está ejecutando o ya terminó bien: no se reintentó.'),
  'queue.cancel': (ctx, i) =>
    changeJob(ctx, i.id, 'cancel', (job) => cancelJob(ctx.app.db, ctx.now, job), 'se está ejecutando o ya terminó: no se canceló (el comprobante no se borra nunca).'),
  'queue.resume': ({ app, user, now }) => {
    const resumed = app.db.tx(() => {
      const paused = sunatPause(app.db);
      if (!paused) return false;
      resumeSunat(app.db);
      audit(app.db, now, user.id, 'sunat.resume', 'settings', 'sunatPaused', { via: 'ui', reason: paused.reason, code: paused.code });
      return true;
    });
    if (resumed) {
      app.events.emit('queue.updated', { action: 'resume', jobId: null });
      app.statusChanged();
    }
    return { resumed };
  },
  // Printing and reports
  'documents.print': async ({ app, user, now }, i) => {
    const p = await printDocument(app, user, i.saleId !== undefined ? { saleId: i.saleId } : { noteId: i.noteId! }, { now, copy: i.copy, format: i.format });
    return { fileName: p.fileName, pdfBase64: p.pdf.toString('base64'), number: p.number, copy: p.copy, reprint: p.reprint, reprintsLeft: p.reprintsLeft };
  },
  'reports.daily': ({ app, now }, i) => dailyReport(app.db, reportDate(i.date), now),
  'reports.dailyPdf': async ({ app, now }, i) => {
    const date = reportDate(i.date);
    const pdf = await renderReportPdf(dailyReport(app.db, date, now));
    return { fileName: `reporte-diario-${date}.pdf`, pdfBase64: pdf.toString('base64') };
  },
  'reports.dailyPrint': async ({ app, now }, i) => {
    const date = reportDate(i.date);
    const r = dailyReport(app.db, date, now);
    return printReport(
      app, 'el reporte diario',
      (printer) => escposDailyReport(r, printer.layout),
      async () => ({ fileName: `reporte-diario-${date}.pdf`, pdf: await renderReportPdf(r) }),
    );
  },
  // end Printing and reports
};

/**
 * A just-issued document as its ticket needs it: the hash and QR stored right after the sale's or return's commit
 * (app.ts afterCommit), and the SUNAT status as the screens word it.
 */
function signedView(app: App, documentId: number) {
  const doc = app.db.first(app.db.q.selectFrom('documents').select(['status', 'qr', 'digest_value', 'simulated']).where('id', '=', documentId));
  const status = doc?.status ?? 'pending';
  return {
    sunatStatus: status, sunatStatusText: sunatStatusText(status, doc?.simulated === 1),
    signed: !!doc?.digest_value, qr: doc?.qr ?? null, digestValue: doc?.digest_value ?? null,
  };
}

// Printing and reports
function reportDate(date: string): string {
  if (!isIsoDate(date)) throw new ApiError('invalid_input', 'Fecha no válida (dd/mm/aaaa).', [{ path: 'date', message: 'Fecha no válida (dd/mm/aaaa).' }]);
  return date;
}

// end Printing and reports
