// The terminal's HTTP client of the hub (src-shared/hub-protocol.ts): JSON over HTTP(S), the bearer token on every
// call but enrolment, every answer validated with the protocol's schema. A failure is one of two kinds, because the
// job that pushes treats them differently: the hub could not be reached or broke off (`network`: wait and resend —
// the hub's upserts are idempotent, so a batch that landed unanswered costs nothing when sent again) or the hub
// answered with a refusal (`refused`, its Spanish message). The token never appears in a message.
import type { z } from 'zod';
import { HUB_PATHS, hubError } from '../../src-shared/hub-protocol';

export class HubFailure extends Error {
  constructor(readonly kind: 'network' | 'refused' | 'invalid', message: string, readonly status?: number, readonly code?: string) {
    super(message);
  }
}

/** How long a call may take before it counts as a network failure. */
export const HUB_TIMEOUT_MS = 30_000;

export interface HubCall<T> {
  baseUrl: string;
  path: string;
  method: 'GET' | 'POST';
  body?: unknown;
  token?: string;
  answer: z.ZodType<T>;
  timeoutMs?: number;
}

/** The hub's base URL as typed ("http://central:8443/" or without the slash), or a Spanish reason it is not one. */
export function hubBaseUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    throw new HubFailure('invalid', `La dirección de la central no es válida: "${text}". Escríbala completa, p. ej. http://192.168.1.10:8443`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new HubFailure('invalid', 'La dirección de la central debe empezar con http:// o https://');
  return u.origin + u.pathname.replace(/\/+$/, '');
}

/** One request and its body as text; throws whatever fetch throws. */
async function request(c: HubCall<unknown>): Promise<{ res: Response; text: string }> {
  const res = await fetch(c.baseUrl + c.path, {
    method: c.method,
    headers: {
      accept: 'application/json',
      ...(c.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
    },
    body: c.body === undefined ? undefined : JSON.stringify(c.body),
    signal: AbortSignal.timeout(c.timeoutMs ?? HUB_TIMEOUT_MS),
  });
  return { res, text: await res.text() };
}

const isTimeout = (e: unknown) => e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');

export async function hubCall<T>(c: HubCall<T>): Promise<T> {
  const where = c.baseUrl;
  let res: Response;
  let text: string;
  try {
    try {
      ({ res, text } = await request(c));
    } catch (e) {
      // A connection dropped before any answer (a kept-alive socket the hub had just closed, a hub restarting) is
      // tried once more at once: push, pull and own are idempotent, so a request that did land changes nothing the
      // second time. Never the enrolment (its code is spent by the first) nor after a timeout (it would double it).
      if (c.path === HUB_PATHS.enrol || isTimeout(e)) throw e;
      ({ res, text } = await request(c));
    }
  } catch {
    throw new HubFailure('network', `No se pudo conectar con la central (${where}): revise la red y la dirección; se reintentará.`);
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = hubError.safeParse(json);
    // A 5xx is the hub's own trouble (restarting, its database busy): like the network, it passes and we resend.
    const kind = res.status >= 500 ? 'network' : 'refused';
    if (e.success) throw new HubFailure(kind, e.data.message, res.status, e.data.error);
    throw new HubFailure(kind, `La central respondió con un error (HTTP ${res.status}).`, res.status);
  }
  const parsed = c.answer.safeParse(json);
  if (!parsed.success) throw new HubFailure('invalid', `La respuesta de la central no es válida (${parsed.error.issues[0]?.path.join('.') || 'cuerpo'}): ¿es la dirección de una central iziSales de la misma versión?`);
  return parsed.data;
}
