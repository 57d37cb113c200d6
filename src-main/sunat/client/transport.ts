// One HTTP(S) POST with separate connect and response timeouts, telling "nothing sent" from "may have landed".
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

export interface TransportOptions {
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  /** Extra trusted CA certificates (PEM), e.g. a test server's self-signed cert. Verification stays on. */
  ca?: string | Buffer | Array<string | Buffer>;
  agent?: http.Agent;
}

export type TransportResult =
  | { ok: true; status: number; headers: http.IncomingHttpHeaders; body: Buffer; elapsedMs: number }
  | { ok: false; sent: boolean; reason: string; errorCode?: string; elapsedMs: number };

// Errors that can only happen before a byte of the request left this machine.
const PRE_SEND_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'ENETDOWN',
]);

// TLS verification failures: the handshake stopped before any request byte was written.
const TLS_TEXTS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'el certificado del servidor no es de confianza (emisor desconocido)',
  UNABLE_TO_GET_ISSUER_CERT: 'el certificado del servidor no es de confianza (emisor desconocido)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'el certificado del servidor no es de confianza (emisor desconocido)',
  SELF_SIGNED_CERT_IN_CHAIN: 'el certificado del servidor no es de confianza (autofirmado)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'el certificado del servidor no es de confianza (autofirmado)',
  CERT_HAS_EXPIRED: 'el certificado del servidor está vencido',
  CERT_NOT_YET_VALID: 'el certificado del servidor aún no es válido',
  CERT_REVOKED: 'el certificado del servidor fue revocado',
  ERR_TLS_CERT_ALTNAME_INVALID: 'el certificado del servidor no corresponde a su dirección',
  CERT_SIGNATURE_FAILURE: 'la firma del certificado del servidor no es válida',
};

/** Spanish reason for a connection error; TLS refusals say so (verification is never turned off). */
function reasonFor(code: string, sent: boolean): string {
  const tls = TLS_TEXTS[code];
  if (tls) return `conexión segura rechazada: ${tls} (${code}); no se envió nada`;
  return sent ? `conexión cortada: ${code}` : `sin conexión: ${code}`;
}

export function postXml(url: string, body: string, headers: Record<string, string>, opts: TransportOptions): Promise<TransportResult> {
  const started = performance.now();
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  const payload = Buffer.from(body, 'utf8');
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    let responseTimer: NodeJS.Timeout | undefined;
    const finish = (r: TransportResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(responseTimer);
      resolve(r);
    };
    const elapsed = (): number => performance.now() - started;
    const requestOptions: https.RequestOptions = {
      method: 'POST',
      hostname: target.hostname,
      port: target.port || (isHttps ? 443 : 80),
      path: `${target.pathname}${target.search}`,
      headers: { ...headers, 'Content-Length': String(payload.length) },
      agent: opts.agent,
    };
    if (isHttps) {
      // Explicit, so not even the NODE_TLS_REJECT_UNAUTHORIZED variable can turn verification off.
      requestOptions.rejectUnauthorized = true;
      if (opts.ca) requestOptions.ca = opts.ca;
    }
    const req = (isHttps ? https : http).request(requestOptions);

    const markConnected = (): void => {
      if (connected) return;
      connected = true;
      clearTimeout(connectTimer);
      // From here on SUNAT may receive the document: a silence is ambiguous, not "offline".
      responseTimer = setTimeout(() => {
        finish({ ok: false, sent: true, reason: `sin respuesta en ${opts.responseTimeoutMs} ms`, errorCode: 'ETIMEDOUT', elapsedMs: elapsed() });
        req.destroy();
      }, opts.responseTimeoutMs);
    };

    // Declared after the closures that clear it; they only run on later I/O events.
    const connectTimer = setTimeout(() => {
      finish({ ok: false, sent: false, reason: `no se pudo conectar en ${opts.connectTimeoutMs} ms`, errorCode: 'ECONNTIMEOUT', elapsedMs: elapsed() });
      req.destroy();
    }, opts.connectTimeoutMs);

    req.on('socket', (socket: Socket) => {
      // A kept-alive socket is already connected and emits no connect event.
      if (!socket.connecting) {
        markConnected();
        return;
      }
      socket.once(isHttps ? 'secureConnect' : 'connect', markConnected);
    });

    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        finish({ ok: true, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), elapsedMs: elapsed() }),
      );
      res.on('error', (e: NodeJS.ErrnoException) =>
        finish({ ok: false, sent: true, reason: `respuesta interrumpida: ${e.code ?? e.message}`, errorCode: e.code, elapsedMs: elapsed() }),
      );
      res.on('aborted', () => finish({ ok: false, sent: true, reason: 'respuesta interrumpida', errorCode: 'ECONNRESET', elapsedMs: elapsed() }));
    });

    req.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? 'EUNKNOWN';
      // A TLS refusal happens inside the handshake, before 'secureConnect': nothing was sent.
      const sent = connected && !PRE_SEND_CODES.has(code) && !TLS_TEXTS[code];
      finish({ ok: false, sent, reason: reasonFor(code, sent), errorCode: code, elapsedMs: elapsed() });
    });

    req.end(payload);
  });
}
