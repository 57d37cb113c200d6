// The terminal's enrolment in a hub (migration 016 `hub_link`, one row or none) and what the screens show of it.
// The token is kept sealed by the app's SecretStore, as the SOL password is, and opened only to call the hub.
import type { Db } from '../db/connection';
import type { SecretStore } from '../secrets';
import { enqueue, PRIORITY } from '../jobs/queue';
import type { HubStatusView } from '../../src-shared/contract';
import { getSetting } from '../db/settings';

export interface HubLink {
  url: string;
  terminal_id: string;
  terminal_name: string;
  store_ruc: string;
  store_establishment: string;
  store_name: string;
  token_sealed: string;
  enrolled_at: string;
  pulled_seq: number;
  last_push_at: string | null;
  last_pull_at: string | null;
  last_error: string | null;
}

export function readLink(db: Db): HubLink | null {
  return (db.prepare('SELECT * FROM hub_link WHERE id = 1').get() as HubLink | undefined) ?? null;
}

export function sealToken(secrets: Pick<SecretStore, 'encrypt'>, token: string): string {
  return Buffer.from(secrets.encrypt(Buffer.from(token, 'utf8'))).toString('base64');
}

export function openToken(secrets: Pick<SecretStore, 'decrypt'>, link: HubLink): string {
  return Buffer.from(secrets.decrypt(Buffer.from(link.token_sealed, 'base64'))).toString('utf8');
}

/** The outcome of a push or pull for the status screen: when it last went through, and the last problem (null: none). */
export function noteContact(db: Db, at: Date, what: 'push' | 'pull', error: string | null): void {
  const column = what === 'push' ? 'last_push_at' : 'last_pull_at';
  // Not fsynced: a last contact a power cut takes back is written again at the next contact.
  db.tx(() => {
    if (error === null) db.prepare(`UPDATE hub_link SET ${column} = ?, last_error = NULL WHERE id = 1`).run(at.toISOString());
    else db.prepare('UPDATE hub_link SET last_error = ? WHERE id = 1').run(error);
  }, { relaxed: true });
}

export const HUB_JOB_KINDS = ['hub.push', 'hub.pull'] as const;
export type HubJobKind = (typeof HUB_JOB_KINDS)[number];
export const isHubJobKind = (kind: string): kind is HubJobKind => (HUB_JOB_KINDS as readonly string[]).includes(kind);

/**
 * Queues a push or a pull unless one is already waiting: one of each at a time, held by the idempotency key that is
 * the kind itself. A job that ended keeps its row but gives the key up here (renamed `kind#id`), so the next one can
 * take it. Nothing is written for a terminal that is not enrolled. Call inside a transaction (or it is its own).
 */
export function queueHubJob(db: Db, at: Date, kind: HubJobKind, runAt?: Date): number | null {
  if (!db.prepare('SELECT 1 FROM hub_link WHERE id = 1').get()) return null;
  db.prepare(
    `UPDATE jobs SET idempotency_key = idempotency_key || '#' || id
     WHERE idempotency_key = ? AND state IN ('succeeded', 'failed', 'cancelled')`,
  ).run(kind);
  return enqueue(db, at, { kind, idempotencyKey: kind, priority: PRIORITY.backlog, maxAttempts: 5, runAt });
}

/** Gives a finishing hub job's key up in the transaction that records its end (the next one may then be queued). */
export function releaseHubJobKey(db: Db, jobId: number): void {
  db.prepare(`UPDATE jobs SET idempotency_key = idempotency_key || '#' || id WHERE id = ? AND idempotency_key IN ('hub.push', 'hub.pull')`).run(jobId);
}

/** Whether anything waits in the outbox (one row read, where `backlog` counts them all). */
export function hasBacklog(db: Db): boolean {
  return db.prepare('SELECT 1 FROM outbox LIMIT 1').get() !== undefined;
}

export function backlog(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
}

export function hubStatus(db: Db): HubStatusView {
  const l = readLink(db);
  if (!l) return { enrolled: false, url: null, terminalName: null, store: null, series: [], backlog: 0, lastPushAt: null, lastPullAt: null, lastError: null };
  const series = db.prepare('SELECT document_type AS documentType, series, next_number AS nextNumber FROM series WHERE terminal_id = ? ORDER BY document_type')
    .all(getSetting(db, 'terminalId')) as HubStatusView['series'];
  return {
    enrolled: true, url: l.url, terminalName: l.terminal_name,
    store: { ruc: l.store_ruc, establishment: l.store_establishment, name: l.store_name }, series,
    backlog: backlog(db), lastPushAt: l.last_push_at, lastPullAt: l.last_pull_at, lastError: l.last_error,
  };
}

/**
 * After each sale (app.afterSale), SUNAT's answers and each call a person makes (app.afterCall): a push is queued a
 * moment later when the outbox holds something, off the checkout — the hook only arms a timer, so the sale answers
 * first, and a burst queues one push. On a till that never enrolled, or with nothing to send, it reads one row.
 */
export function hubWake(db: Db, now: () => Date, kick: () => void, delayMs = 250): { hook: () => void; stop: () => void } {
  let timer: NodeJS.Timeout | null = null;
  const fire = () => {
    timer = null;
    try {
      if (!readLink(db) || !hasBacklog(db)) return;
      // Not fsynced: a queued push a power cut takes back is queued again by the scheduler's minute.
      db.tx(() => queueHubJob(db, now(), 'hub.push'), { relaxed: true });
      kick();
    } catch {
      // a busy or closed database: the scheduler's minute queues it
    }
  };
  return {
    hook: () => {
      if (timer) return;
      timer = setTimeout(fire, delayMs);
      timer.unref?.();
    },
    stop: () => {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
