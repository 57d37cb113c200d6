// The terminal's side of the hub (issue 16): identities and the outbox, `hub join` (screen call and command line),
// hub.push and hub.pull. The real hub is built beside this; here a small stand-in written below (node:http on
// 127.0.0.1) validates every request with the protocol's own zod schemas, records it and answers as the protocol
// says, so what the terminal sends is held to the wire both halves share (src-shared/hub-protocol.ts).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import {
  enrolRequest, HUB_PATHS, HUB_PROTOCOL_VERSION, pushRequest, type EnrolResponse, type HubChange, type HubRecord, type PushRequest,
} from '../../src-shared/hub-protocol';
import { computePricedSale } from '../../src-shared/sale-lines';
import { limaDate } from '../../src-shared/time';
import { getSetting, taxRatesOn } from '../../src-main/db/settings';
import { closeSession } from '../../src-main/pos/cash';
import { createApp } from '../../src-main/app';
import { Api } from '../../src-main/api';
import { joinHub } from '../../src-main/replication/enrol';
import { HubFailure } from '../../src-main/replication/http';
import { hubStatus, readLink } from '../../src-main/replication/link';
import { pushOutbox, type HubDeps } from '../../src-main/replication/push';
import { pullAll } from '../../src-main/replication/pull';
import { runtimeSecrets } from '../../src-main/logs/export';
import { createRunner, startJobs } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { queueHubJob } from '../../src-main/replication/link';
import { count, demoApp, tempDir, type TestApp } from '../helpers/app';

const STORE_RUC = '20601234565'; // the demo store's
type Mode = 'ok' | 'fail500' | 'drop';

/** The hub stand-in: enrolment codes, the records it holds by (kind, uid) with their version, a change feed. */
class StandIn {
  server = http.createServer((req, res) => void this.handle(req, res));
  url = '';
  requests: { method: string; path: string; auth: string | null; body: unknown }[] = [];
  codes = new Map<string, 'fresh' | 'used' | 'expired'>();
  store = { ruc: STORE_RUC, establishment: '0001', name: 'Bodega Centro', address: 'AV. LARCO 1' };
  series: EnrolResponse['series'] = [{ documentType: '03', series: 'B001' }, { documentType: '01', series: 'F002' }];
  token = '';
  terminalId = crypto.randomUUID();
  held = new Map<string, { version: number; record: HubRecord }>();
  upserts = 0;
  /** The hub's clock (its answers' serverTime): the till's own, as a hub in step with it would answer. */
  now: () => Date = () => new Date();
  appliedSeq = 0;
  mode: Mode = 'ok';
  /** Apply only records up to this outbox seq and answer it (a hub that applied part of a batch). */
  applyUpTo: number | null = null;
  changes: HubChange[] = [];

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
  pushes(): PushRequest[] {
    return this.requests.filter((r) => r.path === HUB_PATHS.push).map((r) => r.body as PushRequest);
  }

  private send(res: http.ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
  private refuse(res: http.ServerResponse, status: number, error: string, message: string) {
    this.send(res, status, { error, message });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url!, this.url);
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({ method: req.method!, path: u.pathname, auth: req.headers.authorization ?? null, body });
    if (u.pathname === HUB_PATHS.enrol && req.method === 'POST') {
      const r = enrolRequest.safeParse(body);
      if (!r.success) return this.refuse(res, 400, 'invalid', 'Solicitud no válida.');
      const state = this.codes.get(r.data.code);
      if (!state) return this.refuse(res, 404, 'bad_code', 'El código de inscripción no existe: revise que lo copió bien.');
      if (state === 'used') return this.refuse(res, 409, 'used_code', 'Ese código de inscripción ya se usó: pida uno nuevo en la central.');
      if (state === 'expired') return this.refuse(res, 410, 'expired_code', 'El código de inscripción venció (7 días): pida uno nuevo en la central.');
      this.codes.set(r.data.code, 'used');
      this.token = crypto.randomBytes(32).toString('base64url');
      const answer: EnrolResponse = { protocol: HUB_PROTOCOL_VERSION, terminalId: this.terminalId, terminalName: 'CAJA-02', token: this.token, store: this.store, series: this.series };
      return this.send(res, 200, answer);
    }
    if (req.headers.authorization !== `Bearer ${this.token}` || !this.token) return this.refuse(res, 401, 'unauthorized', 'Token no válido.');
    if (u.pathname === HUB_PATHS.push && req.method === 'POST') {
      if (this.mode === 'drop') return req.socket.destroy();
      if (this.mode === 'fail500') return this.refuse(res, 500, 'internal', 'La central no pudo guardar el lote.');
      const p = pushRequest.safeParse(body);
      if (!p.success) return this.refuse(res, 400, 'invalid', JSON.stringify(p.error.issues.slice(0, 3)));
      if (p.data.terminalId !== this.terminalId) return this.refuse(res, 403, 'terminal', 'Otra caja.');
      const upTo = Math.min(p.data.toSeq, this.applyUpTo ?? Infinity);
      for (const rec of p.data.records) {
        if (rec.version > upTo) continue;
        const key = `${rec.kind}:${rec.uid}`;
        const had = this.held.get(key);
        if (had && had.version >= rec.version) continue; // idempotent: the same or an older version changes nothing
        this.held.set(key, { version: rec.version, record: rec });
        this.upserts++;
      }
      this.appliedSeq = Math.max(this.appliedSeq, upTo);
      return this.send(res, 200, { appliedSeq: this.appliedSeq, serverTime: this.now().toISOString() });
    }
    if (u.pathname === HUB_PATHS.pull && req.method === 'GET') {
      const after = Number(u.searchParams.get('after'));
      const limit = Number(u.searchParams.get('limit'));
      if (!Number.isInteger(after) || !Number.isInteger(limit) || limit < 1) return this.refuse(res, 400, 'invalid', 'after/limit');
      const changes = this.changes.filter((c) => c.seq > after).slice(0, limit);
      const lastSeq = changes.length ? changes[changes.length - 1].seq : after;
      return this.send(res, 200, { changes, lastSeq, more: this.changes.some((c) => c.seq > lastSeq), serverTime: this.now().toISOString() });
    }
    return this.refuse(res, 404, 'not_found', 'Ruta desconocida.');
  }

  of<K extends HubRecord['kind']>(kind: K): Extract<HubRecord, { kind: K }>[] {
    return [...this.held.values()].map((h) => h.record).filter((r): r is Extract<HubRecord, { kind: K }> => r.kind === kind);
  }
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { code?: string } = {}) {
  const hub = await new StandIn().start();
  cleanups.push(() => hub.close());
  const t = demoApp();
  cleanups.push(() => t.close());
  hub.now = () => t.clock.now();
  hub.codes.set(opts.code ?? 'ABC-123-XYZ', 'fresh');
  const deps: HubDeps = { db: t.app.db, secrets: t.app.secrets, now: () => t.clock.now() };
  return { hub, t, deps, db: t.app.db };
}

function sell(t: TestApp, documentType: '01' | '03' = '03') {
  const p = t.app.db.raw.prepare(`SELECT id, price FROM products WHERE is_bag = 0 AND active = 1 AND tax_affectation = '10' ORDER BY id LIMIT 1`).get() as { id: number; price: string };
  const total = computePricedSale([{ quantity: '1', unitPrice: p.price, taxAffectation: '10', isBag: false, discount: null }], taxRatesOn(t.app.db, limaDate(t.clock.now()))).totals.payable.toFixed(2);
  const customer = documentType === '01' ? { docType: '6' as const, docNumber: '20100070970', name: 'SUPERMERCADOS PERUANOS S.A.', address: 'CALLE MORELLI 181' } : undefined;
  return t.app.sell(t.cashier, t.terminalId, { documentType, customer, lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'card', amount: total, reference: 'OP-1' }] });
}

const join = (deps: HubDeps, url: string, code = 'ABC-123-XYZ') =>
  joinHub({ db: deps.db, secrets: deps.secrets as never, now: deps.now }, { url, code, appVersion: 'test', userId: null, via: 'cli' });

const outbox = (db: TestApp['app']['db']) => db.raw.prepare('SELECT seq, kind, ref FROM outbox ORDER BY seq').all() as { seq: number; kind: string; ref: number }[];
const seriesRows = (db: TestApp['app']['db']) => db.raw.prepare('SELECT document_type, series, next_number FROM series ORDER BY document_type').all();

describe('identities and the outbox', () => {
  it('every record gets a uid; before enrolment a sale writes no outbox row, after it the sale and its document go in with it, and a refused sale writes none', async () => {
    const { hub, t, deps, db } = await setup();
    const first = sell(t);
    const uid = (db.raw.prepare('SELECT uid FROM sales WHERE id = ?').get(first.saleId) as { uid: string }).uid;
    expect(uid).toMatch(/^[0-9a-f]{32}$/);
    expect((db.raw.prepare('SELECT uid FROM documents WHERE id = ?').get(first.documentId) as { uid: string }).uid).toMatch(/^[0-9a-f]{32}$/);
    expect(db.raw.prepare(`SELECT count(*) n FROM audit_log WHERE uid IS NULL`).get()).toEqual({ n: 0 });
    expect(count(t.app, 'outbox')).toBe(0);

    await join(deps, hub.url);
    const before = count(t.app, 'outbox');
    const s = sell(t);
    const added = outbox(db).slice(before);
    expect(added.filter((r) => r.kind === 'sale').map((r) => r.ref)).toEqual([s.saleId]);
    expect(added.filter((r) => r.kind === 'document').map((r) => r.ref)).toContain(s.documentId);

    const mid = count(t.app, 'outbox');
    expect(() => t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: 1, quantity: '1' }], payments: [{ method: 'card', amount: '0.01', reference: 'x' }] })).toThrow(/Falta cobrar/);
    expect(count(t.app, 'outbox')).toBe(mid);
  });
});

describe('hub join', () => {
  it('keeps a series no other till holds, gives a new one from 1 otherwise, puts the history in the outbox and keeps the token sealed', async () => {
    const { hub, t, deps, db } = await setup();
    sell(t, '03');
    sell(t, '03');
    sell(t, '01');
    const sales = count(t.app, 'sales');
    const r = await join(deps, hub.url + '/');
    expect(r.terminalName).toBe('CAJA-02');
    expect(r.series).toEqual([
      { documentType: '03', series: 'B001', previous: 'B001', kept: true },
      { documentType: '01', series: 'F002', previous: 'F001', kept: false },
    ]);
    // What the terminal told the hub it had used.
    const asked = hub.requests[0].body as { terminal: { ruc: string; seriesInUse: unknown[] } };
    expect(asked.terminal.ruc).toBe(STORE_RUC);
    expect(asked.terminal.seriesInUse).toEqual(expect.arrayContaining([
      { documentType: '03', series: 'B001', nextNumber: 3 }, { documentType: '01', series: 'F001', nextNumber: 2 },
    ]));
    expect(sell(t, '03').number).toBe('B001-00000003');
    expect(sell(t, '01').number).toBe('F002-00000001');
    // All the history is in the outbox, in one go, audited.
    const kinds = outbox(db).map((o) => o.kind);
    expect(kinds.filter((k) => k === 'sale').length).toBe(sales + 2);
    expect(kinds).toEqual(expect.arrayContaining(['customer', 'cash_session', 'document', 'audit']));
    expect(r.history).toBeGreaterThan(sales * 2);
    const audit = db.raw.prepare(`SELECT details FROM audit_log WHERE action = 'hub.join'`).get() as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ terminalName: 'CAJA-02', via: 'cli' });

    // The token: sealed in the database, never in clear in its file, the audit or the logs; the log export masks it.
    const link = readLink(db)!;
    expect(link.token_sealed).not.toContain(hub.token);
    db.raw.pragma('wal_checkpoint(TRUNCATE)');
    const files = [path.join(t.dir, 'izisales.db'), ...fs.readdirSync(path.join(t.dir, 'logs')).map((f) => path.join(t.dir, 'logs', f))];
    for (const f of files) expect(fs.readFileSync(f).includes(hub.token)).toBe(false);
    expect(audit.details).not.toContain(hub.token);
    expect(runtimeSecrets(t.app)).toContain(hub.token);
    expect(hubStatus(db)).toMatchObject({ enrolled: true, terminalName: 'CAJA-02', store: { ruc: STORE_RUC, establishment: '0001' }, backlog: count(t.app, 'outbox') });
  });

  it('each refusal says why in Spanish and writes nothing: unreachable hub, bad, used or expired code, another RUC, already enrolled', async () => {
    const { hub, t, deps, db } = await setup();
    sell(t);
    hub.codes.set('USED-0001', 'used');
    hub.codes.set('OLD-00001', 'expired');
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    const snapshot = () => ({
      link: count(t.app, 'hub_link'), outbox: count(t.app, 'outbox'), audit: count(t.app, 'audit_log'), jobs: count(t.app, 'jobs'), series: seriesRows(db),
    });
    const before = snapshot();
    const refusal = async (url: string, code: string) => {
      const e = await join(deps, url, code).then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(HubFailure);
      expect(snapshot()).toEqual(before);
      return (e as Error).message;
    };
    expect(await refusal(deadUrl, 'ABC-123-XYZ')).toMatch(/No se pudo conectar con la central/);
    expect(await refusal('ftp://central', 'ABC-123-XYZ')).toMatch(/debe empezar con http/);
    expect(await refusal(hub.url, 'NOPE-00000')).toMatch(/no existe/);
    expect(await refusal(hub.url, 'USED-0001')).toMatch(/ya se usó/);
    expect(await refusal(hub.url, 'OLD-00001')).toMatch(/venció/);
    hub.store = { ...hub.store, ruc: '20100070970' };
    expect(await refusal(hub.url, 'ABC-123-XYZ')).toMatch(/RUC 20100070970.*RUC 20601234565/);
    hub.store = { ...hub.store, ruc: STORE_RUC };
    hub.codes.set('GOOD-00001', 'fresh');
    await join(deps, hub.url, 'GOOD-00001');
    hub.codes.set('GOOD-00002', 'fresh');
    const enrolled = { link: 1, outbox: count(t.app, 'outbox'), audit: count(t.app, 'audit_log') };
    const again = await join(deps, hub.url, 'GOOD-00002').then(() => null, (x: Error) => x.message);
    expect(again).toMatch(/ya está inscrita en la central/);
    expect({ link: count(t.app, 'hub_link'), outbox: count(t.app, 'outbox'), audit: count(t.app, 'audit_log') }).toEqual(enrolled);
    expect(hub.codes.get('GOOD-00002')).toBe('fresh'); // refused before the hub was asked
  });
});


/**
 * The till's runner and scheduler as a worker runs them, online, SUNAT's sends set aside (the hub is what is
 * watched); `drained()` resolves true once the outbox is empty and the runner idle (false after 5 s).
 */
function runJobsOnline(t: TestApp): () => Promise<boolean> {
  t.app.db.raw.prepare(`UPDATE jobs SET state = 'cancelled' WHERE kind = 'sunat.send'`).run();
  const monitor = new NetworkMonitor({ probe: async () => true, onChange: () => {} });
  monitor.online = true;
  const jobs = startJobs({ app: t.app, monitor, options: { pollMs: 20, heartbeatMs: 0, lock: false, checkpoints: false } });
  cleanups.push(() => jobs.stop());
  return async () => {
    for (const end = Date.now() + 5_000; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
      if (count(t.app, 'outbox') === 0 && (await jobs.runner.idle(1_000))) return true;
    }
    return false;
  };
}

describe('hub.push', () => {
  it('sends the sale, its document again after signing and after acceptance (new versions), the credit note and the closed cash session', async () => {
    const { hub, t, deps, db } = await setup();
    t.app.signAtCheckout = false;
    await join(deps, hub.url);
    const s = sell(t);
    await pushOutbox(deps);
    expect(count(t.app, 'outbox')).toBe(0);
    const sale = hub.of('sale').find((r) => r.data.id === s.saleId)!;
    expect(sale.head).toMatchObject({ number: s.number, status: 'completed', userName: 'cashier', documentType: '03' });
    expect((sale.data.lines as unknown[]).length).toBe(1);
    expect((sale.data.payments as unknown[]).length).toBe(1);
    const docKey = (r: HubRecord) => r.kind === 'document' && r.data.id === s.documentId;
    const unsigned = hub.of('document').find(docKey)!;
    expect(unsigned.head).toMatchObject({ status: 'pending', ownerUid: sale.uid });
    expect(unsigned.data.xml_base64).toBeNull();

    t.app.signer.signDocument(s.documentId, t.clock.now());
    await pushOutbox(deps);
    const signed = hub.of('document').find(docKey)!;
    expect(signed.version).toBeGreaterThan(unsigned.version);
    expect(Buffer.from(String(signed.data.xml_base64), 'base64').toString('utf8')).toContain('<ds:Signature');

    // The runner's outcome of an acceptance, as sunat.send writes it.
    db.raw.prepare(`UPDATE documents SET status = 'accepted', cdr_code = '0', cdr_zip = x'504b0304', accepted_at = ? WHERE id = ?`).run(t.clock.now().toISOString(), s.documentId);
    const n = t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '06', refund: 'cash' });
    closeSession(db, t.clock.now(), t.terminalId, t.cashier.id, '100.00');
    await pushOutbox(deps);
    const accepted = hub.of('document').find(docKey)!;
    expect(accepted.version).toBeGreaterThan(signed.version);
    expect(accepted.head).toMatchObject({ status: 'accepted', cdrCode: '0' });
    expect(accepted.data.cdr_zip_base64).toBe('UEsDBA==');
    const note = hub.of('note').find((r) => r.data.id === n.noteId)!;
    expect(note.head).toMatchObject({ documentType: '07', reference: s.number, reasonCode: '06' });
    expect(note.data.sale_uid).toBe(sale.uid);
    expect(hub.of('document').some((r) => r.head.ownerUid === note.uid)).toBe(true);
    const session = hub.of('cash_session').at(-1)!;
    expect(session.head.closedAt).not.toBeNull();
    // Every push went up in seq order without overlap, each within the batch limit.
    const pushes = hub.pushes();
    for (let i = 1; i < pushes.length; i++) expect(pushes[i].fromSeq).toBeGreaterThan(pushes[i - 1].toSeq);
    expect(hubStatus(db)).toMatchObject({ backlog: 0, lastError: null });
    expect(hubStatus(db).lastPushAt).not.toBeNull();
  });

  it('a push that fails halfway (500, dropped connection) loses nothing and is sent again; a hub that applied part keeps the rest here', async () => {
    const { hub, t, deps, db } = await setup();
    for (let i = 0; i < 5; i++) sell(t);
    await join(deps, hub.url);
    const all = count(t.app, 'outbox');
    for (const mode of ['fail500', 'drop'] as const) {
      hub.mode = mode;
      const before = hub.pushes().length;
      const e = await pushOutbox(deps).then(() => null, (x: unknown) => x);
      // A connection dropped before any answer is tried once more at once (push is idempotent); a 500 is an answer.
      expect(hub.pushes().length - before).toBe(mode === 'drop' ? 2 : 1);
      expect(e).toBeInstanceOf(HubFailure);
      expect((e as HubFailure).kind).toBe('network');
      expect(count(t.app, 'outbox')).toBe(all);
      expect(hubStatus(db).lastError).toBeTruthy();
    }
    // The hub applies up to the 10th row only: the terminal drops those and keeps the rest for the next batch.
    hub.mode = 'ok';
    const rows = outbox(db);
    hub.applyUpTo = rows[9].seq;
    await pushOutbox(deps, { maxBatches: 1, batchMax: 12 });
    expect(outbox(db).map((r) => r.seq)).toEqual(rows.filter((r) => r.seq > rows[9].seq).map((r) => r.seq));
    hub.applyUpTo = null;
    const sentBefore = hub.pushes().length;
    const waiting = outbox(db).map((row) => row.seq);
    const r = await pushOutbox(deps, { batchMax: 7 });
    expect(hub.pushes().slice(sentBefore).every((p) => p.records.length <= 7)).toBe(true);
    // Each batch tells the hub how many rows are still waiting behind it (the hub's screens show it); the last, none.
    expect(hub.pushes().slice(sentBefore).map((p) => p.backlog)).toEqual(hub.pushes().slice(sentBefore).map((p) => waiting.filter((seq) => seq > p.toSeq).length));
    expect(hub.pushes().at(-1)!.backlog).toBe(0);
    expect(r.more).toBe(false);
    expect(count(t.app, 'outbox')).toBe(0);
    // Everything arrived once: one held record per record the terminal has.
    expect(hub.of('sale').length).toBe(count(t.app, 'sales'));
    expect(hub.of('document').length).toBe(count(t.app, 'documents'));
    expect(hub.of('audit').length).toBe(count(t.app, 'audit_log'));
  });

  it('a backlog goes up in slices of about a set size (a sale never waits behind one big batch): versions within each slice, everything once', async () => {
    const { hub, t, deps, db } = await setup();
    for (let i = 0; i < 12; i++) sell(t);
    await join(deps, hub.url);
    const rows = outbox(db);
    const LIMIT = 6 * 1024;
    const r = await pushOutbox(deps, { batchBytes: LIMIT, maxBatches: 100 });
    expect(r.more).toBe(false);
    const pushes = hub.pushes();
    expect(pushes.length).toBeGreaterThan(3);
    let next = rows[0].seq;
    for (const p of pushes) {
      // Contiguous slices of the outbox; every record's version is a change the slice covers.
      expect(p.fromSeq).toBe(next);
      next = rows.find((row) => row.seq > p.toSeq)?.seq ?? Infinity;
      for (const rec of p.records) {
        expect(rec.version).toBeGreaterThanOrEqual(p.fromSeq);
        expect(rec.version).toBeLessThanOrEqual(p.toSeq);
      }
      // A slice stops once it passes the size: only its last record may go over.
      const sizes = p.records.map((rec) => JSON.stringify(rec).length);
      expect(sizes.slice(0, -1).reduce((a, b) => a + b, 0)).toBeLessThan(LIMIT + 2048);
    }
    expect(count(t.app, 'outbox')).toBe(0);
    expect(hub.of('sale').length).toBe(count(t.app, 'sales'));
    expect(hub.of('document').length).toBe(count(t.app, 'documents'));
    expect(hub.of('audit').length).toBe(count(t.app, 'audit_log'));
  });

  it('as a runner job: the hub down waits for the network without spending an attempt or telling SUNAT it is offline; then it drains and a pull follows', async () => {
    const { hub, t, deps, db } = await setup();
    sell(t);
    await join(deps, hub.url);
    const monitor = new NetworkMonitor({ probe: async () => true, onChange: () => {} });
    monitor.online = true;
    const runner = createRunner({ app: t.app, monitor, options: { pollMs: 20, heartbeatMs: 0, lock: false, checkpoints: false } });
    cleanups.push(() => runner.stop());
    hub.mode = 'fail500';
    // Only the hub's jobs: the sales' sunat.send jobs stay out of this test.
    db.raw.prepare(`UPDATE jobs SET state = 'cancelled' WHERE kind = 'sunat.send'`).run();
    runner.start();
    expect(await runner.idle(10_000)).toBe(true);
    const push = db.raw.prepare(`SELECT state, attempts, last_error FROM jobs WHERE kind = 'hub.push'`).get() as { state: string; attempts: number; last_error: string };
    expect(push).toMatchObject({ state: 'waiting_network', attempts: 0 });
    expect(push.last_error).toMatch(/no pudo guardar/);
    expect(monitor.online).toBe(true);
    expect(count(t.app, 'outbox')).toBeGreaterThan(0);
    // The status bar tells the cashier: the central unreachable, what is left to upload, this till's name there.
    expect(t.app.status().hub).toEqual({ terminalName: 'CAJA-02', unreachable: true, backlog: count(t.app, 'outbox') });

    hub.mode = 'ok';
    db.raw.prepare(`UPDATE jobs SET run_at = ? WHERE kind = 'hub.push'`).run(t.clock.now().toISOString());
    runner.kick();
    expect(await runner.idle(10_000)).toBe(true);
    expect(count(t.app, 'outbox')).toBe(0);
    expect(t.app.status().hub).toEqual({ terminalName: 'CAJA-02', unreachable: false, backlog: 0 });
    expect(db.raw.prepare(`SELECT kind, state FROM jobs WHERE kind LIKE 'hub.%' ORDER BY id`).all()).toEqual([
      // join's push and pull, and the pull that follows the push.
      { kind: 'hub.push', state: 'succeeded' }, { kind: 'hub.pull', state: 'succeeded' }, { kind: 'hub.pull', state: 'succeeded' },
    ]);
    // The finished push gave its key up: the next sale's push can be queued.
    expect(queueHubJob(db, t.clock.now(), 'hub.push')).toBeGreaterThan(0);
  });

  it("SUNAT's answer goes up by itself, without waiting for the next sale or the scheduler's minute", async () => {
    const { hub, t, deps, db } = await setup();
    const sale = sell(t);
    await join(deps, hub.url);
    const drained = runJobsOnline(t);
    expect(await drained()).toBe(true);
    // The push startJobs queues a moment after it starts (what was recorded while no runner ran) has come and gone.
    await new Promise((r) => setTimeout(r, 600));
    expect(await drained()).toBe(true);
    expect(hub.of('document').find((d) => d.head.number === sale.number)?.head.status).toBe('pending');

    // As sunat.send stores an acceptance: the row, then the event the screens follow.
    db.raw.prepare(`UPDATE documents SET status = 'accepted', cdr_code = '0' WHERE id = ?`).run(sale.documentId);
    t.app.events.emit('sale.updated', { saleId: sale.saleId, number: sale.number, sunatStatus: 'accepted' });
    expect(await drained()).toBe(true);
    expect(hub.of('document').find((d) => d.head.number === sale.number)?.head).toMatchObject({ status: 'accepted', cdrCode: '0' });
  });

  it('a drawer closed at the end of the day goes up with its Z by itself: no sale follows it to carry it', async () => {
    const { hub, t, deps } = await setup();
    sell(t);
    await join(deps, hub.url);
    const drained = runJobsOnline(t);
    expect(await drained()).toBe(true);
    await new Promise((r) => setTimeout(r, 600)); // the push queued when the runner started has come and gone
    expect(await drained()).toBe(true);
    const open = hub.of('cash_session').at(-1)!;
    expect(open.head.closedAt).toBeNull();
    const pushes = hub.pushes().length;

    // The cashier closes the drawer from Caja, as the screen does; nothing else happens on this till.
    const api = new Api(t.app);
    const token = ((await api.invoke('auth.login', { username: 'cashier', pin: '3333' }, undefined)) as { token: string }).token;
    await api.invoke('cash.close', { counted: '150.50' }, token);
    expect(count(t.app, 'outbox')).toBeGreaterThan(0);
    expect(await drained()).toBe(true);
    expect(hub.pushes().length).toBeGreaterThan(pushes);
    const closed = hub.of('cash_session').find((r) => r.uid === open.uid)!;
    expect(closed.head.closedAt).not.toBeNull();
    expect(closed.data.z_report).toBeTruthy();
  });
});

describe('hub.pull', () => {
  it('applies a price change, users, customers and settings in one go; a sale rung up before keeps its price', async () => {
    const { hub, t, deps, db } = await setup();
    await join(deps, hub.url);
    const p = db.raw.prepare(`SELECT id, sku, barcode, name, price FROM products WHERE is_bag = 0 AND active = 1 AND tax_affectation = '10' ORDER BY id LIMIT 1`).get() as { id: number; sku: string; barcode: string | null; name: string; price: string };
    const before = sell(t);
    const newPrice = (Number(p.price) + 1.5).toFixed(2);
    hub.changes = [
      { seq: 1, entity: 'product', key: p.sku, data: { code: p.sku, barcode: p.barcode, name: p.name, unit: 'NIU', price: newPrice, taxAffectation: '10', isBag: false, active: true } },
      { seq: 2, entity: 'product', key: 'NUEVO-1', data: { code: 'NUEVO-1', barcode: '7750000000017', name: 'PRODUCTO DE LA CENTRAL', unit: 'NIU', price: '3.20', taxAffectation: '10', isBag: false, active: true } },
      { seq: 3, entity: 'user', key: 'maria', data: { username: 'maria', name: 'María Quispe', role: 'cashier', pinHash: 'scrypt$x$y', active: true } },
      { seq: 4, entity: 'customer', key: '1-44556677', data: { docType: '1', docNumber: '44556677', name: 'ANA TORRES', address: null } },
      { seq: 5, entity: 'setting', key: 'maxReprints', data: { value: 5 } },
      { seq: 6, entity: 'setting', key: 'maxReprints', data: { value: -3 } },
      { seq: 7, entity: 'setting', key: 'terminalId', data: { value: 'CAJA-99' } },
    ];
    const outboxBefore = count(t.app, 'outbox');
    const r = await pullAll(deps);
    expect(r.applied).toBe(5);
    expect(r.skipped.map((s) => s.key)).toEqual(['setting:maxReprints', 'setting:terminalId']);
    expect(readLink(db)!.pulled_seq).toBe(7);
    expect(db.raw.prepare('SELECT price FROM products WHERE id = ?').get(p.id)).toEqual({ price: newPrice });
    expect(db.raw.prepare(`SELECT name, price FROM products WHERE sku = 'NUEVO-1'`).get()).toEqual({ name: 'PRODUCTO DE LA CENTRAL', price: '3.20' });
    expect(db.raw.prepare(`SELECT role FROM users WHERE username = 'maria'`).get()).toEqual({ role: 'cashier' });
    expect(db.raw.prepare(`SELECT name FROM customers WHERE doc_number = '44556677'`).get()).toEqual({ name: 'ANA TORRES' });
    expect(db.raw.prepare(`SELECT value FROM settings WHERE key = 'maxReprints'`).get()).toEqual({ value: '5' });
    expect(getSetting(db, 'terminalId')).toBe(t.terminalId);
    // The customer came from the hub: it is not sent back. The settings change's audit goes up like any audit.
    expect(outbox(db).slice(outboxBefore).map((o) => o.kind).filter((k) => k === 'customer')).toEqual([]);
    // The sale rung up before keeps its price; the next one is at the new price.
    const line = (saleId: number) => db.raw.prepare('SELECT unit_price FROM sale_lines WHERE sale_id = ?').get(saleId) as { unit_price: string };
    expect(Number(line(before.saleId).unit_price)).toBe(Number(p.price));
    expect(Number(line(sell(t).saleId).unit_price)).toBe(Number(newPrice));
    // Nothing new: asks after 7 and changes nothing.
    expect((await pullAll(deps)).applied).toBe(0);
    expect(hub.requests.filter((q) => q.path === HUB_PATHS.pull).at(-1)!.auth).toBe(`Bearer ${hub.token}`);
  });
});

describe('izisales hub join (command line)', () => {
  const dir = tempDir('izisales-hubjoin-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['bin/izisales.mjs', ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });

  it('enrols the till as a user types it and prints no token', async () => {
    const hub = await new StandIn().start();
    cleanups.push(() => hub.close());
    hub.codes.set('K7Q2-M9XD', 'fresh');
    const seeded = createApp({ dataDir: dir, seedIfEmpty: true });
    await seeded.close();
    const ok = await run('hub', 'join', hub.url, 'K7Q2-M9XD', '--data', dir);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Caja inscrita en la central .* como CAJA-02 \(tienda Bodega Centro, RUC 20601234565, establecimiento 0001\)/);
    // A store that never sold has no series yet: both are new.
    expect(ok.stdout).toMatch(/facturas\s+F002 \(nueva; empieza en 1\)/);
    expect(ok.stdout).not.toContain(hub.token);
    // What the command wrote is what a join from the screen writes (the refusals are the test above's).
    const app = createApp({ dataDir: dir });
    cleanups.push(() => app.close());
    expect(hubStatus(app.db)).toMatchObject({ enrolled: true, terminalName: 'CAJA-02', url: hub.url });
    expect(app.db.raw.prepare(`SELECT json_extract(details, '$.via') AS via FROM audit_log WHERE action = 'hub.join'`).get()).toEqual({ via: 'cli' });
  });
});
