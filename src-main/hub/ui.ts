// The hub's screens over HTTP: the built React app (dist-renderer, its page marked as the hub's) and the calls of
// src-shared/hub-contract.ts at POST /hub/ui/<call>. Every call's input is validated with its schema; every call but
// the login needs a live session (cookie) and one of the call's roles: 401 / 403 with a Spanish message otherwise.
// Changes to the catalog and the terminals' users go through feed.ts (every terminal pulls them) and are audited.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { sql } from 'kysely';
import { Dec } from '../../src-shared/decimal';
import {
  HUB_PAGE_META, HUB_REPORT_PDF_PATH, HUB_UI_PREFIX, hubCalls,
  type HubCallName, type HubCallOutput, type HubProductView, type HubSaleRow, type HubUserView, type StoreOverview, type TerminalUserView,
} from '../../src-shared/hub-contract';
import type { z } from 'zod';
import { hashPin } from '../pin-hash';
import type { HubDb } from './db';
import { addStore, addTerminal } from './admin';
import { putProduct, putUser } from './feed';
import { hubDailyReport, hubStoreDayReport } from './reports';
import { renderReportPdf } from '../documents/report-pdf';
import { HubRefusal } from './refusal';
import { audit, login, logout, SESSION_MAX_HOURS, sessionUser } from './people';

export const SESSION_COOKIE = 'izisales_hub';
const MAX_BODY = 256 * 1024;
const SALES_LIMIT = 200;

export interface HubUiOptions {
  /** The built renderer (dist-renderer). */
  staticDir: string;
  /** The app's one Content-Security-Policy (serve.ts). */
  csp: string;
  /** Cookies marked Secure (the hub runs on TLS). */
  secure: boolean;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

type Ctx = { user: HubUserView; token: string | null };
type Input<K extends HubCallName> = z.output<(typeof hubCalls)[K]['input']>;
type Handler<K extends HubCallName> = (db: HubDb, input: Input<K>, ctx: Ctx) => Promise<HubCallOutput<K>>;

const soles = (cents: number) => Dec.fromCents(cents).toFixed(2);
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function productView(p: { code: string; barcode: string | null; name: string; unit: string; price_cents: number; tax_affectation: string; is_bag: boolean; active: boolean; updated_at: Date }): HubProductView {
  return {
    code: p.code, barcode: p.barcode, name: p.name, unit: p.unit, price: soles(p.price_cents), taxAffectation: p.tax_affectation,
    isBag: p.is_bag, active: p.active, updatedAt: iso(p.updated_at)!,
  };
}

async function productOf(db: HubDb, code: string): Promise<HubProductView | null> {
  const p = await db.selectFrom('products').selectAll().where('code', '=', code).executeTakeFirst();
  return p ? productView(p) : null;
}

function userView(u: { username: string; name: string; role: string; active: boolean; updated_at: Date }): TerminalUserView {
  return { username: u.username, name: u.name, role: u.role as TerminalUserView['role'], active: u.active, updatedAt: iso(u.updated_at)! };
}

/** The newest record the hub received from a terminal, over every kind (each read by its (terminal_id, hub_seq) index). */
const NEWEST = sql.join(
  ['sales', 'notes', 'documents', 'cash_sessions', 'cash_moves', 'collections', 'customers_in', 'audit'].map(
    (t) => sql`(select x.received_at from ${sql.table(t)} x where x.terminal_id = t.id order by x.hub_seq desc limit 1)`,
  ),
);

const handlers: { [K in HubCallName]: Handler<K> } = {
  'auth.login': async () => {
    throw new Error('handled before'); // the login sets the cookie: see handleCall
  },
  'auth.logout': async (db, _i, ctx) => {
    await logout(db, ctx.token);
    return { ok: true };
  },
  'auth.me': async (_db, _i, ctx) => ctx.user,

  'stores.overview': async (db) => {
    const [rows, docs] = await Promise.all([
      sql<{
        store_id: number; ruc: string; establishment: string; store_name: string; address: string | null;
        id: string | null; name: string | null; enrolled_at: Date | null; last_contact: Date | null; backlog: number | null; lag: number | null;
      }>`select s.id as store_id, s.ruc, s.establishment, s.name as store_name, s.address, t.id, t.name, t.enrolled_at, t.last_contact,
            t.backlog, extract(epoch from now() - greatest(${NEWEST}))::float8 as lag
          from stores s left join terminals t on t.store_id = s.id
          order by s.ruc, s.establishment, t.name`.execute(db),
      db.selectFrom('documents')
        .select((eb) => [
          'terminal_id',
          eb.fn.count<number>('uid').filterWhere('status', '=', 'pending').as('pending'),
          eb.fn.count<number>('uid').filterWhere('status', 'in', ['error', 'rejected']).as('errors'),
        ])
        .where('status', 'in', ['pending', 'error', 'rejected']).groupBy('terminal_id').execute(),
    ]);
    const open = new Map(docs.map((d) => [d.terminal_id, d]));
    const stores: StoreOverview[] = [];
    for (const r of rows.rows) {
      let s = stores[stores.length - 1];
      if (!s || s.id !== r.store_id) {
        s = { id: r.store_id, ruc: r.ruc, establishment: r.establishment, name: r.store_name, address: r.address, terminals: [] };
        stores.push(s);
      }
      if (!r.id) continue;
      const d = open.get(r.id);
      s.terminals.push({
        id: r.id, name: r.name!, enrolledAt: iso(r.enrolled_at), lastContact: iso(r.last_contact),
        lagSeconds: r.lag === null ? null : Math.max(0, Math.round(Number(r.lag))), backlog: r.backlog,
        sunatPending: Number(d?.pending ?? 0), sunatErrors: Number(d?.errors ?? 0),
      });
    }
    return stores;
  },
  'stores.add': async (db, input, ctx) => {
    const s = await addStore(db, input);
    await audit(db, ctx.user.username, 'store.add', { store: s.key, name: input.name });
    return s;
  },
  'terminals.add': async (db, input, ctx) => {
    const t = await addTerminal(db, input);
    const name = input.name.trim().toUpperCase();
    // The code itself is never audited: only that one was given.
    await audit(db, ctx.user.username, t.existing ? 'terminal.new_code' : 'terminal.add', { store: input.store, name, terminalId: t.terminalId });
    return { terminalId: t.terminalId, name, code: t.code, expiresAt: t.expiresAt.toISOString(), existing: t.existing };
  },

  'products.list': async (db, input) => {
    let q = db.selectFrom('products').selectAll().orderBy('name').limit(500);
    if (!input.includeInactive) q = q.where('active', '=', true);
    const text = input.query?.trim();
    if (text) {
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('code', 'ilike', like), eb('barcode', '=', text)]));
    }
    return (await q.execute()).map(productView);
  },
  'products.save': async (db, input, ctx) => {
    return db.transaction().execute(async (tx) => {
      const before = await tx.selectFrom('products').selectAll().where('code', '=', input.code).forUpdate().executeTakeFirst();
      if (input.isNew && before) throw new HubRefusal(409, 'producto_existe', `Ya existe un producto con el código ${input.code}: búsquelo y cámbielo.`);
      if (!input.isNew && !before) throw new HubRefusal(404, 'producto_no_existe', `No existe el producto ${input.code}.`);
      if (input.barcode) {
        const other = await tx.selectFrom('products').select(['code', 'name']).where('barcode', '=', input.barcode).where('code', '<>', input.code).executeTakeFirst();
        if (other) throw new HubRefusal(409, 'barras_existe', `El código de barras ${input.barcode} ya es de ${other.name} (${other.code}).`);
      }
      await putProduct(tx, {
        code: input.code, barcode: input.barcode || null, name: input.name, unit: input.unit, price: input.price,
        taxAffectation: input.taxAffectation, isBag: input.isBag ?? before?.is_bag ?? false, active: before?.active ?? true,
      });
      const after = (await productOf(tx, input.code))!;
      await audit(tx, ctx.user.username, before ? 'product.update' : 'product.create', {
        code: input.code, name: input.name, price: after.price, ...(before ? { priceBefore: soles(before.price_cents) } : {}),
      });
      return after;
    });
  },
  'products.setActive': async (db, input, ctx) => {
    return db.transaction().execute(async (tx) => {
      const p = await productOf(tx, input.code);
      if (!p) throw new HubRefusal(404, 'producto_no_existe', `No existe el producto ${input.code}.`);
      await putProduct(tx, { ...p, active: input.active });
      await audit(tx, ctx.user.username, input.active ? 'product.activate' : 'product.deactivate', { code: p.code, name: p.name });
      return (await productOf(tx, input.code))!;
    });
  },

  'users.list': async (db) => (await db.selectFrom('users').selectAll().orderBy('username').execute()).map(userView),
  'users.save': async (db, input, ctx) => {
    return db.transaction().execute(async (tx) => {
      const before = await tx.selectFrom('users').selectAll().where('username', '=', input.username).forUpdate().executeTakeFirst();
      if (input.isNew && before) throw new HubRefusal(409, 'usuario_existe', `El usuario ${input.username} ya existe: búsquelo en la lista y cámbielo.`);
      if (!input.isNew && !before) throw new HubRefusal(404, 'usuario_no_existe', `No existe el usuario ${input.username}.`);
      if (!before && !input.pin) throw new HubRefusal(400, 'falta_pin', 'Escriba el PIN del nuevo usuario (de 4 a 8 dígitos).');
      const pinHash = input.pin ? hashPin(input.pin) : before!.pin_hash;
      await putUser(tx, { username: input.username, name: input.name, role: input.role, pinHash, active: input.active });
      await audit(tx, ctx.user.username, before ? 'terminal_user.update' : 'terminal_user.create', {
        username: input.username, role: input.role, active: input.active, pinChanged: Boolean(input.pin),
      });
      return userView((await tx.selectFrom('users').selectAll().where('username', '=', input.username).executeTakeFirstOrThrow()));
    });
  },

  'reports.daily': async (db, input) => hubDailyReport(db, input.date),
  'sales.search': async (db, input) => {
    let q = db.selectFrom('sales as sa')
      .innerJoin('terminals as t', 't.id', 'sa.terminal_id')
      .innerJoin('stores as st', 'st.id', 't.store_id')
      .leftJoin('documents as d', (j) => j.onRef('d.terminal_id', '=', 'sa.terminal_id').onRef('d.owner_uid', '=', 'sa.uid'))
      .select([
        'st.name as storeName', 'st.ruc', 'st.establishment', 't.name as terminalName', 'sa.number', 'sa.document_type', 'sa.issued_at',
        'sa.total_cents', 'sa.status', 'sa.customer_doc_number', 'sa.user_name', 'd.status as sunat',
        sql<string | null>`sa.data->>'customer_name'`.as('customer_name'),
      ])
      .where('sa.issue_date', '>=', input.from).where('sa.issue_date', '<=', input.to);
    if (input.storeId) q = q.where('st.id', '=', input.storeId);
    if (input.terminalId) q = q.where('t.id', '=', input.terminalId);
    const esc = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
    if (input.number) q = q.where('sa.number', 'ilike', `%${esc(input.number.toUpperCase())}%`);
    if (input.customer) {
      const c = input.customer;
      q = q.where((eb) => eb.or([eb('sa.customer_doc_number', '=', c), eb(sql<string>`sa.data->>'customer_name'`, 'ilike', `%${esc(c)}%`)]));
    }
    const found = await q.orderBy('sa.issued_at', 'desc').orderBy('sa.number').limit(SALES_LIMIT + 1).execute();
    const rows: HubSaleRow[] = found.slice(0, SALES_LIMIT).map((r) => ({
      storeName: r.storeName, ruc: r.ruc, establishment: r.establishment, terminalName: r.terminalName, number: r.number,
      documentType: r.document_type, issuedAt: iso(r.issued_at)!, total: soles(r.total_cents), status: r.status,
      customerDocNumber: r.customer_doc_number, customerName: r.customer_name ?? '', userName: r.user_name, sunatStatus: r.sunat,
    }));
    return { rows, more: found.length > SALES_LIMIT };
  },
};

// ── HTTP ──────────────────────────────────────────────────────────────────────────────────────────────────────────

type ErrorCode = 'invalid_input' | 'unauthorized' | 'forbidden' | 'not_found' | 'rule' | 'internal';
const CODE_OF: Record<number, ErrorCode> = { 400: 'invalid_input', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'rule', 410: 'rule', 413: 'invalid_input' };

class UiError extends Error {
  constructor(readonly status: number, readonly code: ErrorCode, message: string, readonly issues?: { path: string; message: string }[]) {
    super(message);
  }
}

function cookieToken(req: http.IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return v.join('=') || null;
  }
  return null;
}

function sessionCookie(token: string | null, secure: boolean): string {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  return token === null ? [`${SESSION_COOKIE}=`, 'Max-Age=0', ...attrs].join('; ') : [`${SESSION_COOKIE}=${token}`, `Max-Age=${SESSION_MAX_HOURS * 3600}`, ...attrs].join('; ');
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new UiError(413, 'invalid_input', 'La solicitud es demasiado grande.');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new UiError(400, 'invalid_input', 'El cuerpo de la solicitud no es JSON válido.');
  }
}

export type HubUiHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, who: { name?: string }) => Promise<number>;

/** The screens' handler for every request that is not the terminals' protocol; answers the HTTP status it sent. */
export function hubUi(db: HubDb, opts: HubUiOptions): HubUiHandler {
  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': opts.csp, ...headers });
    res.end(text);
    return status;
  };

  /** The session's user (401 without one) when its role is one of `roles` (403 otherwise). */
  async function allowed(req: http.IncomingMessage, roles: (typeof hubCalls)[HubCallName]['roles'], who: { name?: string }) {
    const token = cookieToken(req);
    const user = await sessionUser(db, token);
    if (!user) throw new UiError(401, 'unauthorized', 'Su sesión terminó o no ha ingresado. Ingrese con su usuario y PIN o contraseña.');
    who.name = user.username;
    if (roles !== 'public' && !roles.includes(user.role)) throw new UiError(403, 'forbidden', 'Esta operación es solo para un administrador de la central.');
    return { user, token };
  }

  async function handleCall(req: http.IncomingMessage, res: http.ServerResponse, name: string, who: { name?: string }): Promise<number> {
    if (!Object.hasOwn(hubCalls, name)) throw new UiError(404, 'not_found', `Operación desconocida: ${name}.`);
    const call = hubCalls[name as HubCallName];
    const parsed = call.input.safeParse(await readJson(req));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new UiError(400, 'invalid_input', issues.map((i) => i.message).join(' '), issues);
    }
    if (name === 'auth.login') {
      const input = parsed.data as Input<'auth.login'>;
      const { token, user } = await login(db, input.username, input.secret);
      who.name = user.username;
      return send(res, 200, user, { 'set-cookie': sessionCookie(token, opts.secure) });
    }
    const { user, token } = await allowed(req, call.roles, who);
    const out = await (handlers[name as HubCallName] as Handler<HubCallName>)(db, parsed.data as never, { user, token });
    if (name === 'auth.logout') return send(res, 200, out, { 'set-cookie': sessionCookie(null, opts.secure) });
    return send(res, 200, out);
  }

  /** The daily report's PDF of a store or the chain: the same session and roles as the screen's `reports.daily`. */
  async function reportPdf(req: http.IncomingMessage, res: http.ServerResponse, url: URL, who: { name?: string }): Promise<number> {
    await allowed(req, hubCalls['reports.daily'].roles, who);
    const date = url.searchParams.get('date') ?? '';
    const store = url.searchParams.get('store') || null;
    const report = await hubStoreDayReport(db, date, store);
    const pdf = await renderReportPdf(report);
    const name = `reporte-diario-${date}-${store ?? 'cadena'}.pdf`.replace(/[^A-Za-z0-9._-]/g, '');
    res.writeHead(200, {
      'content-type': 'application/pdf', 'content-length': String(pdf.length), 'cache-control': 'no-store',
      'content-disposition': `inline; filename="${name}"`, 'content-security-policy': opts.csp,
    });
    res.end(pdf);
    return 200;
  }

  return async (req, res, url, who) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (url.pathname.startsWith(HUB_UI_PREFIX)) {
      try {
        if (req.method !== 'POST') throw new UiError(405, 'invalid_input', 'Use POST.');
        // Only the hub's own page may call (the cookie is SameSite=Strict too).
        const origin = req.headers.origin;
        if (origin && new URL(origin).host !== req.headers.host) throw new UiError(403, 'forbidden', 'Origen no permitido.');
        return await handleCall(req, res, decodeURIComponent(url.pathname.slice(HUB_UI_PREFIX.length)), who);
      } catch (e) {
        if (e instanceof UiError) return send(res, e.status, { error: { code: e.code, message: e.message, issues: e.issues } });
        if (e instanceof HubRefusal) return send(res, e.status, { error: { code: CODE_OF[e.status] ?? 'internal', message: e.message } });
        throw e;
      }
    }
    if (url.pathname === HUB_REPORT_PDF_PATH && req.method === 'GET') {
      try {
        return await reportPdf(req, res, url, who);
      } catch (e) {
        if (e instanceof UiError) return send(res, e.status, { error: { code: e.code, message: e.message } });
        if (e instanceof HubRefusal) return send(res, e.status, { error: { code: CODE_OF[e.status] ?? 'internal', message: e.message } });
        throw e;
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: { code: 'invalid_input', message: 'Método no permitido.' } });
    return serveStatic(opts, url.pathname, res);
  };
}

/** The built app; every path that is not a file is the page itself (a single-page app), marked as the hub's. */
function serveStatic(opts: HubUiOptions, pathname: string, res: http.ServerResponse): number {
  const dir = opts.staticDir;
  let rel: string;
  try {
    rel = path.normalize(decodeURIComponent(pathname)).replace(/^[/\\]+/, '');
  } catch {
    rel = '';
  }
  let file = path.join(dir, rel);
  if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(dir, 'index.html');
  if (!fs.existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('La interfaz no está compilada. Ejecute "npm run build:renderer".');
    return 503;
  }
  const ext = path.extname(file);
  const headers = { 'content-type': MIME[ext] ?? 'application/octet-stream', 'content-security-policy': opts.csp };
  if (ext === '.html') {
    const page = fs.readFileSync(file, 'utf8').replace(/<head>/i, `<head><meta name="${HUB_PAGE_META}" content="hub">`);
    res.writeHead(200, { ...headers, 'cache-control': 'no-store' });
    res.end(page);
    return 200;
  }
  res.writeHead(200, { ...headers, 'cache-control': 'public, max-age=31536000, immutable' });
  fs.createReadStream(file).pipe(res);
  return 200;
}
