// Once this till is enrolled in a hub (issue 16 item 4), the hub is the source of truth for the catalog (products,
// prices, barcodes, tax affectation), the users (PINs, roles) and the store's settings and tax rates: a local edit
// would be overwritten by the next change the hub sends, or would never reach the other tills. Every local writer of
// those (pos/admin.ts, pos/catalog.ts, pos/users.ts, pos/catalog-csv.ts, settings-change.ts planSettings) asks here
// first; what the hub sends (replication/pull.ts) writes them by its own statements. Customers stay local (a customer
// created at the counter is uploaded and merged by document number).
import type { Db } from './connection';
import { ruleError } from '../errors';
import { hubOwnedMessage, type HubOwned } from '../../src-shared/hub-owned';
import type { AppStatus } from '../../src-shared/contract';

/** The hub this till is enrolled in (its URL), or null: not enrolled, everything is edited here. */
export function hubOwnerUrl(db: Db): string | null {
  return (db.prepare('SELECT url FROM hub_link WHERE id = 1').get() as { url: string } | undefined)?.url ?? null;
}

/** What the status bar says of the hub (null: not enrolled): its name there, the last contact failed, rows to upload. */
export function hubBar(db: Db): AppStatus['hub'] {
  const l = db.prepare('SELECT terminal_name, last_error FROM hub_link WHERE id = 1').get() as { terminal_name: string; last_error: string | null } | undefined;
  if (!l) return null;
  const { n } = db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number };
  return { terminalName: l.terminal_name, unreachable: l.last_error !== null, backlog: n };
}

/** Refuses (rule error, nothing written) a local edit of what the hub owns once this till is enrolled. */
export function assertNotHubOwned(db: Db, what: HubOwned): void {
  const url = hubOwnerUrl(db);
  if (url !== null) throw ruleError(hubOwnedMessage(url, what));
}
