// Enrolment: a terminal trades its one-time code for its identity, a token (the hub keeps only its SHA-256) and
// its document series. Series are per RUC: a terminal keeps a series it already issued from when no other terminal
// of the RUC holds it; otherwise, and for the keys it never used, it gets the next free one of the RUC, recorded in
// series_allocations (primary key ruc + series), so no series is ever given to two terminals.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { HUB_PROTOCOL_VERSION, type EnrolRequest, type EnrolResponse } from '../../src-shared/hub-protocol';
import { Dec } from '../../src-shared/decimal';
import type { HubDb } from './db';
import { normaliseCode, sha256 } from './admin';
import { HubRefusal } from './refusal';

/** Each key of the terminal's `series` table, and how the hub names a new series of it. */
export const SERIES_KEYS: ReadonlyArray<{ documentType: EnrolResponse['series'][number]['documentType']; prefix: string; digits: number }> = [
  { documentType: '01', prefix: 'F', digits: 3 },
  { documentType: '03', prefix: 'B', digits: 3 },
  { documentType: '07-01', prefix: 'FC', digits: 2 },
  { documentType: '07-03', prefix: 'BC', digits: 2 },
  { documentType: '08-01', prefix: 'FD', digits: 2 },
  { documentType: '08-03', prefix: 'BD', digits: 2 },
];

export async function enrol(db: HubDb, req: EnrolRequest): Promise<EnrolResponse> {
  const codeHash = sha256(normaliseCode(req.code));
  return db.transaction().execute(async (tx) => {
    const code = await tx.selectFrom('enrolment_codes')
      .select(['terminal_id', 'used_at', sql<boolean>`expires_at <= now()`.as('expired')])
      .where('code_hash', '=', codeHash).forUpdate().executeTakeFirst();
    if (!code) throw new HubRefusal(401, 'codigo_no_valido', 'Código de registro no válido: revíselo o pida uno nuevo en la central.');
    if (code.used_at) throw new HubRefusal(409, 'codigo_usado', 'Este código de registro ya se usó: pida uno nuevo en la central.');
    if (code.expired) throw new HubRefusal(410, 'codigo_vencido', 'Este código de registro venció (dura 7 días): pida uno nuevo en la central.');
    const terminal = await tx.selectFrom('terminals as t').innerJoin('stores as s', 's.id', 't.store_id')
      .select(['t.id', 't.name', 's.ruc', 's.establishment', 's.name as storeName', 's.address'])
      .where('t.id', '=', code.terminal_id).executeTakeFirstOrThrow();
    if (req.terminal.ruc !== null && req.terminal.ruc !== terminal.ruc) {
      throw new HubRefusal(400, 'ruc_distinto',
        `Esta caja está configurada con el RUC ${req.terminal.ruc} y el código es de la tienda con RUC ${terminal.ruc}: use un código de su tienda.`);
    }

    // One enrolment of a RUC at a time decides its free series.
    await sql`select pg_advisory_xact_lock(hashtext(${`series:${terminal.ruc}`}))`.execute(tx);
    const taken = await tx.selectFrom('series_allocations').select(['series', 'terminal_id', 'document_type'])
      .where('ruc', '=', terminal.ruc).execute();
    const held = new Map(taken.map((r) => [r.series, r.terminal_id]));
    const series: EnrolResponse['series'] = [];
    for (const key of SERIES_KEYS) {
      // Enrolled before (a reinstalled till): it keeps what it was given.
      const mine = taken.find((r) => r.terminal_id === terminal.id && r.document_type === key.documentType);
      if (mine) {
        series.push({ documentType: key.documentType, series: mine.series });
        continue;
      }
      const used = req.terminal.seriesInUse.find((s) => s.documentType === key.documentType && s.nextNumber > 1 && !held.has(s.series));
      const chosen = used?.series ?? nextFree(key, held);
      if (!chosen) throw new HubRefusal(409, 'sin_series', `No quedan series libres de ${key.prefix} para el RUC ${terminal.ruc}.`);
      await tx.insertInto('series_allocations')
        .values({ ruc: terminal.ruc, document_type: key.documentType, series: chosen, terminal_id: terminal.id, kept: Boolean(used) })
        .execute();
      held.set(chosen, terminal.id);
      series.push({ documentType: key.documentType, series: chosen });
    }

    const catalogAdded = await addTillCatalog(tx, req.terminal.catalog ?? []);
    const users = await addTillUsers(tx, req.terminal.users ?? []);
    const token = randomBytes(32).toString('base64url');
    await tx.updateTable('terminals')
      .set({ token_hash: sha256(token), enrolled_at: sql`now()`, last_contact: sql`now()`, app_version: req.terminal.appVersion })
      .where('id', '=', terminal.id).execute();
    await tx.updateTable('enrolment_codes').set({ used_at: sql`now()` }).where('code_hash', '=', codeHash).execute();
    return {
      protocol: HUB_PROTOCOL_VERSION, terminalId: terminal.id, terminalName: terminal.name, token,
      store: { ruc: terminal.ruc, establishment: terminal.establishment, name: terminal.storeName, address: terminal.address },
      series, catalogAdded, usersAdded: users.added, usersKept: users.kept,
    };
  });
}

/**
 * A till's catalog as it enrols: the products whose code and barcode the hub does not hold yet are added (a store's
 * first till brings its catalog to the hub's Catálogo, where the manager then changes a price once for every till);
 * what the hub holds stays as it is — it owns the catalog — and the till takes it on its first pull.
 */
async function addTillCatalog(tx: HubDb, catalog: NonNullable<EnrolRequest['terminal']['catalog']>): Promise<number> {
  if (catalog.length === 0) return 0;
  // One enrolment at a time decides what is new (two tills of two stores enrolling at once).
  await sql`select pg_advisory_xact_lock(hashtext('catalog'))`.execute(tx);
  const held = await tx.selectFrom('products').select(['code', 'barcode']).execute();
  const codes = new Set(held.map((p) => p.code));
  const barcodes = new Set(held.flatMap((p) => (p.barcode ? [p.barcode] : [])));
  const rows = [];
  for (const p of catalog) {
    if (codes.has(p.code) || (p.barcode && barcodes.has(p.barcode))) continue;
    codes.add(p.code);
    if (p.barcode) barcodes.add(p.barcode);
    rows.push({
      code: p.code, barcode: p.barcode, name: p.name, unit: p.unit, price_cents: Dec.of(p.price).toCents(),
      tax_affectation: p.taxAffectation, is_bag: p.isBag, active: p.active,
    });
  }
  // 8 parameters a row: batches well under PostgreSQL's 65,535.
  for (let i = 0; i < rows.length; i += 2000) {
    await tx.insertInto('products').values(rows.slice(i, i + 2000)).onConflict((oc) => oc.doNothing()).execute();
  }
  return rows.length;
}

/**
 * A till's users as it enrols, the catalog's rule: the usernames the hub does not hold yet are added with their PIN
 * hash and role (a store's first till brings its people to the hub's Usuarios, where they are managed from then on);
 * a username the hub holds stays the hub's, and on the till it takes the hub's PIN and role with the first pull —
 * the join says which, so the admin can tell those cashiers. The PIN travels only as its hash.
 */
async function addTillUsers(tx: HubDb, users: NonNullable<EnrolRequest['terminal']['users']>): Promise<{ added: string[]; kept: string[] }> {
  if (users.length === 0) return { added: [], kept: [] };
  await sql`select pg_advisory_xact_lock(hashtext('users'))`.execute(tx);
  const held = new Set((await tx.selectFrom('users').select('username').execute()).map((u) => u.username));
  const added: string[] = [];
  const kept: string[] = [];
  const rows = [];
  for (const u of users) {
    if (held.has(u.username)) {
      kept.push(u.username);
      continue;
    }
    held.add(u.username);
    added.push(u.username);
    rows.push({ username: u.username, name: u.name, role: u.role, pin_hash: u.pinHash, active: u.active });
  }
  if (rows.length > 0) await tx.insertInto('users').values(rows).onConflict((oc) => oc.doNothing()).execute();
  return { added, kept };
}

/**
 * The free series of a key, in order: the digits first (B001…B999; FC01…FC99), then, for the notes' two-character
 * tail, letters and digits (FC0A…FCZZ: SUNAT's series are the letter and three characters of A–Z, 0–9), so a RUC
 * can enrol as many terminals as its boleta series allow (999), not 99.
 */
export function* seriesCandidates(key: { prefix: string; digits: number }): Generator<string> {
  const max = 10 ** key.digits;
  for (let n = 1; n < max; n++) yield `${key.prefix}${String(n).padStart(key.digits, '0')}`;
  if (key.digits !== 2) return;
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const a of chars) for (const b of chars) if (!/^\d\d$/.test(a + b)) yield `${key.prefix}${a}${b}`;
}

function nextFree(key: (typeof SERIES_KEYS)[number], held: Map<string, string>): string | null {
  for (const s of seriesCandidates(key)) if (!held.has(s)) return s;
  return null;
}

/** The terminal a bearer token belongs to, or a 401. */
export async function terminalOfToken(db: HubDb, authorization: string | undefined): Promise<{ id: string; ruc: string; name: string }> {
  const m = /^Bearer ([A-Za-z0-9_-]{32,})$/.exec(authorization ?? '');
  if (!m) throw new HubRefusal(401, 'sin_token', 'Falta el token de la caja: vuelva a registrarla en la central.');
  const t = await db.selectFrom('terminals as t').innerJoin('stores as s', 's.id', 't.store_id')
    .select(['t.id', 's.ruc', 't.name']).where('t.token_hash', '=', sha256(m[1])).executeTakeFirst();
  if (!t) throw new HubRefusal(401, 'token_no_valido', 'La central no reconoce el token de esta caja: vuelva a registrarla con un código nuevo.');
  return t;
}
