import { sql as m001 } from './001_initial';
import { sql as m002 } from './002_job_claim_index';
import { sql as m003 } from './003_sunat_target';
import { sql as m004 } from './004_status_counts';
import { sql as m005 } from './005_notes';
import { sql as m006 } from './006_parked_carts';
import { sql as m007 } from './007_pin_lockout';
import { sql as m008 } from './008_cash_per_cashier';
import { sql as m009 } from './009_discount_approvals';
import { sql as m010 } from './010_audit_entity';
import { sql as m011 } from './011_exchange';
import { sql as m012 } from './012_summary_route';
import { sql as m013 } from './013_credit_sales';
import { sql as m014 } from './014_debit_note_charge';
import { sql as m015 } from './015_credit_returns';
import { sql as m016 } from './016_hub_outbox';
import { sql as m018 } from './018_drawer_openings';

/** Numbered migrations; PRAGMA user_version holds the last one applied. Append, never edit a released one. */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'initial', sql: m001 },
  { version: 2, name: 'job claim index', sql: m002 },
  { version: 3, name: 'sunat target of documents', sql: m003 },
  { version: 4, name: 'index-only status counts', sql: m004 },
  { version: 5, name: 'credit and debit notes', sql: m005 },
  { version: 6, name: 'parked carts', sql: m006 },
  { version: 7, name: 'pin lockout', sql: m007 },
  { version: 8, name: 'cash per cashier and the kept Z', sql: m008 },
  { version: 9, name: 'discount approvals', sql: m009 },
  { version: 10, name: 'audit entries by entity', sql: m010 },
  { version: 11, name: 'exchanges', sql: m011 },
  { version: 12, name: 'documents informed by daily summary', sql: m012 },
  { version: 13, name: 'credit sales', sql: m013 },
  { version: 14, name: 'debit note charge', sql: m014 },
  { version: 15, name: 'returns on credit sales', sql: m015 },
  { version: 16, name: 'hub identities, link and outbox', sql: m016 },
  { version: 18, name: 'drawer openings', sql: m018 },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
