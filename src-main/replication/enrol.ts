// Joining a hub (`izisales hub join URL CODE`, Administración → Central): the one-time code goes to the hub with the
// series this till already used; the hub answers the till's identity, its token and the series it issues from now on.
// Then, in ONE transaction: the link (the token sealed), the `series` rows re-pointed (a series that changes starts at
// 1: it is a new series; one the hub let the till keep goes on from where it was), ALL the history put in the outbox
// (a till that sold before enrolling uploads it), and the audit entry. Every refusal — the hub unreachable, a bad,
// used or expired code (the hub's own message), already enrolled, another RUC — writes nothing here.
import type { Db } from '../db/connection';
import type { SecretStore } from '../secrets';
import { getSetting } from '../db/settings';
import { audit } from '../db/audit';
import { enrolRequest, enrolResponse, HUB_PATHS, hubTillUser, type EnrolResponse, type SeriesInUse } from '../../src-shared/hub-protocol';
import { hubBaseUrl, hubCall, HubFailure } from './http';
import { queueHubJob, readLink, sealToken } from './link';

export interface JoinDeps {
  db: Db;
  secrets: Pick<SecretStore, 'encrypt'>;
  now(): Date;
}

export interface JoinResult {
  url: string;
  terminalId: string;
  terminalName: string;
  store: EnrolResponse['store'];
  series: { documentType: string; series: string; previous: string | null; kept: boolean }[];
  /** Records put in the outbox: the history to upload. */
  history: number;
  /** Products of this till the hub added to its catalog (0: it held them all; null: an older hub). */
  catalogAdded: number | null;
  /**
   * This till's users the hub added to its Usuarios, and those it already held: on this till they take the hub's PIN
   * and role with the first pull (null: an older hub, which takes none).
   */
  users: { added: string[]; kept: string[] } | null;
}

/** The tables whose rows are the history, in the order they go up (what others refer to first). */
const HISTORY: [table: string, kind: string][] = [
  ['customers', 'customer'], ['cash_sessions', 'cash_session'], ['sales', 'sale'], ['notes', 'note'], ['documents', 'document'],
  ['cash_moves', 'cash_move'], ['collections', 'collection'], ['audit_log', 'audit'],
];

const CATALOG_PRODUCT = enrolRequest.shape.terminal.shape.catalog.unwrap().element;

const HISTORY_SQL = `INSERT INTO outbox (kind, ref) SELECT kind, ref FROM (${HISTORY.map(([table, kind], i) => `SELECT ${i} AS o, '${kind}' AS kind, id AS ref FROM ${table}`).join(' UNION ALL ')}) ORDER BY o, ref`;

export async function joinHub(
  deps: JoinDeps,
  input: { url: string; code: string; appVersion: string; userId: number | null; via: 'cli' | 'ui'; addSecret?: (v: string) => void },
): Promise<JoinResult> {
  const { db } = deps;
  const already = readLink(db);
  if (already) throw new HubFailure('refused', `Esta caja ya está inscrita en la central ${already.url} como ${already.terminal_name}; no se cambió nada.`);
  const url = hubBaseUrl(input.url);
  const store = getSetting(db, 'store');
  const terminal = getSetting(db, 'terminalId');
  const current = db.prepare('SELECT document_type, series, next_number FROM series WHERE terminal_id = ? ORDER BY document_type').all(terminal) as
    { document_type: string; series: string; next_number: number }[];
  const seriesInUse: SeriesInUse[] = current
    .filter((s) => /^(01|03|0[78]-0[13])$/.test(s.document_type))
    .map((s) => ({ documentType: s.document_type, series: s.series, nextNumber: s.next_number }));
  // The catalog goes along: a store's first till brings it to the hub (which keeps what it already holds).
  const catalog = (db.prepare('SELECT sku, barcode, name, unit_code, price, tax_affectation, is_bag, active FROM products ORDER BY id').all() as
    { sku: string; barcode: string | null; name: string; unit_code: string; price: string; tax_affectation: string; is_bag: number; active: number }[])
    .map((p) => ({ code: p.sku, barcode: p.barcode, name: p.name, unit: p.unit_code, price: p.price, taxAffectation: p.tax_affectation, isBag: p.is_bag === 1, active: p.active === 1 }))
    .filter((p) => CATALOG_PRODUCT.safeParse(p).success); // one odd row never stops the enrolment
  // And its users, with their PIN hashes (never the PINs): a store's first till brings them to the hub's Usuarios.
  const users = (db.prepare('SELECT username, name, role, pin_hash, active FROM users ORDER BY id').all() as
    { username: string; name: string; role: string; pin_hash: string; active: number }[])
    .map((u) => ({ username: u.username, name: u.name, role: u.role, pinHash: u.pin_hash, active: u.active === 1 }))
    .filter((u) => hubTillUser.safeParse(u).success);
  const request = enrolRequest.safeParse({ code: input.code, terminal: { ruc: store.ruc || null, appVersion: input.appVersion, seriesInUse, catalog, users } });
  if (!request.success) throw new HubFailure('invalid', 'El código de inscripción no es válido: cópielo tal como lo muestra la central (6 a 40 caracteres).');

  const answer = await hubCall({ baseUrl: url, path: HUB_PATHS.enrol, method: 'POST', body: request.data, answer: enrolResponse });
  input.addSecret?.(answer.token);
  if (store.ruc && answer.store.ruc !== store.ruc) {
    throw new HubFailure('refused', `La central asignó esta caja a la tienda del RUC ${answer.store.ruc}, pero esta caja emite con el RUC ${store.ruc}. Inscríbala en una tienda de su RUC; no se cambió nada.`);
  }

  const now = deps.now();
  const joinedUsers = answer.usersAdded && answer.usersKept ? { added: answer.usersAdded, kept: answer.usersKept } : null;
  const series: JoinResult['series'] = [];
  let history = 0;
  db.tx(() => {
    if (readLink(db)) throw new HubFailure('refused', 'Esta caja se inscribió en una central mientras tanto; no se cambió nada.');
    db.prepare(
      `INSERT INTO hub_link (id, url, terminal_id, terminal_name, store_ruc, store_establishment, store_name, token_sealed, enrolled_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(url, answer.terminalId, answer.terminalName, answer.store.ruc, answer.store.establishment, answer.store.name, sealToken(deps.secrets, answer.token), now.toISOString());
    const find = db.prepare('SELECT series FROM series WHERE terminal_id = ? AND document_type = ?');
    const taken = db.prepare('SELECT terminal_id, document_type FROM series WHERE series = ?');
    const repoint = db.prepare('UPDATE series SET series = ?, next_number = 1 WHERE terminal_id = ? AND document_type = ?');
    const add = db.prepare('INSERT INTO series (terminal_id, document_type, series, next_number) VALUES (?, ?, ?, 1)');
    for (const s of answer.series) {
      const had = find.get(terminal, s.documentType) as { series: string } | undefined;
      if (had?.series === s.series) {
        series.push({ documentType: s.documentType, series: s.series, previous: had.series, kept: true });
        continue;
      }
      const holder = taken.get(s.series) as { terminal_id: string; document_type: string } | undefined;
      if (holder) throw new HubFailure('refused', `La central asignó la serie ${s.series}, que en esta caja ya es de ${holder.terminal_id} (${holder.document_type}); no se cambió nada.`);
      if (had) repoint.run(s.series, terminal, s.documentType);
      else add.run(terminal, s.documentType, s.series);
      series.push({ documentType: s.documentType, series: s.series, previous: had?.series ?? null, kept: false });
    }
    history = db.prepare(HISTORY_SQL).run().changes;
    audit(db, now, input.userId, 'hub.join', 'hub', answer.terminalId, {
      url, terminalName: answer.terminalName, store: answer.store, series, history, catalogAdded: answer.catalogAdded ?? null, users: joinedUsers, via: input.via,
    });
    queueHubJob(db, now, 'hub.push');
    queueHubJob(db, now, 'hub.pull');
  });
  return { url, terminalId: answer.terminalId, terminalName: answer.terminalName, store: answer.store, series, history, catalogAdded: answer.catalogAdded ?? null, users: joinedUsers };
}
