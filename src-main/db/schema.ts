// Kysely table types; they mirror migrations/. Generated<T> marks columns the database fills.
import type { Generated, Selectable } from 'kysely';

export interface SettingsTable { key: string; value: string }
export interface UsersTable {
  id: Generated<number>; username: string; name: string; role: 'admin' | 'supervisor' | 'cashier';
  pin_hash: string; active: Generated<number>; created_at: string;
  /** Migration 007: wrong PINs in a row, and until when the next try is refused (ISO; null: not locked). */
  failed_pins: Generated<number>; pin_locked_until: string | null;
}
export interface ProductsTable {
  id: Generated<number>; sku: string; barcode: string | null; name: string; unit_code: Generated<string>;
  price: string; tax_affectation: Generated<string>; is_bag: Generated<number>; stock: Generated<string>;
  active: Generated<number>; created_at: string; updated_at: string;
}
export interface CustomersTable {
  id: Generated<number>; doc_type: string; doc_number: string; name: string; address: string | null;
  email: string | null; created_at: string;
}
export interface SeriesTable {
  id: Generated<number>; terminal_id: string; document_type: string; series: string; next_number: Generated<number>;
}
export interface CashSessionsTable {
  id: Generated<number>; terminal_id: string; user_id: number; opened_at: string; opening_float_cents: number;
  closed_at: string | null; closed_by: number | null; counted_cents: number | null; expected_cents: number | null;
  difference_cents: number | null; z_number: number | null;
  /** Migration 008: the cashier whose own drawer this is (null: the terminal's shared drawer); the Z as closed (JSON). */
  cashier_id: number | null; z_report: string | null;
}
export interface CashMovesTable {
  id: Generated<number>; session_id: number; kind: 'in' | 'out'; amount_cents: number; reason: string;
  user_id: number; created_at: string;
}
export interface SalesTable {
  id: Generated<number>; terminal_id: string; session_id: number; user_id: number; customer_id: number | null;
  customer_doc_type: string; customer_doc_number: string; customer_name: string; customer_address: string | null;
  document_type: string; series: string; correlative: number; number: string; issued_at: string; issue_date: string;
  currency: Generated<string>; igv_rate: string; gravado_cents: number; exonerado_cents: number; inafecto_cents: number;
  gratuito_cents: number; igv_cents: number; icbper_cents: number; discount_cents: number; total_cents: number;
  paid_cents: number; change_cents: number; status: Generated<'completed' | 'cancelled'>; negative_stock: Generated<number>;
  /** Migration 011: the credit note (a cash refund) whose amount this sale took, in an exchange. */
  exchange_note_id: Generated<number | null>;
  /** Migration 013: the part left to pay later (a sale on credit, "Monto neto pendiente de pago"); 0 when paid. */
  credit_cents: Generated<number>;
}
/** Migration 013: the instalments (cuotas) of a sale on credit. */
export interface SaleInstalmentsTable {
  id: Generated<number>; sale_id: number; instalment_no: number; amount_cents: number; due_date: string;
}
/** Migration 013: a payment received later against a sale on credit (cash ones are also a cash-in of the drawer). */
export interface CollectionsTable {
  id: Generated<number>; sale_id: number; session_id: number | null; user_id: number; method: 'cash' | 'card' | 'yape' | 'plin';
  amount_cents: number; reference: string | null; cash_move_id: number | null; created_at: string;
}
export interface SaleLinesTable {
  id: Generated<number>; sale_id: number; line_no: number; product_id: number | null; description: string;
  unit_code: string; quantity: string; unit_price: string; unit_value: string; tax_affectation: string;
  discount_cents: number; value_cents: number; igv_cents: number; icbper_cents: number; bags: Generated<number>;
  total_cents: number;
  /** The catalog's price when the price was changed at the counter (migration 009). */
  list_price: string | null;
}
export interface SaleApprovalsTable {
  id: Generated<number>; sale_id: number; approver_id: number; cashier_id: number; percent: string; reason: string; created_at: string;
}
export interface PaymentsTable {
  id: Generated<number>; sale_id: number; method: 'cash' | 'card' | 'yape' | 'plin'; amount_cents: number;
  tendered_cents: number | null; reference: string | null;
}
export interface StockMovesTable {
  id: Generated<number>; product_id: number; sale_id: number | null; quantity: string; reason: string;
  stock_after: string; negative: Generated<number>; created_at: string;
  /** Migration 005: the note whose return brought the goods back. */
  note_id: number | null;
}
/** Migration 005: a credit (07) or debit (08) note on a sale's document. */
export interface NotesTable {
  id: Generated<number>; sale_id: number; terminal_id: string; session_id: number | null; user_id: number;
  document_type: '07' | '08'; series: string; correlative: number; number: string; reason_code: string; reason: string;
  issued_at: string; issue_date: string; currency: Generated<string>; igv_rate: string; gravado_cents: number;
  exonerado_cents: number; inafecto_cents: number; gratuito_cents: number; igv_cents: number; icbper_cents: number;
  discount_cents: number; total_cents: number; refund_method: 'cash' | 'card' | 'yape' | 'plin' | null;
  refund_cents: Generated<number>;
  /** Migration 014: what a debit note charged at the counter (null / 0 on credit notes). */
  charge_method: 'cash' | 'card' | 'yape' | 'plin' | null; charge_cents: Generated<number>;
  charge_tendered_cents: number | null; charge_reference: string | null;
  /** Migration 015: the part of a credit note on a sale on credit taken off what the customer owed (the rest is refund_cents). */
  debt_cents: Generated<number>;
}
/** Migration 015: the instalments a credit note of code 13 restates for a factura on credit (after returns lowered its debt). */
export interface NoteInstalmentsTable {
  id: Generated<number>; note_id: number; instalment_no: number; amount_cents: number; due_date: string;
}
/** Migration 006: a cart set aside (parked) at a terminal; `cart` is the contract's ParkedCartInput as JSON. */
export interface ParkedCartsTable {
  id: Generated<number>; terminal_id: string; user_id: number; label: string; cart: string; items: string;
  total_cents: number; created_at: string;
}
export interface NoteLinesTable {
  id: Generated<number>; note_id: number; line_no: number; sale_line_id: number | null; product_id: number | null;
  description: string; unit_code: string; quantity: string; unit_price: string; unit_value: string;
  tax_affectation: string; discount_cents: number; value_cents: number; igv_cents: number; icbper_cents: number;
  bags: Generated<number>; total_cents: number;
}
export type DocumentStatus = 'pending' | 'accepted' | 'observed' | 'rejected' | 'error' | 'voided';
export interface DocumentsTable {
  id: Generated<number>; sale_id: number | null; document_type: string; series: string; correlative: number;
  file_name: string; issue_date: string; status: Generated<DocumentStatus>; xml: string | null;
  digest_value: string | null; qr: string | null; signed_at: string | null; ticket: string | null;
  cdr_zip: Uint8Array | null; cdr_code: string | null; cdr_description: string | null; cdr_notes: string | null;
  last_error: string | null; last_attempt_at: string | null; accepted_at: string | null; created_at: string;
  updated_at: string;
  /** Migration 003: the SUNAT mode when issued; where its final answer came from; 1 = answered by the simulator. */
  issued_mode: string | null; sunat_target: string | null; simulated: Generated<number>;
  /** Migration 005: set on a note's document (sale_id is then null). */
  note_id: number | null;
  /** Migration 012: 1 = SUNAT refused it alone (1079); it goes in the daily summary. */
  by_summary: Generated<number>;
}
export type JobState = 'queued' | 'running' | 'waiting_network' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
export interface JobsTable {
  id: Generated<number>; kind: string; payload: Generated<string>; state: Generated<JobState>;
  priority: Generated<number>; attempts: Generated<number>; max_attempts: Generated<number>; run_at: string;
  lease_until: string | null; last_error: string | null; result: string | null; idempotency_key: string | null;
  created_at: string; updated_at: string; finished_at: string | null;
}
export interface JobRunsTable {
  id: Generated<number>; job_id: number; attempt: number; started_at: string; finished_at: string | null;
  outcome: string | null; error: string | null;
}
/** A drawer opened by the till: "Abrir cajón" without a sale, or the pulse after a paid-in / paid-out (migration 018). */
export interface DrawerOpeningsTable {
  id: Generated<number>; session_id: number; terminal_id: string; user_id: number; at: string; kind: 'no_sale' | 'move';
  reason: string | null; move_id: number | null;
  /** Why the pulse never reached the printer (then the drawer did not open and it is not counted). */
  error: string | null;
}
export interface AuditLogTable {
  id: Generated<number>; at: string; user_id: number | null; action: string; entity: string | null;
  entity_id: string | null; details: string | null;
}

export interface DB {
  settings: SettingsTable; users: UsersTable; products: ProductsTable; customers: CustomersTable;
  series: SeriesTable; cash_sessions: CashSessionsTable; cash_moves: CashMovesTable; sales: SalesTable;
  sale_lines: SaleLinesTable; payments: PaymentsTable; stock_moves: StockMovesTable; documents: DocumentsTable;
  jobs: JobsTable; job_runs: JobRunsTable; audit_log: AuditLogTable; notes: NotesTable; note_lines: NoteLinesTable; parked_carts: ParkedCartsTable;
  sale_approvals: SaleApprovalsTable; sale_instalments: SaleInstalmentsTable; collections: CollectionsTable;
  note_instalments: NoteInstalmentsTable; drawer_openings: DrawerOpeningsTable;
}

export type User = Selectable<UsersTable>;
export type Product = Selectable<ProductsTable>;
export type Customer = Selectable<CustomersTable>;
export type Sale = Selectable<SalesTable>;
export type SaleLine = Selectable<SaleLinesTable>;
export type Payment = Selectable<PaymentsTable>;
export type DocumentRow = Selectable<DocumentsTable>;
export type Job = Selectable<JobsTable>;
export type CashSession = Selectable<CashSessionsTable>;
