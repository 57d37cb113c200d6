// The hub's HTTP(S) service: the routes of src-shared/hub-protocol.ts. Every body and query is validated with the
// protocol's zod schemas; every refusal is a `hubError` JSON with a Spanish message and its status (400 bad input,
// 401 bad or missing token, 409 code used, 410 code expired, 413 too large). One log line per request: method,
// path, status, time, terminal name — never a token or a code (they travel in headers and bodies, never logged).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { z } from 'zod';
import { HUB_BATCH_MAX, HUB_PATHS, enrolRequest, pushRequest, type HubError } from '../../src-shared/hub-protocol';
import type { HubDb } from './db';
import { enrol, terminalOfToken } from './enrol';
import { applyPush, ownRecords, type BeforeCommit } from './ingest';
import { pullChanges } from './feed';
import { HubRefusal } from './refusal';
import { ADMIN_PATH, adminAllowed, runAdminOp } from './admin-door';
import type { HubUiHandler } from './ui';

/** A push carries signed XML and CDRs: a full batch of 500 stays well under this. */
export const HUB_MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface HubServerOptions {
  port: number;
  /** 127.0.0.1 unless told otherwise. */
  host?: string;
  tls?: { cert: Buffer; key: Buffer };
  log?: (line: string) => void;
  maxBodyBytes?: number;
  /** The key of the local administration door (admin-door.ts); without it the door is closed. */
  adminKey?: () => string | null;
  /** The hub's screens (ui.ts): every request outside /hub/v1/; without it those are 404. */
  ui?: HubUiHandler;
  /** Tests only: runs inside each push's transaction before its commit (ingest.ts BeforeCommit). */
  beforeCommit?: BeforeCommit;
}

export interface HubServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) return Promise.reject(tooLarge(max));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(tooLarge(max));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const tooLarge = (max: number) =>
  new HubRefusal(413, 'demasiado_grande', `El envío supera ${Math.round(max / 1024 / 1024)} MB: envíe lotes más pequeños.`);

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HubRefusal(400, 'datos_no_validos', `Datos no válidos (${where}${issue.message}). No se guardó nada.`);
}

async function jsonBody(req: http.IncomingMessage, max: number): Promise<unknown> {
  const body = await readBody(req, max);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HubRefusal(400, 'json_no_valido', 'El cuerpo no es JSON válido. No se guardó nada.');
  }
}

/** `after` and `limit` of pull and own. */
function page(url: URL): { after: number; limit: number } {
  const after = url.searchParams.get('after') ?? '0';
  const limit = url.searchParams.get('limit') ?? String(HUB_BATCH_MAX);
  if (!/^\d{1,15}$/.test(after)) throw new HubRefusal(400, 'after_no_valido', `after no válido: ${after} (un entero desde 0).`);
  if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > HUB_BATCH_MAX) {
    throw new HubRefusal(400, 'limit_no_valido', `limit no válido: ${limit} (de 1 a ${HUB_BATCH_MAX}).`);
  }
  return { after: Number(after), limit: Number(limit) };
}

export async function startHubServer(db: HubDb, opts: HubServerOptions): Promise<HubServer> {
  const max = opts.maxBodyBytes ?? HUB_MAX_BODY_BYTES;
  const log = opts.log ?? (() => {});

  async function route(req: http.IncomingMessage, url: URL, who: { name?: string }): Promise<unknown> {
    const method = req.method ?? 'GET';
    const at = (path: string, m: string) => url.pathname === path && method === m;
    if (at(HUB_PATHS.enrol, 'POST')) {
      const r = await enrol(db, parse(enrolRequest, await jsonBody(req, max)));
      who.name = r.terminalName;
      return r;
    }
    if (at(ADMIN_PATH, 'POST')) {
      const key = opts.adminKey?.() ?? null;
      if (key === null || !adminAllowed(req, key)) throw new HubRefusal(403, 'no_autorizado', 'La administración de la central solo se hace desde la misma PC.');
      const { op, input } = (await jsonBody(req, max)) as { op?: unknown; input?: unknown };
      who.name = `admin ${String(op)}`;
      return runAdminOp(db, String(op), input);
    }
    const isPush = at(HUB_PATHS.push, 'POST');
    if (!isPush && !at(HUB_PATHS.pull, 'GET') && !at(HUB_PATHS.own, 'GET')) {
      throw new HubRefusal(404, 'ruta_desconocida', `Ruta desconocida: ${method} ${url.pathname}.`);
    }
    const terminal = await terminalOfToken(db, req.headers.authorization);
    who.name = terminal.name;
    if (isPush) return applyPush(db, terminal, parse(pushRequest, await jsonBody(req, max)), opts.beforeCommit);
    const { after, limit } = page(url);
    await db.updateTable('terminals').set({ last_contact: sql`now()` }).where('id', '=', terminal.id).execute();
    return url.pathname === HUB_PATHS.pull ? pullChanges(db, after, limit) : ownRecords(db, terminal.id, after, limit);
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://hub');
    const who: { name?: string } = {};
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`${req.method} ${url.pathname} ${status} ${ms.toFixed(1)}ms${who.name ? ` ${who.name}` : ''}`);
    };
    if (opts.ui && !url.pathname.startsWith('/hub/v1/')) {
      opts.ui(req, res, url, who).then(
        (status) => log(`${req.method} ${url.pathname} ${status} ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}ms${who.name ? ` ${who.name}` : ''}`),
        (e: unknown) => {
          log(`error: ${(e as Error).message.split('\n')[0]}`);
          if (res.headersSent) res.end();
          else send(500, { error: { code: 'internal', message: 'Error interno de la central: vea su registro.' } });
        },
      );
      return;
    }
    route(req, url, who).then(
      (body) => send(200, body),
      (e: unknown) => {
        if (e instanceof HubRefusal) {
          send(e.status, { error: e.code, message: e.message } satisfies HubError);
          return;
        }
        log(`error: ${(e as Error).message.split('\n')[0]}`);
        send(500, { error: 'error_interno', message: 'Error interno de la central: vea su registro. No se guardó nada de este envío.' } satisfies HubError);
      },
    );
  };

  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : http.createServer(handler);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}
