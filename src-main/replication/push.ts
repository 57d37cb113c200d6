// hub.push: the outbox goes up in seq order. Each batch is built after the commits it covers (records.ts), sent with
// the bearer token, and on the hub's answer the rows up to the sequence it applied are deleted in one transaction —
// never before: a batch lost on the way (no answer, a 500, a dropped connection) stays whole and is sent again, and
// the hub's idempotent upserts make the second copy change nothing. A hub that applied less than it was sent
// (`appliedSeq` below `toSeq`) keeps the rest here for the next batch.
import type { Db } from '../db/connection';
import type { SecretStore } from '../secrets';
import { HUB_PATHS, pushRequest, pushResponse } from '../../src-shared/hub-protocol';
import { hubCall, HubFailure } from './http';
import { hasBacklog, noteContact, openToken, readLink } from './link';
import { readBatch } from './records';
import { recordHubTime } from '../db/settings-clock';
import { outboxTop, recoverFromHub } from './recover';

export interface HubDeps {
  db: Db;
  secrets: Pick<SecretStore, 'decrypt'>;
  now(): Date;
}

export interface PushResult {
  batches: number;
  records: number;
  /** The outbox still holds rows (more than one run sends, or rows the hub did not apply). */
  more: boolean;
  serverTime: string | null;
}

/** Sends batches until the outbox is empty or `maxBatches` went up; throws HubFailure (nothing deleted for that batch). */
export async function pushOutbox(deps: HubDeps, opts: { maxBatches?: number; batchMax?: number; batchBytes?: number } = {}): Promise<PushResult> {
  const { db } = deps;
  const link = readLink(db);
  if (!link) throw new HubFailure('refused', 'Esta caja no está inscrita en una central.');
  const token = openToken(deps.secrets, link);
  const out: PushResult = { batches: 0, records: 0, more: false, serverTime: null };
  const drop = db.prepare('DELETE FROM outbox WHERE seq <= ?');
  const left = db.prepare('SELECT count(*) AS n FROM outbox WHERE seq > ?');
  try {
    for (let i = 0; i < (opts.maxBatches ?? 20); i++) {
      const batch = readBatch(db, opts.batchMax, opts.batchBytes);
      if (!batch) break;
      const backlog = (left.get(batch.toSeq) as { n: number }).n;
      const body = pushRequest.parse({ terminalId: link.terminal_id, ...batch, backlog });
      const answer = await hubCall({ baseUrl: link.url, path: HUB_PATHS.push, method: 'POST', body, token, answer: pushResponse });
      const upTo = Math.min(answer.appliedSeq, batch.toSeq);
      // Not fsynced (docs/ARCHITECTURE.md, "Durability"): rows a power cut brings back go up again and change nothing.
      db.tx(() => drop.run(upTo), { relaxed: true });
      // The hub has applied more of this till than this database ever numbered: it was restored from an older copy
      // (by hand, or before it could ask): numbering and outbox move past what the hub saw before going on.
      if (answer.appliedSeq > outboxTop(db)) await recoverFromHub(deps, { via: 'push' });
      out.batches++;
      out.records += batch.records.length;
      out.serverTime = answer.serverTime;
      // Nothing of this batch applied: sending it again at once would loop; the job waits and tries later.
      if (answer.appliedSeq < batch.fromSeq) throw new HubFailure('network', `La central no aplicó el lote ${batch.fromSeq}–${batch.toSeq}; se reintentará.`);
    }
  } catch (e) {
    noteContact(db, deps.now(), 'push', (e as Error).message);
    throw e;
  }
  out.more = hasBacklog(db);
  noteContact(db, deps.now(), 'push', null);
  if (out.serverTime) recordHubTime(db, out.serverTime, deps.now());
  return out;
}
