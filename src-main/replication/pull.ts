// hub.pull: what the hub owns once the terminal is enrolled — products (by code = sku), users (by username),
// customers (by document) and store settings (by key) — fetched after the last hub seq applied and applied in ONE
// transaction with the new `pulled_seq`, so a crash leaves either the whole batch or none of it. Sales keep the
// price they were rung up at: their lines hold it; only the catalog changes. Settings go through the same checks as
// an admin's change (the contract's schema, then settings-change.ts planSettings), audited as coming from the hub;
// only the keys the hub owns (settings-change.ts HUB_SETTINGS: the store, tax rates, the store's rules) are taken —
// this till's own (its id, series, SUNAT credentials and mode, printer, schedule) never. A change
// that fails its checks is skipped and reported, so one bad row cannot stop the feed.
import type { Db } from '../db/connection';
import { HUB_BATCH_MAX, HUB_PATHS, pullResponse, type HubChange } from '../../src-shared/hub-protocol';
import { settingsPatchInput } from '../../src-shared/contract';
import { Dec } from '../../src-shared/decimal';
import { TAX_AFFECTATIONS } from '../../src-shared/tax';
import { audit } from '../db/audit';
import { HUB_SETTINGS, planSettings } from '../db/settings-change';
import { hubCall } from './http';
import { noteContact, openToken, readLink } from './link';
import type { HubDeps } from './push';


export interface PullResult {
  applied: number;
  skipped: { key: string; reason: string }[];
  lastSeq: number;
  more: boolean;
}

function statements(db: Db) {
  return {
    productFind: db.prepare('SELECT id FROM products WHERE sku = ?'),
    barcodeFree: db.prepare('UPDATE products SET barcode = NULL WHERE barcode = ? AND sku <> ?'),
    productUpdate: db.prepare(
      `UPDATE products SET barcode = ?, name = ?, unit_code = ?, price = ?, tax_affectation = ?, is_bag = ?, active = ?, updated_at = ? WHERE id = ?`,
    ),
    productInsert: db.prepare(
      `INSERT INTO products (sku, barcode, name, unit_code, price, tax_affectation, is_bag, active, created_at, updated_at)
       VALUES (?,?,?,?,?,?,?,?,?,?)`,
    ),
    userUpsert: db.prepare(
      `INSERT INTO users (username, name, role, pin_hash, active, created_at) VALUES (?,?,?,?,?,?)
       ON CONFLICT (username) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash, active = excluded.active`,
    ),
    customerUpsert: db.prepare(
      `INSERT INTO customers (doc_type, doc_number, name, address, created_at) VALUES (?,?,?,?,?)
       ON CONFLICT (doc_type, doc_number) DO UPDATE SET name = excluded.name, address = excluded.address
       WHERE customers.name IS NOT excluded.name OR customers.address IS NOT excluded.address`,
    ),
    outboxTop: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM outbox'),
    // A customer written here came from the hub: its outbox rows would only send it back.
    outboxEcho: db.prepare(`DELETE FROM outbox WHERE seq > ? AND kind = 'customer'`),
    pulled: db.prepare('UPDATE hub_link SET pulled_seq = ?, last_pull_at = ?, last_error = NULL WHERE id = 1'),
  };
}
type Statements = ReturnType<typeof statements>;

/** A product change's problem, in Spanish, or null. */
function productProblem(d: Extract<HubChange, { entity: 'product' }>['data']): string | null {
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(d.price) || !Dec.of(d.price).gt(0)) return `precio no válido: ${d.price}`;
  if (!(d.taxAffectation in TAX_AFFECTATIONS)) return `afectación del IGV desconocida: ${d.taxAffectation}`;
  if (d.code.trim() === '' || d.name.trim() === '') return 'código o nombre vacío';
  return null;
}

function applySetting(db: Db, now: Date, key: string, value: unknown): string | null {
  // Only what the hub owns (one table, settings-change.ts): this till's own settings are never taken.
  if (!HUB_SETTINGS.has(key)) return 'es propio de esta caja';
  // The stored shape of a tax rate is its rate; the admin's change takes { rate, from? }.
  const patchValue = (key === 'igvRate' || key === 'icbperRate') && typeof value === 'string' ? { rate: value } : value;
  const parsed = settingsPatchInput.safeParse({ [key]: patchValue });
  if (!parsed.success) return parsed.error.issues.map((i) => i.message).join(' ');
  const plan = planSettings(db, null, now, parsed.data, 'hub');
  if (plan.issues.length > 0) return plan.issues.map((i) => i.message).join(' ');
  for (const w of plan.writes) {
    w.apply();
    audit(db, now, null, 'settings.update', 'setting', w.key, { old: w.old, new: w.new, via: 'hub' });
  }
  return null;
}

function applyChange(db: Db, st: Statements, now: Date, c: HubChange): string | null {
  const at = now.toISOString();
  switch (c.entity) {
    case 'product': {
      const d = c.data;
      const problem = productProblem(d);
      if (problem) return problem;
      const price = Dec.of(d.price).toFixed(2);
      if (d.barcode) st.barcodeFree.run(d.barcode, d.code);
      const found = st.productFind.get(d.code) as { id: number } | undefined;
      const fields = [d.barcode || null, d.name, d.unit, price, d.taxAffectation, d.isBag ? 1 : 0, d.active ? 1 : 0] as const;
      if (found) st.productUpdate.run(...fields, at, found.id);
      else st.productInsert.run(d.code, ...fields, at, at);
      return null;
    }
    case 'user':
      st.userUpsert.run(c.data.username, c.data.name, c.data.role, c.data.pinHash, c.data.active ? 1 : 0, at);
      return null;
    case 'customer':
      st.customerUpsert.run(c.data.docType, c.data.docNumber, c.data.name, c.data.address, at);
      return null;
    case 'setting':
      return applySetting(db, now, c.key, c.data.value);
  }
}

/** One pull: fetch after `pulled_seq`, apply all of it in one transaction. Throws HubFailure (nothing applied). */
export async function pullOnce(deps: HubDeps, limit = HUB_BATCH_MAX): Promise<PullResult> {
  const { db } = deps;
  const link = readLink(db);
  if (!link) throw new Error('Esta caja no está inscrita en una central.');
  const token = openToken(deps.secrets, link);
  let answer;
  try {
    answer = await hubCall({ baseUrl: link.url, path: `${HUB_PATHS.pull}?after=${link.pulled_seq}&limit=${limit}`, method: 'GET', token, answer: pullResponse });
  } catch (e) {
    noteContact(db, deps.now(), 'pull', (e as Error).message);
    throw e;
  }
  const now = deps.now();
  const st = statements(db);
  const skipped: PullResult['skipped'] = [];
  db.tx(() => {
    const before = (st.outboxTop.get() as { seq: number }).seq;
    for (const c of answer.changes) {
      const problem = applyChange(db, st, now, c);
      if (problem) skipped.push({ key: `${c.entity}:${c.key}`, reason: problem });
    }
    st.outboxEcho.run(before);
    st.pulled.run(Math.max(link.pulled_seq, answer.lastSeq), now.toISOString());
    if (skipped.length > 0) audit(db, now, null, 'hub.pull.skipped', 'hub', link.terminal_id, { skipped });
  });
  return { applied: answer.changes.length - skipped.length, skipped, lastSeq: answer.lastSeq, more: answer.more };
}

/** Pulls until the hub says there is no more (at most `maxRounds` batches a run). */
export async function pullAll(deps: HubDeps, maxRounds = 20): Promise<PullResult> {
  const total: PullResult = { applied: 0, skipped: [], lastSeq: 0, more: false };
  for (let i = 0; i < maxRounds; i++) {
    const r = await pullOnce(deps);
    total.applied += r.applied;
    total.skipped.push(...r.skipped);
    total.lastSeq = r.lastSeq;
    total.more = r.more;
    if (!r.more) break;
  }
  return total;
}
