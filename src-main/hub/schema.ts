// The hub's PostgreSQL schema as Kysely sees it (migrations/001_initial.ts). Both engines parse bigint as a number
// and date as 'YYYY-MM-DD' (db.ts sets the parsers); timestamptz comes back as a Date.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface HubMigrationsTable { version: number; name: string; applied_at: Generated<Date> }
export interface StoresTable {
  id: Generated<number>; ruc: string; establishment: string; name: string; address: string | null; created_at: Generated<Date>;
}
export interface TerminalsTable {
  id: string; store_id: number; name: string; token_hash: string | null; created_at: Generated<Date>;
  enrolled_at: Timestamp | null; last_contact: Timestamp | null; applied_seq: Generated<number>; app_version: string | null;
  /** Outbox rows the terminal had not sent yet at its last push (migration 002; null: it does not report it). */
  backlog: number | null;
}
export interface EnrolmentCodesTable {
  code_hash: string; terminal_id: string; created_at: Generated<Date>; expires_at: Timestamp; used_at: Timestamp | null;
}
export interface SeriesAllocationsTable {
  ruc: string; document_type: string; series: string; terminal_id: string; kept: boolean; allocated_at: Generated<Date>;
}

interface RecordColumns { terminal_id: string; uid: string; version: number; hub_seq: Generated<number>; received_at: Generated<Date>; data: Json }
export interface SalesTable extends RecordColumns {
  ruc: string; issue_date: string; issued_at: Timestamp; document_type: string; series: string; correlative: number;
  number: string; status: string; total_cents: number; user_name: string; customer_doc_number: string;
}
export interface NotesTable extends RecordColumns {
  ruc: string; issue_date: string; issued_at: Timestamp; document_type: string; series: string; correlative: number;
  number: string; total_cents: number; reference: string; reason_code: string;
}
export interface DocumentsTable extends RecordColumns {
  document_type: string; number: string; issue_date: string; status: string; owner_uid: string | null;
  cdr_code: string | null; simulated: boolean;
}
export interface CashSessionsTable extends RecordColumns {
  opened_at: Timestamp; closed_at: Timestamp | null; cashier_name: string | null; z_number: number | null;
}
export interface MoneyTable extends RecordColumns { at: Timestamp; amount_cents: number }
export interface CustomersInTable extends RecordColumns { doc_type: string; doc_number: string; name: string }
export interface AuditTable extends RecordColumns { at: Timestamp; action: string }

interface Owned { seq: Generated<number>; updated_at: Generated<Date> }
export interface ProductsTable extends Owned {
  code: string; barcode: string | null; name: string; unit: string; price_cents: number; tax_affectation: string;
  is_bag: boolean; active: boolean;
}
export interface UsersTable extends Owned { username: string; name: string; role: string; pin_hash: string; active: boolean }
export interface CustomersTable extends Owned { doc_type: string; doc_number: string; name: string; address: string | null }
export interface SettingsTable extends Owned { key: string; value: Json }

// Migration 002: the hub's own people, their sessions and the audit of what they change.
export interface HubUsersTable {
  username: string; name: string; role: 'manager' | 'admin'; secret_hash: string; active: Generated<boolean>;
  failed_logins: Generated<number>; locked_until: Timestamp | null; created_at: Generated<Date>;
}
export interface HubSessionsTable { token_hash: string; username: string; created_at: Generated<Date>; last_seen_at: Generated<Date> }
export interface HubAuditTable { id: Generated<number>; at: Generated<Date>; username: string; action: string; details: Json }

export interface HubSchema {
  hub_migrations: HubMigrationsTable;
  stores: StoresTable;
  terminals: TerminalsTable;
  enrolment_codes: EnrolmentCodesTable;
  series_allocations: SeriesAllocationsTable;
  sales: SalesTable;
  notes: NotesTable;
  documents: DocumentsTable;
  cash_sessions: CashSessionsTable;
  cash_moves: MoneyTable;
  collections: MoneyTable;
  customers_in: CustomersInTable;
  audit: AuditTable;
  products: ProductsTable;
  users: UsersTable;
  customers: CustomersTable;
  settings: SettingsTable;
  hub_users: HubUsersTable;
  hub_sessions: HubSessionsTable;
  hub_audit: HubAuditTable;
}
