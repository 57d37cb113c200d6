// The contract between the hub's screens (src-renderer/hub/) and the hub (src-main/hub/ui.ts), in the style of the
// terminal's contract.ts: every call is an entry here — its input schema (validated by the hub), its output type and
// the hub roles allowed. POST /hub/ui/<call> with JSON; the session travels in an HttpOnly, SameSite=Strict cookie
// set by `auth.login`. Errors have the terminal contract's shape (`ApiErrorBody`), with the HTTP status: 400 bad
// input, 401 no session, 403 role, 404, 409 already exists, 422 a rule.
import { z } from 'zod';
import type { DailyReport, MoneyCount } from './reports';

export const HUB_UI_PREFIX = '/hub/ui/';
/** The page the hub serves carries <meta name="izisales-app" content="hub">: the renderer shows the hub's screens. */
export const HUB_PAGE_META = 'izisales-app';

export const HUB_ROLES = ['manager', 'admin'] as const;
export type HubRole = (typeof HUB_ROLES)[number];
const ANY: readonly HubRole[] = HUB_ROLES;
const ADMIN: readonly HubRole[] = ['admin'];

export const HUB_ROLE_LABELS: Record<HubRole, string> = { manager: 'Encargado', admin: 'Administrador' };
export const TERMINAL_ROLES = ['admin', 'supervisor', 'cashier'] as const;
export const TERMINAL_ROLE_LABELS: Record<(typeof TERMINAL_ROLES)[number], string> = { admin: 'Administrador', supervisor: 'Supervisor', cashier: 'Cajero' };

const str = (max: number, empty: string) => z.string().trim().min(1, empty).max(max, `Hasta ${max} caracteres.`);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Fecha no válida (AAAA-MM-DD).');
/** The contract's money: what readMoney (number-input.ts) makes of "12,50" or "12.50". */
const money = z.string().trim().regex(/^\d{1,9}(\.\d{1,2})?$/, 'Precio no válido (use hasta 2 decimales, p. ej. 12,50).');

/** A hub user's username: letters, digits, dot, dash, underscore. */
export const hubUsername = z.string().trim().regex(/^[A-Za-z0-9._-]{3,30}$/, 'Usuario no válido: de 3 a 30 letras, números, punto o guion.');
/** A PIN of 4–8 digits, or a password of 8–64 characters. */
export const hubSecret = z.string().refine((s) => /^\d{4,8}$/.test(s) || (s.length >= 8 && s.length <= 64 && !/^\d+$/.test(s)),
  'Use un PIN de 4 a 8 dígitos o una contraseña de 8 a 64 caracteres.');
export const hubUserInput = z.object({
  username: hubUsername,
  name: str(80, 'Escriba el nombre.'),
  role: z.enum(HUB_ROLES, { message: 'Rol no válido: manager o admin.' }),
  secret: hubSecret,
}).strict();
export type HubUserInput = z.infer<typeof hubUserInput>;

export const hubStoreInput = z.object({
  ruc: str(11, 'Escriba el RUC.'),
  establishment: str(4, 'Escriba el código de establecimiento (p. ej. 0000).'),
  name: str(120, 'Escriba el nombre de la tienda.'),
  address: z.string().trim().max(200).optional(),
}).strict();

export const hubProductInput = z.object({
  /** true: a new product (refused when the code exists); false: a change of an existing one. */
  isNew: z.boolean(),
  code: z.string().trim().regex(/^[A-Za-z0-9._-]{1,30}$/, 'Código no válido: hasta 30 letras, números, punto o guion.'),
  barcode: z.string().trim().regex(/^\d{0,14}$/, 'Código de barras no válido: solo dígitos, hasta 14.').nullish(),
  name: str(200, 'Escriba el nombre del producto.'),
  price: money,
  taxAffectation: z.enum(['10', '20', '30'], { message: 'Afectación no válida: 10 gravado, 20 exonerado, 30 inafecto.' }),
  unit: z.string().trim().regex(/^[A-Z0-9]{2,3}$/, 'Unidad no válida (p. ej. NIU, KGM).'),
  isBag: z.boolean().optional(),
}).strict();
export type HubProductInput = z.infer<typeof hubProductInput>;

export const terminalUserInput = z.object({
  isNew: z.boolean(),
  username: z.string().trim().regex(/^[A-Za-z0-9._-]{2,30}$/, 'Usuario no válido: de 2 a 30 letras, números, punto o guion.'),
  name: str(80, 'Escriba el nombre.'),
  role: z.enum(TERMINAL_ROLES, { message: 'Rol no válido.' }),
  /** Required for a new user; empty keeps the current PIN. */
  pin: z.string().regex(/^(\d{4,8})?$/, 'El PIN tiene de 4 a 8 dígitos.').optional(),
  active: z.boolean(),
}).strict();

export const salesQuery = z.object({
  from: isoDate,
  to: isoDate,
  storeId: z.number().int().positive().optional(),
  terminalId: z.string().uuid().optional(),
  /** Part of the document number, e.g. "B001-12". */
  number: z.string().trim().max(20).optional(),
  /** The customer's document number, or part of the name. */
  customer: z.string().trim().max(100).optional(),
}).strict().refine((q) => q.from <= q.to, { message: 'La fecha inicial es posterior a la final.', path: ['from'] });

/** A store's or the chain's day besides issued and billed: counted as the till's own daily report counts them. */
export interface HubDayFigures {
  salesCount: number;
  creditNotes: MoneyCount;
  debitNotes: MoneyCount;
  /** totalBilled less the credit notes plus the debit notes. */
  netBilled: string;
  cancelled: MoneyCount;
  byPaymentMethod: DailyReport['byPaymentMethod'];
}
/**
 * The daily report per store and chain-wide: the shape of `izisales hub report daily --json` (hub/reports.ts) as
 * issue 16 fixes it, with HubDayFigures and the store's name added (fields are only ever added).
 */
export interface HubDailyReportView extends HubDayFigures {
  issued: number;
  totalBilled: string;
  stores: Array<HubDayFigures & {
    ruc: string; establishment: string; issued: number; totalBilled: string;
    terminals: Array<{ name: string; issued: number; totalBilled: string; lastContact: string | null }>;
    name: string;
  }>;
}
/**
 * GET: the daily report's A4 PDF (the till's own layout), `?date=AAAA-MM-DD[&store=RUC-ESTABLECIMIENTO]` — without
 * store, the whole chain. Behind the same session cookie and roles as `reports.daily`.
 */
export const HUB_REPORT_PDF_PATH = '/hub/report/daily.pdf';
export interface HubUserView { username: string; name: string; role: HubRole }
export interface TerminalOverview {
  id: string; name: string; enrolledAt: string | null; lastContact: string | null;
  /** now − the newest record's time received, in seconds (null: nothing received yet). */
  lagSeconds: number | null;
  /** Outbox rows not yet sent at the last push (null: never reported). */
  backlog: number | null;
  sunatPending: number; sunatErrors: number;
}
export interface StoreOverview { id: number; ruc: string; establishment: string; name: string; address: string | null; terminals: TerminalOverview[] }
export interface TerminalCodeView { terminalId: string; name: string; code: string; expiresAt: string; existing: boolean }
export interface HubProductView {
  code: string; barcode: string | null; name: string; unit: string; price: string; taxAffectation: string; isBag: boolean; active: boolean; updatedAt: string;
}
export interface TerminalUserView { username: string; name: string; role: (typeof TERMINAL_ROLES)[number]; active: boolean; updatedAt: string }
export interface HubSaleRow {
  storeName: string; ruc: string; establishment: string; terminalName: string; number: string; documentType: string;
  issuedAt: string; total: string; status: string; customerDocNumber: string; customerName: string; userName: string;
  sunatStatus: string | null;
}

type Call<I extends z.ZodType, O> = { input: I; roles: readonly HubRole[] | 'public'; output?: O };
function call<O>() {
  return <I extends z.ZodType>(input: I, roles: readonly HubRole[] | 'public'): Call<I, O> => ({ input, roles });
}
const none = z.object({}).strict();

export const hubCalls = {
  'auth.login': call<HubUserView>()(z.object({ username: z.string().trim().min(1, 'Ingrese su usuario.').max(30), secret: z.string().min(1, 'Ingrese su PIN o contraseña.').max(64) }).strict(), 'public'),
  'auth.logout': call<{ ok: true }>()(none, ANY),
  'auth.me': call<HubUserView>()(none, ANY),
  /** Each store and each terminal: last contact, replication lag, upload backlog, SUNAT pending and errors. */
  'stores.overview': call<StoreOverview[]>()(none, ANY),
  'stores.add': call<{ id: number; key: string }>()(hubStoreInput, ADMIN),
  /** A new terminal (or a new code for an existing name): the one-time code, shown once. */
  'terminals.add': call<TerminalCodeView>()(z.object({ store: str(20, 'Elija la tienda.'), name: str(30, 'Escriba el nombre de la caja (p. ej. CAJA-01).') }).strict(), ADMIN),
  'products.list': call<HubProductView[]>()(z.object({ query: z.string().trim().max(100).optional(), includeInactive: z.boolean().optional() }).strict(), ANY),
  /** Creates or changes a product; every terminal gets it on its next pull. Audited. */
  'products.save': call<HubProductView>()(hubProductInput, ANY),
  'products.setActive': call<HubProductView>()(z.object({ code: z.string().trim().min(1).max(30), active: z.boolean() }).strict(), ANY),
  /** The terminals' users (cashiers, supervisors, admins), pushed to every terminal. */
  'users.list': call<TerminalUserView[]>()(none, ADMIN),
  'users.save': call<TerminalUserView>()(terminalUserInput, ADMIN),
  /** The same numbers as `izisales hub report daily`. */
  'reports.daily': call<HubDailyReportView>()(z.object({ date: isoDate }).strict(), ANY),
  'sales.search': call<{ rows: HubSaleRow[]; more: boolean }>()(salesQuery, ANY),
} as const;

export type HubCallName = keyof typeof hubCalls;
export type HubCallInput<K extends HubCallName> = z.input<(typeof hubCalls)[K]['input']>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HubCallOutput<K extends HubCallName> = (typeof hubCalls)[K] extends Call<any, infer O> ? O : never;
