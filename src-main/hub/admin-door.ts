// The administration of a running hub from the same PC: the embedded engine (PGlite) is one process's, so while
// `izisales hub` runs on it, `hub store add`, `hub terminal add`, `hub user add`, `hub report daily` (with its --pdf) and `hub check` ask that process
// instead of opening the database. The running hub writes `<data>/hub-admin.json` (0600: its URL and a random key,
// removed when it stops); the route answers only loopback callers that present the key. One table of operations serves
// both ways, so a command does the same thing whether it opens the database or asks the hub.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { alive, type HubDb } from './db';
import { addStore, addTerminal } from './admin';
import { hubCheck, hubDailyReport, hubStoreDayReport } from './reports';
import { setProduct, type ProductChange } from './feed';
import { HubRefusal } from './refusal';
import { addHubUser } from './people';

export const ADMIN_PATH = '/hub/v1/admin';
export const ADMIN_FILE = 'hub-admin.json';
const KEY_HEADER = 'x-izisales-hub-admin';

/** Every administration operation, each a function of the hub's database (JSON in, JSON out). */
export const ADMIN_OPS = {
  'store.add': (db: HubDb, i: { ruc: string; establishment: string; name: string; address?: string }) => addStore(db, i),
  'terminal.add': async (db: HubDb, i: { store: string; name: string }) => {
    const t = await addTerminal(db, i);
    return { ...t, expiresAt: t.expiresAt.toISOString() };
  },
  'report.daily': (db: HubDb, i: { date: string }) => hubDailyReport(db, i.date),
  /** The printable report (the till's DailyReport shape) of a store, "RUC-ESTABLECIMIENTO", or of the chain (null). */
  'report.print': (db: HubDb, i: { date: string; store: string | null }) => hubStoreDayReport(db, i.date, i.store ?? null),
  check: (db: HubDb, _i: Record<string, never>) => hubCheck(db),
  /** A person of the hub's screens; the PIN or password travels only in this loopback body, never in argv or logs. */
  'user.add': (db: HubDb, i: { username: string; name: string; role: string; secret: string }) => addHubUser(db, i),
  'product.set': (db: HubDb, i: ProductChange) => setProduct(db, i),
};
export type AdminOp = keyof typeof ADMIN_OPS;
export type AdminResult<K extends AdminOp> = Awaited<ReturnType<(typeof ADMIN_OPS)[K]>>;

/** Written by a hub on the embedded engine once it listens; the returned function removes it. */
export function publishAdminDoor(dataDir: string, url: string): { key: string; remove(): void } {
  const key = crypto.randomBytes(32).toString('base64url');
  const file = path.join(dataDir, ADMIN_FILE);
  fs.writeFileSync(file, JSON.stringify({ url, pid: process.pid, key }), { mode: 0o600 });
  return { key, remove: () => fs.rmSync(file, { force: true }) };
}

/** The route's check: a loopback caller with the key (compared in constant time). */
export function adminAllowed(req: http.IncomingMessage, key: string): boolean {
  const from = req.socket.remoteAddress ?? '';
  if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(from)) return false;
  const given = Buffer.from(String(req.headers[KEY_HEADER] ?? ''));
  const want = Buffer.from(key);
  return given.length === want.length && crypto.timingSafeEqual(given, want);
}

export async function runAdminOp(db: HubDb, op: string, input: unknown): Promise<unknown> {
  if (!Object.hasOwn(ADMIN_OPS, op)) throw new HubRefusal(404, 'operacion_desconocida', `Operación desconocida: ${op}.`);
  return (ADMIN_OPS[op as AdminOp] as (db: HubDb, i: unknown) => Promise<unknown>)(db, input ?? {});
}

/** The running hub's door in `dataDir`, if its process is alive. */
export function runningHub(dataDir: string): { url: string; key: string } | null {
  let door: { url?: unknown; pid?: unknown; key?: unknown };
  try {
    door = JSON.parse(fs.readFileSync(path.join(dataDir, ADMIN_FILE), 'utf8')) as typeof door;
  } catch {
    return null;
  }
  if (typeof door.url !== 'string' || typeof door.key !== 'string' || typeof door.pid !== 'number') return null;
  return alive(door.pid) ? { url: door.url, key: door.key } : null;
}

/** Asks the running hub; its refusals come back as HubRefusal, as if the database had been opened here. */
export function askRunningHub(door: { url: string; key: string }, op: AdminOp, input: unknown): Promise<unknown> {
  const body = JSON.stringify({ op, input });
  const u = new URL(ADMIN_PATH, door.url);
  const request = u.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(u, {
      method: 'POST', timeout: 60_000,
      // The door is this PC's own hub: its certificate may be one the admin made for the tills, not a public one.
      ...(u.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [KEY_HEADER]: door.key },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let parsed: { message?: string; error?: string } | unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          reject(new Error(`La central en ${door.url} respondió algo que no es JSON (HTTP ${res.statusCode}).`));
          return;
        }
        if (res.statusCode === 200) resolve(parsed);
        else {
          const p = parsed as { message?: string; error?: string };
          const status = [400, 401, 403, 404, 409, 410, 413].includes(res.statusCode ?? 0) ? (res.statusCode as HubRefusal['status']) : 500;
          reject(new HubRefusal(status, p.error ?? 'error', p.message ?? `HTTP ${res.statusCode}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`La central en ${door.url} no respondió.`)));
    req.on('error', (e) => reject(new Error(`No se pudo hablar con la central que corre en ${door.url}: ${e.message}`)));
    req.end(body);
  });
}
