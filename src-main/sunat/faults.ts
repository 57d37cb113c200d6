// SUNAT return codes → what the runner does (DESIGN §5, "Fault policy"). The policy is this table, not code.

/** What to do with a document after SUNAT (or the network) answered. */
export type FaultAction =
  | 'retry' // transient: try again with backoff
  | 'stop_credentials' // SOL user/password/profile wrong: stop the queue, alert the operator
  | 'stop_signature' // certificate or signature refused: stop the queue, alert the operator
  | 'final_defect' // bad zip/file/XML: our code produced it, retrying cannot help
  | 'already_registered' // SUNAT already holds this number: reconcile with getStatusCdr
  | 'final' // already voided/rejected at SUNAT
  | 'rejected' // rejected in a CDR: final for this number, a corrective document is needed
  | 'accepted' // accepted, maybe with observations
  | 'poll_later' // summary ticket still in process: poll again, never resend
  | 'send_in_summary'; // boleta refused individually as late: goes in the daily summary

/** Where a code was read: summary ticket statuses (0/98/99) mean something else than return codes. */
export type CodeSource = 'return' | 'ticket';

export interface FaultRow {
  /** Inclusive numeric ranges of four-digit codes. */
  ranges: ReadonlyArray<readonly [number, number]>;
  action: FaultAction;
  meaning: string;
  source?: CodeSource;
}

/**
 * Specific rows come first: the first matching row wins, so an exception listed above a range overrides it.
 * Codes 0100–0199 are "SUNAT cannot answer now" unless a credentials or file row above claims them.
 */
export const FAULT_TABLE: readonly FaultRow[] = [
  { ranges: [[98, 98]], action: 'poll_later', meaning: 'summary still in process', source: 'ticket' },
  { ranges: [[0, 0]], action: 'accepted', meaning: 'summary processed', source: 'ticket' },
  { ranges: [[99, 99]], action: 'rejected', meaning: 'summary processed with errors (read its CDR)', source: 'ticket' },
  { ranges: [[0, 0]], action: 'accepted', meaning: 'accepted' },
  { ranges: [[2325, 2328], [2335, 2335]], action: 'stop_signature', meaning: 'certificate / signature' },
  // 2324 is 2223 for a voiding communication (RA): "ya fue presentado anteriormente".
  { ranges: [[1033, 1033], [2223, 2223], [2324, 2324], [4000, 4000]], action: 'already_registered', meaning: 'already registered' },
  { ranges: [[1032, 1032]], action: 'final', meaning: 'already voided / rejected' },
  { ranges: [[1079, 1079]], action: 'send_in_summary', meaning: 'boleta sent late: report it in the daily summary' },
  {
    ranges: [[101, 106], [111, 113], [154, 154], [1078, 1078]],
    action: 'stop_credentials',
    meaning: 'credentials / authorization',
  },
  {
    ranges: [[151, 161], [300, 306], [1034, 1036], [1049, 1049]],
    action: 'final_defect',
    meaning: 'bad zip / file / XML',
  },
  { ranges: [[100, 199], [200, 204], [250, 253], [307, 307]], action: 'retry', meaning: 'SUNAT cannot answer now' },
  // Other exceptions (document not received) are defects of what we sent: fix the code, the number is still free.
  { ranges: [[1, 99], [205, 299], [308, 1999]], action: 'final_defect', meaning: 'other exception: not received' },
  { ranges: [[2000, 3999]], action: 'rejected', meaning: 'rejected' },
  { ranges: [[4001, 9999]], action: 'accepted', meaning: 'accepted with observations' },
];

/** Failures that carry no SUNAT code: the transport decides. */
export type TransportClass =
  | 'network_before_send'
  | 'ambiguous'
  | 'http_error'
  | 'empty_body'
  | 'html_page'
  | 'unreadable'
  | 'codeless_fault';

export interface TransportRow {
  action: 'retry';
  /** True when the request may have reached SUNAT: reconcile with getStatusCdr before resending. */
  mayHaveLanded: boolean;
  meaning: string;
}

export const TRANSPORT_TABLE: Readonly<Record<TransportClass, TransportRow>> = {
  network_before_send: { action: 'retry', mayHaveLanded: false, meaning: 'refused / DNS / connect timeout: nothing sent' },
  ambiguous: { action: 'retry', mayHaveLanded: true, meaning: 'no answer after the request was written' },
  http_error: { action: 'retry', mayHaveLanded: true, meaning: 'HTTP error status (5xx)' },
  empty_body: { action: 'retry', mayHaveLanded: true, meaning: 'HTTP 200 with an empty body' },
  html_page: { action: 'retry', mayHaveLanded: true, meaning: 'HTML page instead of SOAP (proxy error)' },
  unreadable: { action: 'retry', mayHaveLanded: true, meaning: 'answer could not be read' },
  codeless_fault: { action: 'retry', mayHaveLanded: true, meaning: 'SOAP fault without a code' },
};

export interface Classification {
  code: string;
  action: FaultAction;
  meaning: string;
}

/** Four digits, or null when the text carries no number. */
export function normaliseCode(code: string | number | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  const m = /(\d+)\s*$/.exec(String(code).trim());
  if (!m) return null;
  const n = Number.parseInt(m[1], 10);
  if (!Number.isFinite(n) || n > 9999) return null;
  return String(n).padStart(4, '0');
}

/**
 * `soap-env:Client.0111` → "0111", `Server.200` → "0200". Some SUNAT faults put the code only in the
 * faultstring ("0306 - No se puede leer..." or just "1033"): use it when the faultcode has none.
 */
export function normaliseFaultCode(faultcode: string | null | undefined, faultstring?: string | null): string | null {
  const fromCode = faultcode ? /(?:^|[.:])(\d{1,4})\s*$/.exec(faultcode.trim()) : null;
  if (fromCode) return normaliseCode(fromCode[1]);
  if (faultstring) {
    const s = faultstring.trim();
    const whole = /^(\d{1,4})$/.exec(s);
    if (whole) return normaliseCode(whole[1]);
    const lead = /^(\d{4})\s*-/.exec(s);
    if (lead) return normaliseCode(lead[1]);
  }
  return null;
}

/** Classify a SUNAT code. Unknown input is treated as transient: the runner retries and a human looks. */
export function classifyCode(code: string | number, source: CodeSource = 'return'): Classification {
  const norm = normaliseCode(code);
  if (norm === null) return { code: String(code), action: 'retry', meaning: 'not a SUNAT code' };
  const n = Number.parseInt(norm, 10);
  for (const row of FAULT_TABLE) {
    if ((row.source ?? 'return') !== source) continue;
    if (row.ranges.some(([lo, hi]) => n >= lo && n <= hi)) return { code: norm, action: row.action, meaning: row.meaning };
  }
  return { code: norm, action: 'retry', meaning: 'code outside the table' };
}
