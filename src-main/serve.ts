// The headless server: the built renderer and the contract over HTTP on 127.0.0.1 only (DESIGN §1, §6).
// POST /api/<call> with JSON; the session token travels in `x-izisales-token`; events as Server-Sent Events.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApiError, type EventName } from '../src-shared/contract';
import type { Api } from './api';
import type { App } from './app';
import { PROJECT_ROOT } from './paths';

/** The one Content-Security-Policy of the app, served with every page (and set by the Electron shell). */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json',
  '.woff2': 'font/woff2', '.pdf': 'application/pdf',
};

export const RENDERER_DIR = path.join(PROJECT_ROOT, 'dist-renderer');
const MAX_BODY = 1024 * 1024;

export interface Server {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What the server talks to: an Api, or an app holder (runtime.ts AppHost) whose app a restore may replace. */
export interface ApiHolder {
  readonly app: App;
  invoke(name: string, input: unknown, token: string | undefined): Promise<unknown>;
  hasSession(token: string | undefined): boolean;
  onSwap(fn: () => void): () => void;
}

function holderOf(source: Api | ApiHolder): ApiHolder {
  if ('onSwap' in source) return source;
  return {
    get app() {
      return source.app;
    },
    invoke: (name, input, token) => source.invoke(name, input, token),
    hasSession: (token) => source.hasSession(token),
    onSwap: () => () => {},
  };
}

export async function startServer(source: Api | ApiHolder, opts: { port?: number; staticDir?: string } = {}): Promise<Server> {
  const staticDir = opts.staticDir ?? RENDERER_DIR;
  const holder = holderOf(source);
  const streams = new Set<http.ServerResponse>();
  const listen = () => (['sale.updated', 'status', 'queue.updated', 'print.updated'] as EventName[]).map((event) =>
    holder.app.events.on(event, (payload) => {
      const msg = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const res of streams) res.write(msg);
    }),
  );
  let unsubscribe = listen();
  // After a restore the app is a new one and every session has ended: listen to the new app, drop the old streams.
  const offSwap = holder.onSwap(() => {
    unsubscribe.forEach((u) => u());
    unsubscribe = listen();
    for (const res of streams) res.end();
    streams.clear();
  });

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'Error interno del servidor.' } });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    // Only this machine's own origin may talk to us (blocks DNS rebinding and cross-site requests).
    const host = req.headers.host ?? '';
    if (!/^(127\.0\.0\.1|localhost):\d+$/.test(host)) return sendJson(res, 403, { error: { code: 'forbidden', message: 'Host no permitido.' } });
    const url = new URL(req.url ?? '/', `http://${host}`);

    if (url.pathname === '/api/events' && req.method === 'GET') {
      if (!holder.hasSession(url.searchParams.get('token') ?? undefined)) return sendJson(res, 401, { error: { code: 'unauthorized', message: 'Sesión no válida.' } });
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(`event: status\ndata: ${JSON.stringify(holder.app.status())}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'invalid_input', message: 'Use POST.' } });
      const origin = req.headers.origin;
      if (origin && origin !== `http://${host}`) return sendJson(res, 403, { error: { code: 'forbidden', message: 'Origen no permitido.' } });
      const name = decodeURIComponent(url.pathname.slice('/api/'.length));
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (e) {
        return sendJson(res, 400, { error: { code: 'invalid_input', message: (e as Error).message } });
      }
      const token = req.headers['x-izisales-token'];
      try {
        const value = await holder.invoke(name, body, typeof token === 'string' ? token : undefined);
        return sendJson(res, 200, value ?? null);
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError('internal', 'Error interno.');
        const status = { invalid_input: 400, unauthorized: 401, forbidden: 403, not_found: 404, rule: 422, internal: 500 }[err.code];
        return sendJson(res, status, { error: { code: err.code, message: err.message, issues: err.issues } });
      }
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'invalid_input', message: 'Método no permitido.' } });
    serveStatic(staticDir, url.pathname, res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      offSwap();
      unsubscribe.forEach((u) => u());
      for (const s of streams) s.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function serveStatic(dir: string, pathname: string, res: http.ServerResponse): void {
  const rel = path.normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  let file = path.join(dir, rel);
  if (!file.startsWith(dir + path.sep) && file !== dir) return sendJson(res, 404, { error: { code: 'not_found', message: 'No encontrado.' } });
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(dir, 'index.html'); // single-page app
  if (!fs.existsSync(file)) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('La interfaz no está compilada. Ejecute "npm run build:renderer" o "npm start".');
    return;
  }
  const ext = path.extname(file);
  res.writeHead(200, {
    'Content-Type': MIME[ext] ?? 'application/octet-stream',
    'Content-Security-Policy': CSP,
    'Cache-Control': ext === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  fs.createReadStream(file).pipe(res);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': CSP });
  res.end(body);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('La solicitud es demasiado grande.');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Error('El cuerpo de la solicitud no es JSON válido.');
  }
}
