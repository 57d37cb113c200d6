// The one contract between the POS screen and the main process (DESIGN §1). Every call the renderer can make is an
// entry here: its input schema (validated in the main process), its output type and the roles allowed. Electron's
// IPC, the preload API, the headless HTTP server and the renderer's client are all derived from this list.
import { z } from 'zod';
import { COUNTER_DEBIT_REASONS, DEBIT_TAX_CODES, RETURN_REASONS } from './notes';
import { MAX_INSTALMENTS } from './credit';
import type { ClockConfirmation, ClockObservation } from './clock-trust';
import type { EscposPrinterSetting, PrinterAdminView, PrinterTestView, TicketPrintView } from './printer';

export const ROLES = ['admin', 'supervisor', 'cashier'] as const;
export type Role = (typeof ROLES)[number];
const ALL: readonly Role[] = ROLES;
export const MANAGERS: readonly Role[] = ['admin', 'supervisor'];

const money = z.string().trim().regex(/^\d{1,9}(\.\d{1,2})?$/, 'Importe no válido (use hasta 2 decimales, p. ej. 12.50).');
const quantity = z.string().trim().regex(/^\d{1,7}(\.\d{1,3})?$/, 'Cantidad no válida.');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Fecha no válida (AAAA-MM-DD).');

export const customerInput = z.object({
  docType: z.enum(['0', '1', '4', '6', '7', 'A', '-']),
  docNumber: z.string().trim().max(15),
  name: z.string().trim().min(1, 'Ingrese el nombre o razón social.').max(200),
  address: z.string().trim().max(200).optional(),
});

export const discountInput = z.union([
  z.object({ kind: z.literal('amount'), value: money }),
  z.object({ kind: z.literal('percent'), value: z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, 'Porcentaje no válido.') }),
]);

export const checkoutInput = z.object({
  documentType: z.enum(['01', '03']),
  customer: customerInput.nullish(),
  lines: z
    .array(z.object({
      productId: z.number().int().positive(), quantity, discount: discountInput.nullish(), bags: z.number().int().min(0).max(99).optional(),
      /** A price override (IGV included); the catalog's price when absent. */
      unitPrice: money.optional(),
    }))
    .min(1, 'El carrito está vacío.')
    .max(500),
  /** A discount on the whole sale, spread over its lines (src-shared/sale-lines.ts computePricedSale). */
  globalDiscount: discountInput.nullish(),
  /** A supervisor's approval (`sales.approve`) for discounts above the cashier's limit. */
  approval: z.string().max(80).optional(),
  /**
   * An exchange: the credit note (refunded in cash) whose amount the customer leaves for this sale; the screen pays
   * it as a cash payment referencing the note. One sale per note.
   */
  exchangeNoteId: z.number().int().positive().optional(),
  /** What is paid at the counter now: everything, or on a sale on credit the down payment (possibly nothing). */
  payments: z
    .array(z.object({
      method: z.enum(['cash', 'card', 'yape', 'plin']),
      amount: money,
      tendered: money.optional(),
      reference: z.string().trim().max(60).optional(),
    }))
    .max(10),
  /**
   * A factura on credit (SUNAT's FormaPago "Credito"): the amount left to pay later and its instalments (cuotas),
   * which must add up to it; checked in the main process (src-shared/credit.ts creditTermsError).
   */
  credit: z.object({
    amount: money,
    instalments: z.array(z.object({ amount: money, dueDate: isoDate })).min(1, 'Indique al menos una cuota.').max(MAX_INSTALMENTS, `Hasta ${MAX_INSTALMENTS} cuotas por factura.`),
  }).nullish(),
}).refine((v) => v.payments.length > 0 || !!v.credit, { message: 'Registre al menos un pago.', path: ['payments'] });
export type CheckoutInput = z.infer<typeof checkoutInput>;

/** A payment received later against a sale on credit ("Registrar cobro"); cash enters the caller's drawer. */
export const collectionInput = z.object({
  saleId: z.number().int().positive(),
  amount: money,
  method: z.enum(['cash', 'card', 'yape', 'plin']),
  reference: z.string().trim().max(60).optional(),
});
export type CollectionInput = z.infer<typeof collectionInput>;
/** A factura on credit with what is left to collect, instalment by instalment (collections pay the earliest first). */
export interface ReceivableView {
  saleId: number; number: string; issueDate: string; total: string; credit: string; collected: string; pending: string;
  /** What credit notes (returns) took off the debt; the instalments are lowered by it from the last one backwards. */
  returned: string;
  /** Some instalment is past its due date with something left. */
  overdue: boolean;
  instalments: { number: number; amount: string; dueDate: string; paid: string; pending: string; overdue: boolean }[];
  collections: { at: string; method: 'cash' | 'card' | 'yape' | 'plin'; amount: string; userName: string }[];
}
/** A customer's facturas with something left to collect. */
export interface CustomerReceivables {
  customerId: number | null; docType: string; docNumber: string; name: string; pending: string; overdue: boolean;
  documents: ReceivableView[];
}
export interface CollectionResult { collectionId: number; number: string; amount: string; method: string; pending: string }

export interface DiscountPolicy { limitPercent: string }
export interface ApprovalView { token: string; approverName: string; percent: string }

/** A cart set aside (F5): what the screen needs to put it back — product ids, quantities, customer, document type. */
export const parkedCartInput = z.object({
  documentType: z.enum(['01', '03']),
  customer: customerInput.nullish(),
  lines: z
    .array(z.object({ productId: z.number().int().positive(), quantity, discount: discountInput.nullish(), unitPrice: money.optional() }))
    .min(1, 'El carrito está vacío: no hay nada que poner en espera.')
    .max(500),
  globalDiscount: discountInput.nullish(),
  label: z.string().trim().max(60).optional(),
});
export type ParkedCartInput = z.infer<typeof parkedCartInput>;
export interface ParkedCartRow { id: number; label: string; items: string; total: string; userName: string; createdAt: string }
/** A recalled cart: its lines with today's products (a product deactivated since is left out and named). */
export interface RecalledCart {
  documentType: '01' | '03'; customer: ParkedCartInput['customer'];
  lines: { product: ProductView; quantity: string; discount: ParkedCartInput['lines'][number]['discount']; unitPrice?: string }[];
  globalDiscount: ParkedCartInput['globalDiscount'];
  missing: string[];
}

/**
 * A return at the counter (issue 15): lines of one sale by their number on the ticket (1, 2, …) and how many come
 * back, the catalog 09 reason, and how the money goes back ('original': the way the sale was paid, its largest
 * payment when it was split). Issues a credit note on the sale's boleta or factura.
 */
export const returnInput = z.object({
  saleId: z.number().int().positive(),
  lines: z
    .array(z.object({ lineNo: z.number().int().positive(), quantity }))
    .min(1, 'Elija al menos una línea a devolver.')
    .max(500),
  reasonCode: z.enum(RETURN_REASONS, { message: 'Motivo no válido (catálogo 09: 07 devolución por ítem, 06 devolución total, 01 anulación de la operación).' }),
  reason: z.string().trim().max(200).optional(),
  refund: z.enum(['cash', 'original']),
});
export type ReturnInput = z.infer<typeof returnInput>;

/**
 * A debit note (08) on a sale's boleta or factura (issue 15), issued by a supervisor or an admin: the catalog 10 reason,
 * what it is for (SUNAT's "sustento"; the reason's own words when left empty), the amount the customer pays (IGV
 * included when gravado), how it is taxed, and how the customer pays it now at the counter — it is a charge, taken
 * like a sale's payment (`tendered`: the cash handed over, for the change).
 */
export const debitNoteInput = z.object({
  saleId: z.number().int().positive(),
  reasonCode: z.enum(COUNTER_DEBIT_REASONS, { message: 'Elija el motivo (catálogo 10: 01 intereses por mora, 02 aumento en el valor, 03 penalidades / otros conceptos).' }),
  description: z.string().trim().max(200, 'La descripción admite hasta 200 caracteres.').optional(),
  amount: money,
  taxAffectation: z.enum(DEBIT_TAX_CODES, { message: 'Afectación no válida (10 gravado, 20 exonerado, 30 inafecto).' }),
  payment: z.object({
    method: z.enum(['cash', 'card', 'yape', 'plin']),
    tendered: money.optional(),
    reference: z.string().trim().max(60).optional(),
  }),
});
export type DebitNoteInput = z.infer<typeof debitNoteInput>;

export interface UserView { id: number; username: string; name: string; role: Role }
export interface ProductView {
  id: number; sku: string; barcode: string | null; name: string; unitCode: string; price: string;
  taxAffectation: string; stock: string; isBag: boolean;
}
export interface CustomerView { id: number; docType: string; docNumber: string; name: string; address: string | null }
export interface CashSessionView {
  id: number; terminalId: string; userName: string; openedAt: string; openingFloat: string;
  closedAt: string | null; zNumber: number | null;
  /** The cashier's own drawer ("Un cajón por cajero"); false: the terminal's shared drawer. */
  own: boolean;
}
/** A paid-in ('in') or paid-out ('out') of a session, with its reason. */
export interface CashMoveView { kind: 'in' | 'out'; amount: string; reason: string; at: string; userName: string }
export interface CashReport {
  kind: 'X' | 'Z'; sessionId: number; zNumber: number | null; openedAt: string; closedAt: string | null;
  /** The terminal; the cashier whose own drawer it is (null: the shared drawer); who opened and who closed it. */
  terminalId: string; cashier: string | null; openedBy: string; closedBy: string | null;
  /** A cashier's own drawer closed by a supervisor or an admin instead of its cashier: that cashier; else null. */
  onBehalfOf: string | null;
  openingFloat: string; salesCount: number; salesTotal: string;
  /** Sales by payment method; a sale on credit adds what was left to pay later as 'credit' (never cash). */
  byMethod: { method: string; total: string }[]; cashIn: string; cashOut: string;
  /** Payments collected in this session for sales on credit (the cash ones are also among the paid-ins). */
  collections?: { count: number; total: string; cash: string };
  /** Every paid-in and paid-out with its reason. */
  moves: CashMoveView[];
  /** Returns (credit notes) refunded in this session: how many, their total, and the part paid out of the drawer. */
  refundsCount: number; refundsTotal: string; refundsCash: string;
  /** Debit notes charged in this session: how many, their total, and the part paid into the drawer in cash. */
  debitNotesCount: number; debitNotesTotal: string; debitNotesCash: string;
  /**
   * How many times the till opened the drawer by itself in this session (issue 17): "Abrir cajón" without a sale, and
   * the pulses after paid-ins / paid-outs. Absent from a Z kept before they were counted.
   */
  drawerOpenings?: { noSale: number; moves: number };
  expectedCash: string; counted: string | null; difference: string | null;
}
/** A closed session in the Z history: who, when, counted against expected. */
export interface ZReportRow {
  sessionId: number; zNumber: number; terminalId: string; cashier: string | null; openedBy: string; closedBy: string;
  /** Closed by a manager instead of the drawer's cashier: that cashier (CashReport.onBehalfOf). */
  onBehalfOf: string | null;
  openedAt: string; closedAt: string; expected: string; counted: string; difference: string;
}
/** A drawer still open on this terminal, as a manager sees it to close it (Caja → Cajas abiertas). */
export interface OpenDrawerView {
  sessionId: number;
  /** The cashier whose own drawer it is; null: the terminal's shared drawer. */
  cashier: string | null;
  openedBy: string; openedAt: string; openingFloat: string;
  /** The drawer this manager works with now (their own, or the shared one they use). */
  mine: boolean;
}
export interface CheckoutResult {
  saleId: number; number: string; documentType: '01' | '03'; total: string; paid: string; change: string;
  /** A sale on credit: what is left to pay and its instalments (null when paid at the counter). */
  credit: { amount: string; instalments: { amount: string; dueDate: string }[] } | null;
  sunatStatus: string; negativeStock: boolean; signed: boolean; qr: string | null; digestValue: string | null;
  /** The status as the screens show it ("Aceptado por el simulador (sin validez)" for a simulated acceptance). */
  sunatStatusText: string;
  /** The thermal printer the ticket is being printed on by the runner (`print.ticket`); null: none, the PDF path. */
  ticketPrinter?: string | null;
}
/** A sale as the return dialog shows it: each line with what was sold and what is left to return. */
export interface ReturnableSale {
  saleId: number; number: string; documentType: '01' | '03'; issuedAt: string; customer: string; total: string;
  /** How the sale was paid (its largest payment): where "medio original" sends the money back. */
  paidWith: 'cash' | 'card' | 'yape' | 'plin';
  sunatStatus: string;
  /** The status as the screens show it ("… por el simulador (sin validez)" for a simulated acceptance). */
  sunatStatusText: string;
  lines: { lineNo: number; description: string; unitCode: string; sold: string; left: string; unitPrice: string; amount: string; bag: boolean }[];
  /** Credit notes already issued on it. */
  notes: { number: string; total: string }[];
  /** A sale on credit: what the customer still owes (a return takes it off first, then gives money back); null otherwise. */
  owed: string | null;
  /** Whether a manager could void it instead (sales.void's own checks): the dialog offers it for a whole factura. */
  voidability: SaleVoidability;
  /** The user asking may void sales (sales.void's roles: supervisors and admins). */
  canVoid: boolean;
}
/** Whether a sale can be voided today; `reason` says why not, `until` is the last day SUNAT takes its void. */
export interface SaleVoidability { voidable: boolean; reason: string | null; until: string | null }
export interface VoidResult { saleId: number; number: string; batch: string }
export interface VoidStatus { documentStatus: string; batch: { fileName: string; status: string; lastError: string | null } | null }
export interface ReturnResult {
  noteId: number; documentId: number; number: string; reference: string; total: string;
  refundMethod: 'cash' | 'card' | 'yape' | 'plin';
  /** What went back as money; `debt`: what was taken off what the customer owed (a sale on credit; else "0.00"). */
  refund: string; debt: string;
  /** The credit note of code 13 that restates the lowered instalments to SUNAT (FC01-…), when one was issued. */
  adjustment: string | null;
  /** The thermal printer its ticket went to by itself (the `print.ticket` job), or null: printed as a PDF on request. */
  ticketPrinter: string | null;
  sunatStatus: string; sunatStatusText: string; signed: boolean; qr: string | null; digestValue: string | null;
}
export interface DebitNoteResult {
  noteId: number; documentId: number; number: string; reference: string; total: string;
  chargeMethod: 'cash' | 'card' | 'yape' | 'plin'; change: string;
  /** As in ReturnResult. */
  ticketPrinter: string | null;
  sunatStatus: string; sunatStatusText: string; signed: boolean; qr: string | null; digestValue: string | null;
}
/**
 * A sale as its detail shows it (Ventas del día → Enter): lines, payments, customer, its document and SUNAT's answer,
 * the documents issued on it (credit notes, the void's batch), a timeline, and what the next print would be.
 */
export interface SaleDetail {
  saleId: number; number: string; documentType: '01' | '03'; issuedAt: string; cashier: string; terminalId: string;
  /** 'cancelled' once voided (the goods came back). */
  status: 'completed' | 'cancelled';
  customer: { docType: string; docLabel: string; docNumber: string; name: string; address: string | null };
  lines: {
    lineNo: number; description: string; quantity: string; unitCode: string; unitPrice: string; discount: string; total: string;
    /** Taken back by credit notes so far ("0" when none). */
    returned: string;
  }[];
  totals: { gravado: string; exonerado: string; inafecto: string; gratuito: string; igv: string; icbper: string; discount: string; total: string; paid: string; change: string };
  payments: { method: 'cash' | 'card' | 'yape' | 'plin'; label: string; amount: string; tendered: string | null; reference: string | null }[];
  document: {
    fileName: string; status: string; statusText: string; simulated: boolean;
    /** SUNAT's answer as its CDR says it: "0 — La Boleta numero B001-1, ha sido aceptada"; null before one. */
    cdrText: string | null;
    /** The CDR's observations ("4287 — …"). */
    cdrNotes: string[];
    lastError: string | null; digestValue: string | null; signedAt: string | null; acceptedAt: string | null;
  } | null;
  /**
   * Credit (07) and debit (08) notes issued on it, oldest first; `settlement` says how the money moved ("Devuelto
   * S/ 12.50 en efectivo", "Cobrado S/ 15.50 en efectivo").
   */
  notes: {
    noteId: number; documentType: '07' | '08'; number: string; reasonCode: string; reasonLabel: string; reason: string; total: string;
    issuedAt: string; status: string; statusText: string; cdrText: string | null; settlement: string;
  }[];
  /** The batch that voids it (an RA for a factura, an RC with condition 3 for a boleta), when it was voided. */
  voiding: { fileName: string; kind: 'RA' | 'RC'; status: string; statusText: string; requestedAt: string | null; requestedBy: string | null; reason: string | null; acceptedAt: string | null; lastError: string | null } | null;
  /** Oldest first: sold, signed, sent, accepted (or rejected, voided), notes, prints; `at` is an ISO instant. */
  timeline: { at: string; event: string; text: string; detail: string | null }[];
  /** What R would print for the user asking: the original or a COPIA, the reprints left, or why not. */
  print: { copy: boolean; prints: number; reprintsLeft: number | null; maxReprints: number; refusal: string | null };
  /** A factura has an A4 representation for the customer's files. */
  a4: boolean;
}
/** A document printed through the contract: the PDF, and what the print was (the audit says the same). */
export interface PrintedDocumentView extends PrintedPdf {
  number: string; copy: boolean; reprint: boolean;
  /** Reprints a cashier has left of it; null for supervisors and admins. */
  reprintsLeft: number | null;
}
/** Rates in force on `date` (a Lima date, AAAA-MM-DD); they can change by date (settings' taxRateChanges). */
export interface TaxRatesView { date: string; igv: string; icbper: string }
export interface SaleRow {
  /** A sale (its boleta or factura) or a note on one (documentType 07 credit, 08 debit); `id` is the sale's or the note's. */
  kind: 'sale' | 'note';
  id: number; number: string; documentType: string; series: string; correlative: number; issuedAt: string;
  total: string; customer: string; status: string; sunatStatus: string; cashier: string;
  /** Who issued it (the original is theirs to print for 15 minutes). */
  userId: number;
  /** For a note: the number of the document it corrects, and the sale's id. */
  reference: string | null; saleId: number;
  /** The status as the screens show it, saying "simulador" when the simulator accepted it. */
  sunatStatusText: string;
}
export interface AppStatus {
  online: boolean; pending: number; failing: number; demoMode: boolean; terminalId: string;
  storeName: string; sunatPaused: string | null;
  /** Where documents go: "simulador SUNAT (modo demo)", "SUNAT beta (pruebas)", "SUNAT producción", an OSE. */
  sunatTarget: string;
  /** Shown to everyone: the certificate expired, expires within 30 days, or is missing while sending to SUNAT. */
  certificateWarning: string | null;
  /** The POS locks after this many minutes without a key or a click (0 = never); the same cashier unlocks with the PIN. */
  autoLockMinutes: number;
  /** The PC's clock against SUNAT's (issue 17): a warning past 5 minutes, 'block' when no receipt can be issued. */
  clock: { level: 'warn' | 'block'; message: string } | null;
  /**
   * The hub this till is enrolled in (its URL), or null (issue 16): it owns products, users and the store's settings,
   * so the admin screens show them read-only.
   */
  hubUrl: string | null;
  /**
   * For the status bar of an enrolled till (null: not enrolled): its name on the hub, whether its last try to reach
   * the hub failed (the hub down or the network: the till keeps selling and uploads later) and what is left to upload.
   */
  hub: { terminalName: string; unreachable: boolean; backlog: number } | null;
}

export interface ClockView {
  /** The PC's clock now (ISO) and, when measured, the trusted time now by the kept offset. */
  pcTime: string;
  trustedTime: string | null;
  observation: ClockObservation | null;
  confirmation: ClockConfirmation | null;
  level: 'ok' | 'warn' | 'block';
  message: string | null;
  /** The services run here, so "Comprobar ahora" can ask SUNAT or the OSE (the simulator is never a trusted time). */
  canMeasure: boolean;
}

/** The job runner's states (DESIGN §4); mirrors the jobs table's CHECK list. */
export const JOB_STATES = ['queued', 'running', 'waiting_network', 'retrying', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStateName = (typeof JOB_STATES)[number];
/** States a job can still leave by itself (the queue's backlog). */
export const ACTIVE_JOB_STATES: readonly JobStateName[] = ['queued', 'running', 'waiting_network', 'retrying'];

export interface QueueJob {
  id: number; kind: string; state: JobStateName; attempts: number; maxAttempts: number; priority: number;
  /** The document's file name (RUC-TT-SERIE-NUMERO) and number, when the job is about one. */
  fileName: string | null; documentNumber: string | null; saleNumber: string | null; documentStatus: string | null;
  /** SUNAT's code when the error or the CDR carries one, and the error in Spanish (SUNAT's catalog text for codes). */
  sunatCode: string | null; error: string | null;
  runAt: string; updatedAt: string; createdAt: string; finishedAt: string | null;
  /** How many times it ran (its history's length); `attempts` counts only the runs spent against `maxAttempts`. */
  runCount: number;
  /** Why it cannot be cancelled (it carries an issued document), in Spanish; null when it can. */
  cancelRefusal: string | null;
}
export interface QueueRun {
  id: number; attempt: number; startedAt: string; finishedAt: string | null; outcome: string | null; error: string | null;
  /** False when the run gave its attempt back (no network, queue paused, no certificate yet). */
  counted: boolean;
}
export interface QueueJobDetail extends QueueJob { runs: QueueRun[]; idempotencyKey: string | null; result: unknown }
export interface QueueStats {
  counts: Record<JobStateName, number>;
  running: QueueJob[];
  sunatPaused: { reason: string; code: string | null; at: string } | null;
  scheduled: { name: string; kind: string; cron: string; lastRun: string | null; nextRun: string | null }[];
  /** The runner holding the data directory's lock (this app or a `worker`); null when none runs. */
  runner: { pid: number; startedAt: string | null; uptimeS: number | null } | null;
}

// Printing and reports
/** A PDF through the contract (JSON-safe): the document's or report's file name and the bytes in base64. */
export interface PrintedPdf { fileName: string; pdfBase64: string }
/**
 * A report's "Imprimir": printed on the terminal's thermal printer when one is set (`printer`: how it is named), else
 * its PDF for the system printer as before; `none`: an automatic print (the Z after a close) with no thermal printer.
 */
export type PrintedReport = { kind: 'thermal'; printer: string } | ({ kind: 'pdf' } & PrintedPdf) | { kind: 'none' };
/** Why the drawer is opened without a sale: the screen offers these, or "Otro: …" with the reason typed. */
export const DRAWER_REASONS = ['Cambio de billetes', 'Error de cobro', 'Entrega a supervisor'] as const;
/** What the Reports screen shows of the main process's DailyReport (src-main/reports/daily.ts); a structural subset. */
export interface DailyReportView {
  date: string; generatedAt: string;
  issued: number; accepted: number; observed: number; rejected: number; error: number; pending: number; voided: number;
  /** Of the accepted and observed, those the SUNAT simulator answered (demo mode: no validity). */
  acceptedBySimulator: number;
  /** (accepted + observed) / issued × 100; null when nothing was issued. */
  successRate: number | null;
  totalBilled: string; salesCount: number;
  /** Credit notes of the day (returns), debit notes (charges), and the net after them. */
  creditNotes: { count: number; total: string }; debitNotes: { count: number; total: string }; netBilled: string;
  byDocumentType: Record<string, { label: string; issued: number; sales: number; total: string }>;
  byPaymentMethod: Record<string, { label: string; count: number; total: string }>;
  byCashier: { userId: number; name: string; count: number; total: string }[];
  cashSessions: {
    id: number; terminalId: string; cashier: string; openedAt: string; closedAt: string | null; zNumber: number | null;
    expected: string | null; counted: string | null; difference: string | null;
  }[];
  notAccepted: { documentId: number; number: string; documentType: string; status: string; issueDate: string; lastError: string | null; cdrCode: string | null; cdrDescription: string | null }[];
  notAcceptedCount: number;
}
// end Printing and reports

// Store setup and administration
export const SUNAT_MODES = ['demo', 'beta', 'production', 'custom'] as const;
/** shared: one drawer per terminal (one cash session, whoever sells); perCashier: each cashier's own drawer. */
export const CASH_DRAWER_MODES = ['shared', 'perCashier'] as const;
export type CashDrawerMode = (typeof CASH_DRAWER_MODES)[number];
export type SunatModeName = (typeof SUNAT_MODES)[number];
/** What the admin screen reads of the settings (src-main/db/settings-change.ts SettingsView); the SOL password never. */
export interface AdminSettingsView {
  store: { ruc: string; legalName: string; tradeName: string; address: string; ubigeo: string; establishmentCode: string };
  terminalId: string;
  series: { boleta: string | null; factura: string | null };
  sunat: { mode: SunatModeName; customUrl: string; solUser: string; hasPassword: boolean };
  printer: { name: string; paperWidth: 80 | 58; escpos: EscposPrinterSetting | null };
  igvRate: string; icbperRate: string; backupRetentionDays: number; cashierDiscountLimitPercent: string; supervisorDiscountLimitPercent: string; demoMode: boolean;
  /** Opening a drawer with more than this (soles) asks the cashier to confirm the amount. */
  openingFloatConfirmAbove: string;
  /** Minutes without use before the POS locks (0 = never). */
  autoLockMinutes: number;
  /** Administración → Caja: a shared drawer per terminal or one per cashier. */
  cashDrawerMode: CashDrawerMode;
  /** Reprints of one document a cashier may make; beyond them a supervisor or an admin reprints. */
  maxReprints: number;
  /** Rate changes with their start dates (those already in force are history); the rates in force on `today` (Lima). */
  taxRateChanges: { tax: 'igv' | 'icbper'; rate: string; from: string }[];
  today: string;
  ratesToday: { igv: string; icbper: string };
  /** The periodic jobs by name (DEFAULT_SCHEDULE); nextRun and lastRun are ISO instants, nextRun null when off. */
  schedule: Record<string, { kind: string; cron: string; enabled: boolean; nextRun: string | null; lastRun: string | null }>;
  logRetentionDays: number; archiveMonths: number;
}
/** The store's certificate as the admin screen shows it (no key, no password); dates dd/mm/aaaa. */
export interface CertificateView {
  subject: string; issuer: string; ruc: string | null; serialNumber: string; validFrom: string; validTo: string;
  notAfter: string; daysLeft: number; expired: boolean; selfSigned: boolean;
  /** RUC of another company, expiry within 30 days, a self-signed certificate for production. */
  warnings: string[];
}
export interface AdminCustomerView extends CustomerView { email: string | null; createdAt: string }
export interface AdminProductView {
  id: number; sku: string; barcode: string | null; name: string; price: string; taxAffectation: string; unitCode: string;
  stock: string; active: boolean; isBag: boolean;
}
export interface AdminUserView extends UserView {
  active: boolean;
  /** Wrong PINs in a row, and until when the next try is refused (ISO; null when the user may try now). */
  failedPins: number; lockedUntil: string | null;
}
export interface CsvProductFields {
  sku: string; barcode: string | null; name: string; price: string; taxAffectation: string; unitCode: string; stock: string; active: boolean;
}
export interface CsvPreviewView {
  rows: { line: number; action: 'create' | 'update'; id?: number; product: CsvProductFields }[];
  errors: CsvRowErrorView[];
  fileError?: string;
}
/** A skipped row: its line, its product's code and barcode as the file has them, the column at fault ('' = the row). */
export interface CsvRowErrorView { line: number; column: string; message: string; sku: string; barcode: string | null }
export interface CsvImportView { created: number; updated: number; errors: CsvRowErrorView[] }
/** A copy in <data>/backups (src-main/db/backup.ts listBackups); `quick` is a cheap look, not the full check. */
export interface BackupView {
  name: string; kind: 'daily' | 'manual' | 'other'; takenAt: string; size: number;
  quick: { ok: boolean; schemaVersion: number; lastSaleAt: string | null; problem?: string };
}
/** After a restore every session has ended: the screens go back to the login. */
export interface RestoreView { restoredFrom: string; takenAt: string; replacedFile: string | null }
const adminStr = (max: number) => z.string().max(max, `Hasta ${max} caracteres.`);
const csvText = z.object({ text: z.string().max(20_000_000, 'El archivo es demasiado grande (máximo 20 MB).') });
const userId = z.object({ id: z.number().int().positive() });
// Days and months are checked in the main process (whole, in range); here only that a number came.
const wholeNumber = z.number({ error: 'Escriba un número entero.' });
const taxRateInput = z.object({ rate: adminStr(10), from: adminStr(10).optional() }).strict();
export const setupOwnInput = z.object({
  ruc: adminStr(11), legalName: adminStr(200), tradeName: adminStr(100), address: adminStr(200), ubigeo: adminStr(6),
  establishmentCode: adminStr(4), terminalId: adminStr(20), boletaSeries: adminStr(4), facturaSeries: adminStr(4),
  admin: z.object({ username: adminStr(30), name: adminStr(80), pin: adminStr(8) }),
  sunatMode: z.enum(SUNAT_MODES),
  sunatCustomUrl: adminStr(300).optional(), solUser: adminStr(8).optional(), solPassword: adminStr(50).optional(),
});
export const settingsPatchInput = z.object({
  store: z.object({
    ruc: adminStr(11), legalName: adminStr(200), tradeName: adminStr(100), address: adminStr(200), ubigeo: adminStr(6), establishmentCode: adminStr(4),
  }).partial().optional(),
  terminalId: adminStr(20).optional(),
  series: z.object({ boleta: adminStr(4).optional(), factura: adminStr(4).optional() }).optional(),
  sunat: z.object({ mode: z.enum(SUNAT_MODES).optional(), customUrl: adminStr(300).optional(), solUser: adminStr(8).optional(), solPassword: adminStr(50).optional() }).optional(),
  printer: z.object({
    name: adminStr(200).optional(), paperWidth: z.union([z.literal(80), z.literal(58)]).optional(),
    escpos: z.object({ uri: adminStr(300), codePage: z.enum(['pc850', 'wpc1252']), qr: z.enum(['native', 'raster']), cut: z.enum(['full', 'partial']) }).strict().nullable().optional(),
  }).optional(),
  backupRetentionDays: wholeNumber.optional(),
  cashierDiscountLimitPercent: adminStr(6).optional(),
  supervisorDiscountLimitPercent: adminStr(6).optional(),
  openingFloatConfirmAbove: adminStr(15).optional(),
  autoLockMinutes: wholeNumber.optional(),
  cashDrawerMode: z.enum(CASH_DRAWER_MODES).optional(),
  maxReprints: wholeNumber.optional(),
  igvRate: taxRateInput.optional(),
  icbperRate: taxRateInput.optional(),
  cancelTaxRateChange: z.object({ tax: z.enum(['igv', 'icbper']), from: adminStr(10) }).strict().optional(),
  schedule: z.record(adminStr(40), z.object({ cron: adminStr(100).optional(), enabled: z.boolean().optional() }).strict()).optional(),
  logRetentionDays: wholeNumber.optional(),
  archiveMonths: wholeNumber.optional(),
}).strict();
export const certImportInput = z.object({
  /** The .pfx/.p12 file in base64 (a real one is a few KB). */
  pfxBase64: z.string().min(1, 'Elija el archivo .pfx o .p12 del certificado.').max(600_000, 'El archivo es demasiado grande para ser un certificado .pfx.'),
  password: z.string().max(200, 'La contraseña es demasiado larga.'),
  /** The admin confirms the store's RUC is changing: only then is a certificate of another RUC imported. */
  confirmRucChange: z.boolean().optional(),
}).strict();
export const customerUpdateInput = z.object({
  id: z.number().int().positive(),
  docType: customerInput.shape.docType.optional(), docNumber: adminStr(15).optional(), name: adminStr(200).optional(), address: adminStr(200).nullish(),
}).strict();
export const productSaveInput = z.object({
  id: z.number().int().positive().optional(),
  sku: adminStr(30), barcode: adminStr(30).nullish(), name: adminStr(200), price: adminStr(12), taxAffectation: adminStr(2),
  unitCode: adminStr(3), stock: adminStr(14), isBag: z.boolean().optional(),
});
/** Administración → Central: this till's enrolment in the head-office hub (issue 16) and its upload backlog. */
export interface HubStatusView {
  enrolled: boolean;
  url: string | null;
  terminalName: string | null;
  store: { ruc: string; establishment: string; name: string } | null;
  /** The series this till issues from (the hub allocated them), by document type ('03', '01', '07-03'…). */
  series: { documentType: string; series: string; nextNumber: number }[];
  /** Changes not yet applied by the hub (outbox rows). */
  backlog: number;
  lastPushAt: string | null;
  lastPullAt: string | null;
  lastError: string | null;
}
/** admin.hubJoin's answer: the status, and what the enrolment brought to the hub and took from it (labels.ts hubJoinNotices). */
export interface HubJoinView extends HubStatusView {
  notices: string[];
}
export const hubJoinInput = z.object({
  url: z.string().trim().min(1, 'Escriba la dirección de la central (p. ej. http://192.168.1.10:8443).').max(300),
  code: z.string().trim().min(6, 'Escriba el código de inscripción que muestra la central.').max(40),
}).strict();
// end Store setup and administration

type Call<I extends z.ZodType, O> = { input: I; roles: readonly Role[] | 'public'; output?: O };
function call<O>() {
  return <I extends z.ZodType>(input: I, roles: readonly Role[] | 'public'): Call<I, O> => ({ input, roles });
}
const none = z.object({}).strict();
const printWhich = z.object({ saleId: z.number().int().positive().optional(), noteId: z.number().int().positive().optional() })
  .refine((v) => (v.saleId === undefined) !== (v.noteId === undefined), { message: 'Indique la venta o la nota a imprimir.', path: ['saleId'] });
const printerTestInput = z.object({
  uri: z.string().max(300), codePage: z.enum(['pc850', 'wpc1252']), qr: z.enum(['native', 'raster']), cut: z.enum(['full', 'partial']),
  paperWidth: z.union([z.literal(80), z.literal(58)]),
}).strict();

export const calls = {
  'auth.login': call<{ token: string; user: UserView }>()(
    z.object({ username: z.string().trim().min(1, 'Ingrese su usuario.'), pin: z.string().regex(/^\d{4,8}$/, 'El PIN tiene de 4 a 8 dígitos.') }),
    'public',
  ),
  'auth.logout': call<{ ok: true }>()(none, ALL),
  'auth.me': call<UserView>()(none, ALL),
  'app.status': call<AppStatus>()(none, ALL),
  'catalog.search': call<ProductView[]>()(z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(100).optional() }), ALL),
  'catalog.byBarcode': call<ProductView | null>()(z.object({ barcode: z.string().trim().min(1).max(50) }), ALL),
  'customers.lookup': call<CustomerView | null>()(z.object({ docType: customerInput.shape.docType, docNumber: z.string().trim().max(15) }), ALL),
  'customers.save': call<CustomerView>()(customerInput, ALL),
  'cash.current': call<CashSessionView | null>()(none, ALL),
  /** `confirmed`: the cashier confirmed a float above the store's `openingFloatConfirmAbove` (refused otherwise). */
  'cash.open': call<CashSessionView>()(z.object({ openingFloat: money, confirmed: z.boolean().optional() }), ALL),
  'cash.move': call<{ ok: true }>()(z.object({ kind: z.enum(['in', 'out']), amount: money, reason: z.string().trim().min(3, 'Indique el motivo.').max(200) }), ALL),
  'cash.xReport': call<CashReport>()(none, ALL),
  'cash.close': call<CashReport>()(z.object({ counted: money }), ALL),
  /** The drawers open on this terminal, and a manager's close of one of them (a cashier gone home without closing). */
  'cash.openDrawers': call<OpenDrawerView[]>()(none, MANAGERS),
  'cash.closeDrawer': call<CashReport>()(z.object({ sessionId: z.number().int().positive(), counted: money }), MANAGERS),
  /** The X report of the caller's drawer as a ticket-width PDF, for the ticket printer. */
  'cash.xReportPdf': call<PrintedPdf>()(none, ALL),
  /**
   * "Abrir cajón" without a sale (issue 17): supervisors and admins, with a reason; the pulse goes to the thermal
   * printer at once. Recorded in the caller's drawer session (counted on its X and Z) and audited; refused with the
   * printer's own words when the pulse does not get through (then it is not counted).
   */
  'cash.openDrawer': call<{ printer: string }>()(z.object({ reason: z.string().trim().min(3, 'Indique el motivo para abrir el cajón.').max(200) }).strict(), MANAGERS),
  /** The X report printed: on the thermal printer when one is set, else its PDF. */
  'cash.xReportPrint': call<PrintedReport>()(none, ALL),
  /**
   * A kept Z printed like `cash.zReportPdf` (who may, audited): on the thermal printer when one is set, else its PDF.
   * `auto`: the print right after closing — without a thermal printer nothing is printed nor audited (`none`).
   */
  'cash.zReportPrint': call<PrintedReport>()(z.object({ sessionId: z.number().int().positive(), copy: z.boolean().optional(), auto: z.boolean().optional() }).strict(), ALL),
  /** Closed sessions, newest first: a cashier gets those they opened or closed; supervisors and admins all. */
  'cash.zReports': call<ZReportRow[]>()(z.object({ limit: z.number().int().min(1).max(500).optional() }), ALL),
  /** A kept Z report as a ticket-width PDF, as it was at closing; `copy` prints "COPIA" (a reprint). Audited. */
  'cash.zReportPdf': call<PrintedPdf>()(z.object({ sessionId: z.number().int().positive(), copy: z.boolean().optional() }), ALL),
  'sales.checkout': call<CheckoutResult>()(checkoutInput, ALL),
  /** How far below the catalog the signed-in user may sell without an approval (percent). */
  'sales.discountPolicy': call<DiscountPolicy>()(none, ALL),
  /**
   * A supervisor or admin approves, with their own user and PIN, a discount or price up to `percent` below the catalog
   * for the cart on this screen; the answer's token goes with the checkout (once; it lapses after 30 minutes).
   */
  'sales.approve': call<ApprovalView>()(z.object({
    username: z.string().trim().min(1, 'Ingrese el usuario del supervisor.'),
    pin: z.string().regex(/^\d{4,8}$/, 'El PIN tiene de 4 a 8 dígitos.'),
    reason: z.string().trim().min(3, 'Indique el motivo del descuento.').max(200),
    percent: z.string().regex(/^\d{1,3}(\.\d{1,4})?$/),
  }), ALL),
  /** A cashier returns only their own sales; supervisors and admins any of the terminal's. */
  'sales.return': call<ReturnResult>()(returnInput, ALL),
  /** Supervisors and admins: a debit note on a sale, charged at the counter now (pos/debit-notes.ts). */
  'sales.debitNote': call<DebitNoteResult>()(debitNoteInput, MANAGERS),
  /** Parked sales of this terminal (they survive a restart): park the cart, list, recall (which removes it). */
  'cart.park': call<ParkedCartRow>()(parkedCartInput, ALL),
  'cart.parked': call<ParkedCartRow[]>()(none, ALL),
  'cart.recall': call<RecalledCart>()(z.object({ id: z.number().int().positive() }), ALL),
  /**
   * A manager voids an accepted sale within SUNAT's window (an RA for a factura, an RC with condition 3 for a boleta):
   * the sale is cancelled and its goods come back at once; the document turns voided when SUNAT accepts the batch.
   */
  'sales.void': call<VoidResult>()(z.object({ saleId: z.number().int().positive(), reason: z.string().trim().min(3, 'Indique el motivo de la baja.').max(100) }), MANAGERS),
  /** Where a void stands, for the screen that follows it until SUNAT confirms. */
  'sales.voidStatus': call<VoidStatus>()(z.object({ saleId: z.number().int().positive() }), MANAGERS),
  /**
   * The sale to return from: by id (the sales list), or as the cashier types the receipt's number ("B001-12",
   * "B001-00000012") or scans the ticket's QR (RUC|TIPO|SERIE|NUMERO|…).
   */
  'sales.returnable': call<ReturnableSale>()(
    z.object({ saleId: z.number().int().positive().optional(), receipt: z.string().trim().max(300).optional() })
      .refine((v) => (v.saleId === undefined) !== (v.receipt === undefined || v.receipt === ''), { message: 'Escriba el número del comprobante o escanee el QR del ticket.', path: ['receipt'] }),
    ALL,
  ),
  /** The IGV and ICBPER rates in force today (Lima): the cart computes its total with them, as checkout does. */
  'sales.taxRates': call<TaxRatesView>()(none, ALL),
  /** A sale's detail (Ventas del día → Enter); a cashier sees only their own sales, as in the list. */
  'sales.detail': call<SaleDetail>()(z.object({ saleId: z.number().int().positive() }), ALL),
  /** A cashier gets only their own sales; supervisors and admins get all of the terminal's. */
  'sales.list': call<SaleRow[]>()(z.object({ date: isoDate.optional() }), ALL),
  /** Facturas on credit with something left to collect, by customer (`query`: part of the name or document number). */
  'receivables.list': call<CustomerReceivables[]>()(z.object({ query: z.string().trim().max(100).optional() }), ALL),
  /** Registers a payment against a sale on credit (never more than is pending); cash enters the caller's drawer. Audited. */
  'receivables.collect': call<CollectionResult>()(collectionInput, ALL),
  // The queue monitor (what Flower did): managers only, whatever the UI shows.
  'queue.stats': call<QueueStats>()(none, MANAGERS),
  'queue.list': call<QueueJob[]>()(
    z.object({ state: z.enum([...JOB_STATES, 'active']).optional(), limit: z.number().int().min(1).max(1000).optional() }),
    MANAGERS,
  ),
  'queue.show': call<QueueJobDetail>()(z.object({ id: z.number().int().positive() }), MANAGERS),
  'queue.retry': call<QueueJob>()(z.object({ id: z.number().int().positive() }), MANAGERS),
  'queue.cancel': call<QueueJob>()(z.object({ id: z.number().int().positive() }), MANAGERS),
  'queue.resume': call<{ resumed: boolean }>()(none, MANAGERS),
  // Store setup and administration
  'setup.status': call<{ firstRun: boolean }>()(none, 'public'),
  /** Both refused (rule) once the store is set up. */
  'setup.demo': call<{ ok: true }>()(none, 'public'),
  'setup.own': call<{ ok: true; adminUsername: string }>()(setupOwnInput, 'public'),
  'settings.get': call<AdminSettingsView>()(none, ['admin']),
  'settings.update': call<AdminSettingsView>()(settingsPatchInput, ['admin']),
  'products.list': call<AdminProductView[]>()(z.object({ query: z.string().max(100).optional(), includeInactive: z.boolean().optional() }), MANAGERS),
  'products.save': call<AdminProductView>()(productSaveInput, MANAGERS),
  'products.setActive': call<AdminProductView>()(z.object({ id: z.number().int().positive(), active: z.boolean() }), MANAGERS),
  'products.csvPreview': call<CsvPreviewView>()(csvText, MANAGERS),
  'products.csvImport': call<CsvImportView>()(csvText, MANAGERS),
  'products.csvExport': call<{ csv: string }>()(none, MANAGERS),
  /** Supervisors see the list too: they may unlock a user locked out by wrong PINs (users.unlock). */
  'users.list': call<AdminUserView[]>()(none, MANAGERS),
  'users.create': call<AdminUserView>()(
    z.object({ username: adminStr(30), name: adminStr(80), role: z.enum(ROLES), pin: adminStr(8) }),
    ['admin'],
  ),
  'users.setRole': call<AdminUserView>()(userId.extend({ role: z.enum(ROLES) }), ['admin']),
  'users.resetPin': call<{ ok: true }>()(userId.extend({ pin: adminStr(8) }), ['admin']),
  'users.setActive': call<AdminUserView>()(userId.extend({ active: z.boolean() }), ['admin']),
  /** Clears a user's wrong PINs and lockout (audited); a supervisor may not unlock an administrator. */
  'users.unlock': call<AdminUserView>()(userId, MANAGERS),
  'db.backupNow': call<{ file: string }>()(none, ['admin']),
  /** The stored certificate (never its key or password) and the warning the status bar shows. */
  'cert.show': call<{ certificate: CertificateView | null; warning: string | null }>()(none, ['admin']),
  /** Checks, encrypts, stores and audits a .pfx/.p12; the password is never returned, logged or audited. */
  'cert.import': call<CertificateView>()(certImportInput, ['admin']),
  'customers.list': call<AdminCustomerView[]>()(z.object({ query: z.string().max(100).optional() }), MANAGERS),
  'customers.update': call<AdminCustomerView>()(customerUpdateInput, MANAGERS),
  /** The PC's clock against the trusted time: what was measured, an admin's confirmation, the verdict now. */
  'clock.status': call<ClockView>()(none, MANAGERS),
  /** Measures now against SUNAT (or the OSE): after fixing the PC's date and time. */
  'clock.check': call<ClockView>()(none, MANAGERS),
  /** An admin confirms the PC's clock in spite of the offset (audited); receipts are issued again. */
  'clock.confirm': call<ClockView>()(none, ['admin']),
  'db.backups': call<BackupView[]>()(none, ['admin']),
  /** `file` is a name from db.backups, never a path; checked first, refused without changing anything if damaged. */
  'db.restore': call<RestoreView>()(z.object({ file: adminStr(200) }).strict(), ['admin']),
  /** Enrols this till in a hub with its one-time code (refused with the reason, nothing changed); audited. */
  'admin.hubJoin': call<HubJoinView>()(hubJoinInput, ['admin']),
  'admin.hubStatus': call<HubStatusView>()(none, ['admin']),
  // end Store setup and administration
  // Printing and reports
  /**
   * A sale's boleta or factura (saleId) or a credit note (noteId). The original only by the cashier who issued it,
   * within 15 minutes; otherwise a COPIA (`copy` asks for one anyway). A cashier prints only their own, and reprints
   * a document at most `maxReprints` times (then a supervisor or an admin). Every print is audited.
   */
  'documents.print': call<PrintedDocumentView>()(
    z.object({
      saleId: z.number().int().positive().optional(), noteId: z.number().int().positive().optional(),
      copy: z.boolean().optional(), format: z.enum(['ticket', 'a4']).optional(),
    }).refine((v) => (v.saleId === undefined) !== (v.noteId === undefined), { message: 'Indique la venta o la nota a imprimir.', path: ['saleId'] }),
    ALL,
  ),
  // The thermal printer (issue 17): Administración → Impresora, and the sale screen's "Reimprimir".
  /** The thermal printer's setting, the paper width and the logo's size. */
  'printer.get': call<PrinterAdminView>()(none, ['admin']),
  /** "Imprimir prueba": a test ticket to the address typed (saved or not), with what happened and the printer's status. */
  'printer.test': call<PrinterTestView>()(printerTestInput, ['admin']),
  /** The logo on top of the tickets: a PNG (base64), or null to remove it. Audited (size and digest, never the image). */
  'printer.logo': call<PrinterAdminView>()(z.object({ pngBase64: z.string().max(8_000_000, 'El logo es demasiado grande (máximo 6 MB).').nullable() }).strict(), ['admin']),
  /** Where the automatic ticket of a sale or note stands (the screen may have missed the event). */
  'printer.ticketStatus': call<TicketPrintView | null>()(printWhich, ALL),
  /**
   * "Reimprimir": a ticket that did not print is tried again now (still the original, with the drawer when it was a
   * cash sale); one that printed is reprinted under pos/prints.ts's rules (COPIA, maxReprints; never the drawer).
   */
  'printer.reprint': call<TicketPrintView>()(printWhich, ALL),
  'reports.daily': call<DailyReportView>()(z.object({ date: isoDate }), MANAGERS),
  'reports.dailyPdf': call<PrintedPdf>()(z.object({ date: isoDate }), MANAGERS),
  /** The daily summary printed: on the thermal printer when one is set (a roll's summary), else the A4 PDF. */
  'reports.dailyPrint': call<PrintedReport>()(z.object({ date: isoDate }), MANAGERS),
  // end Printing and reports
} as const;

export type CallName = keyof typeof calls;

/**
 * Calls the screens make on a timer, by themselves (the status bar, the queue monitor, the sales list, a void being
 * followed): they do not count as use of the session, so a POS left alone still reaches its idle limit.
 */
export const BACKGROUND_CALLS: ReadonlySet<CallName> = new Set<CallName>(['app.status', 'queue.stats', 'queue.list', 'sales.list', 'sales.voidStatus']);
export type CallInput<K extends CallName> = z.input<(typeof calls)[K]['input']>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CallOutput<K extends CallName> = (typeof calls)[K] extends Call<any, infer O> ? O : never;

/** Events the main process pushes to the renderer. */
export interface Events {
  'sale.updated': { saleId: number; number: string; sunatStatus: string; sunatStatusText?: string };
  status: AppStatus;
  /** A manager changed the queue (retry, cancel, resume): the runner looks for work at once. */
  'queue.updated': { action: 'retry' | 'cancel' | 'resume' | 'void' | 'print'; jobId: number | null };
  /** A ticket's print on the thermal printer ended or ran into a problem (the `print.ticket` job, issue 17). */
  'print.updated': TicketPrintView;
}
export type EventName = keyof Events;

/** Errors that cross the contract: a code the UI can switch on and a message a cashier can act on. */
export interface ApiErrorBody {
  error: { code: 'invalid_input' | 'unauthorized' | 'forbidden' | 'not_found' | 'rule' | 'internal'; message: string; issues?: { path: string; message: string }[] };
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorBody['error']['code'],
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export interface Transport {
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>>;
  on<E extends EventName>(event: E, fn: (payload: Events[E]) => void): () => void;
}
