// What the simulator remembers: every document it received, its CDR and the summary tickets. Saved atomically.
import { existsSync, readFileSync, writeFileSync, renameSync, openSync, fsyncSync, closeSync } from 'node:fs';

export type LedgerStatus = 'accepted' | 'observed' | 'rejected' | 'exception' | 'voided';

export interface LedgerEntry {
  /** RUC-TT-SERIE-NUMERO (number without zeros) or RUC-RC-YYYYMMDD-N. */
  id: string;
  submissions: number;
  /** How many submissions ended accepted (more than 1 would be a duplicate SUNAT never allows). */
  accepted: number;
  status: LedgerStatus;
  responseCode: string;
  firstAt: string;
  lastAt: string;
  /** Base64 of the CDR zip, for getStatusCdr. */
  cdrZip?: string;
  /** cbc:IssueDate of an accepted document (voids are checked against it). */
  issueDate?: string;
  /** The RA/RC (RUC-RA-YYYYMMDD-N) that voided it; status is then 'voided'. */
  voidedBy?: string;
  /** The daily summary that reported it (a boleta added by summary has no CDR of its own). */
  reportedBy?: string;
  /** PayableAmount of an accepted boleta, factura or note (what a credit note may take back). */
  total?: string;
  /** An accepted factura on credit: its "Monto neto pendiente de pago" (a note of code 13 needs one: 3260). */
  creditPending?: string;
  /** An accepted credit note: the ledger id of the document it credits and how much it took. */
  credits?: { reference: string; total: string };
}

export interface TicketEntry {
  ticket: string;
  id: string;
  readyAt: number;
  statusCode: '0' | '99';
  cdrZip: string;
}

export interface SimState {
  documents: Record<string, LedgerEntry>;
  tickets: Record<string, TicketEntry>;
}

export function emptyState(): SimState {
  return { documents: {}, tickets: {} };
}

export function loadState(file: string | undefined): SimState {
  if (!file || !existsSync(file)) return emptyState();
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SimState>;
  return { documents: parsed.documents ?? {}, tickets: parsed.tickets ?? {} };
}

/** Write to a temp file, fsync, rename: a crash leaves the old or the new state, never half of one. */
export function saveState(file: string | undefined, state: SimState): void {
  if (!file) return;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  const fd = openSync(tmp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
