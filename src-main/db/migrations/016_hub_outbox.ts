// 016: the terminal's side of the hub (issue 16). Every record the terminal creates and replicates gets a `uid` (32
// lowercase hex, random, set at insert and never changed) so the hub keys it by (terminal, kind, uid) whatever local
// ids a restored backup reuses. Rows already there get one now. New rows get one from the INSERT itself (the
// checkout's own statements) or, for every other writer, from an AFTER INSERT trigger that fills a missing one.
//
// `hub_link` is the enrolment (one row; absent: the terminal never joined a hub) and `outbox` the changes still to
// upload: a row per insert or meaningful update of a replicated table, written by triggers in the change's own
// transaction — only while a hub_link row exists, so a terminal that never enrols pays one probe of an empty table.
const UID = `lower(hex(randomblob(16)))`;

/** table → [outbox kind, the columns whose change is worth a new version (none: inserts only)]. */
const REPLICATED: [table: string, kind: string, updates: string[]][] = [
  ['sales', 'sale', ['status']],
  ['notes', 'note', []],
  ['documents', 'document', ['status', 'xml', 'cdr_code', 'by_summary']],
  ['cash_sessions', 'cash_session', ['closed_at', 'z_report']],
  ['cash_moves', 'cash_move', []],
  ['collections', 'collection', []],
  ['customers', 'customer', ['doc_type', 'doc_number', 'name', 'address', 'email']],
  ['audit_log', 'audit', []],
];

const LINKED = `EXISTS (SELECT 1 FROM hub_link)`;

/** A kept Z report may not change (migration 008): its trigger steps aside while the sessions get their uid. */
const Z_KEPT = `CREATE TRIGGER cash_sessions_z_kept BEFORE UPDATE ON cash_sessions
WHEN OLD.z_report IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'cash_sessions: a closed session and its Z report are kept as they are');
END;`;

function backfill(table: string): string {
  const update = `UPDATE ${table} SET uid = ${UID};`;
  return table === 'cash_sessions' ? `DROP TRIGGER cash_sessions_z_kept;\n${update}\n${Z_KEPT}` : update;
}

function perTable([table, kind, updates]: (typeof REPLICATED)[number]): string {
  const changed = updates.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ');
  return `
ALTER TABLE ${table} ADD COLUMN uid TEXT;
${backfill(table)}
CREATE UNIQUE INDEX ${table}_uid ON ${table}(uid);
CREATE TRIGGER ${table}_uid AFTER INSERT ON ${table} WHEN new.uid IS NULL
BEGIN
  UPDATE ${table} SET uid = ${UID} WHERE id = new.id;
END;
CREATE TRIGGER ${table}_outbox_insert AFTER INSERT ON ${table} WHEN ${LINKED}
BEGIN
  INSERT INTO outbox (kind, ref) VALUES ('${kind}', new.id);
END;
${updates.length === 0 ? '' : `CREATE TRIGGER ${table}_outbox_update AFTER UPDATE OF ${updates.join(', ')} ON ${table}
WHEN (${changed}) AND ${LINKED}
BEGIN
  INSERT INTO outbox (kind, ref) VALUES ('${kind}', new.id);
END;`}`;
}

export const sql = `
CREATE TABLE hub_link (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  url TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  terminal_name TEXT NOT NULL,
  store_ruc TEXT NOT NULL,
  store_establishment TEXT NOT NULL,
  store_name TEXT NOT NULL,
  token_sealed TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  pulled_seq INTEGER NOT NULL DEFAULT 0,
  last_push_at TEXT,
  last_pull_at TEXT,
  last_error TEXT
);
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  ref INTEGER NOT NULL
);
${REPLICATED.map(perTable).join('')}
`;
