// Before a receipt takes its number: the PC's clock must be one SUNAT would accept (issue 17 item 5). Called inside
// the transaction that takes the number, so a refusal writes nothing and the number is not spent.
import type { Db } from '../db/connection';
import { clockState } from '../db/settings-clock';
import { ruleError } from '../errors';
import { clockVerdict } from '../../src-shared/clock-trust';
import { documentFileName } from '../../src-shared/documents';

/** Refuses (rule error, Spanish) a receipt the clock would date wrong: far off the trusted time, or before the previous. */
export function assertClockAllows(db: Db, now: Date, receipt: { ruc: string; documentType: string; series: string; correlative: number }): void {
  let previousIssueDate: string | null = null;
  if (receipt.correlative > 1) {
    const prev = documentFileName(receipt.ruc, receipt.documentType, receipt.series, receipt.correlative - 1);
    const row = db.prepare('SELECT issue_date FROM documents WHERE file_name = ?').get(prev) as { issue_date: string } | undefined;
    previousIssueDate = row?.issue_date ?? null;
  }
  const v = clockVerdict({ now, ...clockState(db), previousIssueDate });
  if (v.level === 'block') throw ruleError(v.message!);
}
