// The one contract between the POS screen and the main process (DESIGN §1). Every call the renderer can make is an
// entry here: its input schema (validated in the main process), its output type and the roles allowed. Electron's
// IPC, the preload API, the headless HTTP server and the renderer's client are all derived from this list.
import { z } from 'zod';

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
    .array(z.object({ productId: z.number().int().positive(), quantity, discount: discountInput.nullish(), bags: z.number().int().min(0).max(99).optional() }))
    .min(1, 'El carrito está vacío.')
    .max(500),
  payments: z
    .array(z.object({
      method: z.enum(['cash', 'card', 'yape', 'plin']),
      amount: money,
      tendered: money.optional(),
      reference: z.string().trim().max(60).optional(),
    }))
    .min(1, 'Registre al menos un pago.')
    .max(10),
});
export type CheckoutInput = z.infer<typeof checkoutInput>;

export interface UserView { id: number; username: string; name: string; role: Role }
export interface ProductView {
  id: number; sku: string; barcode: string | null; name: string; unitCode: string; price: string;
  taxAffectation: string; stock: string; isBag: boolean;
}
export interface CustomerView { id: number; docType: string; docNumber: string; name: string; address: string | null }
export interface CashSessionView {
  id: number; terminalId: string; userName: string; openedAt: string; openingFloat: string;
  closedAt: string | null; zNumber: number | null;
}
export interface CashReport {
  kind: 'X' | 'Z'; sessionId: number; zNumber: number | null; openedAt: string; closedAt: string | null;
  openingFloat: string; salesCount: number; salesTotal: string;
  byMethod: { method: string; total: string }[]; cashIn: string; cashOut: string;
  expectedCash: string; counted: string | null; difference: string | null;
}
export interface CheckoutResult {
  saleId: number; number: string; documentType: '01' | '03'; total: string; paid: string; change: string;
  sunatStatus: string; negativeStock: boolean; signed: boolean; qr: string | null; digestValue: string | null;
}
export interface SaleRow {
  id: number; number: string; documentType: string; series: string; correlative: number; issuedAt: string;
  total: string; customer: string; status: string; sunatStatus: string; cashier: string;
}
export interface AppStatus {
  online: boolean; pending: number; failing: number; demoMode: boolean; terminalId: string;
  storeName: string; sunatPaused: string | null;
  /** Where documents go: "simulador SUNAT (modo demo)", "SUNAT beta (pruebas)", "SUNAT producción", an OSE. */
  sunatTarget: string;
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
}
export interface QueueRun {
  id: number; attempt: number; startedAt: string; finishedAt: string | null; outcome: string | null; error: string | null;
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

type Call<I extends z.ZodType, O> = { input: I; roles: readonly Role[] | 'public'; output?: O };
function call<O>() {
  return <I extends z.ZodType>(input: I, roles: readonly Role[] | 'public'): Call<I, O> => ({ input, roles });
}
const none = z.object({}).strict();

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
  'cash.open': call<CashSessionView>()(z.object({ openingFloat: money }), ALL),
  'cash.move': call<{ ok: true }>()(z.object({ kind: z.enum(['in', 'out']), amount: money, reason: z.string().trim().min(3, 'Indique el motivo.').max(200) }), ALL),
  'cash.xReport': call<CashReport>()(none, ALL),
  'cash.close': call<CashReport>()(z.object({ counted: money }), ALL),
  'sales.checkout': call<CheckoutResult>()(checkoutInput, ALL),
  /** A cashier gets only their own sales; supervisors and admins get all of the terminal's. */
  'sales.list': call<SaleRow[]>()(z.object({ date: isoDate.optional() }), ALL),
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
} as const;

export type CallName = keyof typeof calls;
export type CallInput<K extends CallName> = z.input<(typeof calls)[K]['input']>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CallOutput<K extends CallName> = (typeof calls)[K] extends Call<any, infer O> ? O : never;

/** Events the main process pushes to the renderer. */
export interface Events {
  'sale.updated': { saleId: number; number: string; sunatStatus: string };
  status: AppStatus;
  /** A manager changed the queue (retry, cancel, resume): the runner looks for work at once. */
  'queue.updated': { action: 'retry' | 'cancel' | 'resume'; jobId: number | null };
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
