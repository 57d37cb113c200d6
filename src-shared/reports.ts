// The daily report's shape (src-main/reports/daily.ts computes it; documents/report-pdf.ts lays it out; the Reports
// screen reads a subset of it, DailyReportView in contract.ts). Types only, so both sides depend on it and not on
// each other.

export type ReportStatus = 'accepted' | 'observed' | 'rejected' | 'error' | 'pending' | 'voided';
export type StatusCounts = Record<ReportStatus, number>;

export interface MoneyCount { count: number; total: string }

export interface DailyReport {
  /** The Lima date (a range report: its first day; see from/to). */
  date: string;
  from: string;
  to: string;
  generatedAt: string;
  store: { ruc: string; name: string };
  /**
   * Set on the hub's reports only (src-main/hub/reports.ts): what the report covers — one store of N tills or the whole
   * chain — and its tills' names. On the hub a till's local ids mean nothing: `cashSessions[].terminalId` is then the
   * till's name, `byCashier[].userId` and the ids of sessions and documents are 0 / the hub's own numbers.
   */
  scope?: { kind: 'store' | 'chain'; title: string; terminals: string[] };
  /** Documents issued in the period (every kind, every state). */
  issued: number;
  accepted: number;
  observed: number;
  rejected: number;
  error: number;
  pending: number;
  voided: number;
  /**
   * Of accepted + observed, how many the SUNAT simulator answered (demo mode): receipts without validity, never to be
   * read as SUNAT's acceptance.
   */
  acceptedBySimulator: number;
  /** (accepted + observed) / issued × 100, two decimals; null when nothing was issued. */
  successRate: number | null;
  /** Sum of the completed (not cancelled) sales, in soles ("1234.50"). */
  totalBilled: string;
  salesCount: number;
  /** Credit notes issued in the period (returns): how many and what they took back. */
  creditNotes: MoneyCount;
  /** Payments received in the period for sales on credit (by any method; `cash` of it went into drawers). */
  collections?: MoneyCount & { cash: string };
  /** Debit notes issued in the period (interest, price increases, penalties charged on a sale). */
  debitNotes: MoneyCount;
  /** totalBilled less the credit notes plus the debit notes. */
  netBilled: string;
  cancelled: MoneyCount;
  byDocumentType: Record<string, StatusCounts & { label: string; issued: number; sales: number; total: string }>;
  byPaymentMethod: Record<string, MoneyCount & { label: string }>;
  byCashier: { userId: number; name: string; count: number; total: string }[];
  cashSessions: {
    id: number; terminalId: string; cashier: string; openedAt: string; closedAt: string | null; zNumber: number | null;
    openingFloat: string; expected: string | null; counted: string | null; difference: string | null;
  }[];
  notAccepted: {
    documentId: number; number: string; documentType: string; status: string; issueDate: string;
    lastError: string | null; cdrCode: string | null; cdrDescription: string | null;
  }[];
  /** How many documents are not accepted in all (the list holds at most NOT_ACCEPTED_LIMIT). */
  notAcceptedCount: number;
}
