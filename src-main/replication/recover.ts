// After a restore (a backup from yesterday put back, or any copy older than what the hub holds), the till asks the
// hub for its own records back (`own`) and moves on past everything the hub saw from it, in ONE transaction:
// - its numbering: each of its series continues after the highest number the hub holds in it, so no number is
//   issued twice (a number reused would be a second document under one number, for SUNAT and for the hub);
// - its outbox sequence: continues after the hub's appliedSeq, so a change made from now on outranks every version
//   the hub holds (the hub keeps the highest version of a record: a lower one would be ignored).
// What the copy already had goes up again and changes nothing on the hub (same uid, same or lower version).
// The records the copy lacks stay on the hub, counted here (they are not rebuilt into this till's tables).
import type { Db } from '../db/connection';
import { HUB_BATCH_MAX, HUB_PATHS, ownResponse, type HubRecordKind } from '../../src-shared/hub-protocol';
import { audit } from '../db/audit';
import { hubCall } from './http';
import { openToken, readLink } from './link';
import type { HubDeps } from './push';

/** The local table of each kind (the uid is what matches). */
const TABLE: Record<HubRecordKind, string> = {
  sale: 'sales', note: 'notes', document: 'documents', cash_session: 'cash_sessions', cash_move: 'cash_moves',
  collection: 'collections', customer: 'customers', audit: 'audit_log',
};

export interface RecoverResult {
  /** Records the hub holds from this till, and how many of them this database lacks. */
  records: number;
  lacking: number;
  appliedSeq: number;
  /** Series moved forward: from the next number the copy had to the one after the hub's highest. */
  series: { series: string; from: number; to: number }[];
  /** The outbox sequence moved forward to the hub's appliedSeq (null: it was already past it). */
  outboxFrom: number | null;
}

/** The highest outbox seq this database ever gave (AUTOINCREMENT keeps it even when the rows are gone). */
export function outboxTop(db: Db): number {
  const r = db.prepare(`SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0), coalesce((SELECT max(seq) FROM outbox), 0)) AS top`).get() as { top: number };
  return r.top;
}

export async function recoverFromHub(deps: HubDeps, opts: { via: 'cli' | 'ui' | 'push' }): Promise<RecoverResult> {
  const { db } = deps;
  const link = readLink(db);
  if (!link) throw new Error('Esta caja no está inscrita en una central.');
  const token = openToken(deps.secrets, link);
  const highest = new Map<string, number>();
  const lackingByKind = new Map<string, number>();
  let records = 0;
  let lacking = 0;
  let appliedSeq = 0;
  // One look-up of every kind's uid: a record is lacking when its table has no row with it.
  const has = db.prepare(`SELECT coalesce(${Object.entries(TABLE).map(([k, t]) => `CASE WHEN @kind = '${k}' THEN EXISTS (SELECT 1 FROM ${t} WHERE uid = @uid) END`).join(', ')}) AS found`);
  const found = (kind: string, uid: string) => (has.get({ kind, uid }) as { found: number | null }).found === 1;
  for (let after = 0; ;) {
    const page = await hubCall({ baseUrl: link.url, path: `${HUB_PATHS.own}?after=${after}&limit=${HUB_BATCH_MAX}`, method: 'GET', token, answer: ownResponse });
    appliedSeq = Math.max(appliedSeq, page.appliedSeq);
    for (const r of page.records) {
      records++;
      if (r.kind === 'sale' || r.kind === 'note') highest.set(r.head.series, Math.max(highest.get(r.head.series) ?? 0, r.head.correlative));
      if (!found(r.kind, r.uid)) {
        lacking++;
        lackingByKind.set(r.kind, (lackingByKind.get(r.kind) ?? 0) + 1);
      }
    }
    if (!page.more || page.lastSeq <= after) break;
    after = page.lastSeq;
  }
  const result: RecoverResult = { records, lacking, appliedSeq, series: [], outboxFrom: null };
  db.tx(() => {
    const rows = db.prepare('SELECT terminal_id, document_type, series, next_number FROM series').all() as
      { terminal_id: string; document_type: string; series: string; next_number: number }[];
    const bump = db.prepare('UPDATE series SET next_number = ? WHERE terminal_id = ? AND document_type = ? AND next_number < ?');
    for (const s of rows) {
      const seen = highest.get(s.series);
      if (seen === undefined || seen < s.next_number) continue;
      bump.run(seen + 1, s.terminal_id, s.document_type, seen + 1);
      result.series.push({ series: s.series, from: s.next_number, to: seen + 1 });
    }
    const top = outboxTop(db);
    if (appliedSeq > top) {
      // The row exists once the outbox took a row; a database that never had one gets it.
      const moved = db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'`).run(appliedSeq).changes;
      if (moved === 0) db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)`).run(appliedSeq);
      result.outboxFrom = top;
    }
    audit(db, deps.now(), null, 'hub.recover', 'hub', link.terminal_id, {
      records, lacking, lackingByKind: Object.fromEntries(lackingByKind), appliedSeq, series: result.series, outboxFrom: result.outboxFrom, via: opts.via,
    });
  });
  return result;
}
