// The hub screens' one client of src-shared/hub-contract.ts: POST /hub/ui/<call> on the page's own origin; the
// session is the HttpOnly cookie the hub set at login (never readable here). A 401 takes the screen back to the login.
import { ApiError, type ApiErrorBody } from '../../src-shared/contract';
import { HUB_PAGE_META, HUB_REPORT_PDF_PATH, HUB_UI_PREFIX, type HubCallInput, type HubCallName, type HubCallOutput } from '../../src-shared/hub-contract';

const OFFLINE = 'No se pudo comunicar con la central. Verifique la red y que la central siga funcionando, y vuelva a intentar.';
const CODES: readonly ApiErrorBody['error']['code'][] = ['invalid_input', 'unauthorized', 'forbidden', 'not_found', 'rule', 'internal'];

/** This page was served by a hub (it carries the hub's mark), not by a terminal. */
export function onHub(): boolean {
  return document.querySelector(`meta[name="${HUB_PAGE_META}"]`)?.getAttribute('content') === 'hub';
}

let onUnauthorized: ((message: string) => void) | null = null;
export function whenUnauthorized(fn: ((message: string) => void) | null): void {
  onUnauthorized = fn;
}

/** fetch on the hub, its failure to answer at all said in Spanish. */
async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError('internal', OFFLINE);
  }
}

/** The hub's refusal (its JSON error body) as an ApiError; a 401 also takes the screen back to the login. */
async function refusal(res: Response, body: unknown, toLogin = true): Promise<ApiError> {
  const e = body && typeof body === 'object' && 'error' in body ? (body as ApiErrorBody).error : null;
  const err = e
    ? new ApiError(CODES.includes(e.code) ? e.code : 'internal', e.message || OFFLINE, e.issues)
    : new ApiError(res.status === 401 ? 'unauthorized' : 'internal', res.status === 401 ? 'Su sesión terminó.' : `La central respondió con un error (${res.status}).`);
  if (err.code === 'unauthorized' && toLogin) onUnauthorized?.(err.message);
  return err;
}

const jsonOf = (res: Response): Promise<unknown> => res.json().catch(() => null);

export async function hubCall<K extends HubCallName>(name: K, input: HubCallInput<K>): Promise<HubCallOutput<K>> {
  const res = await send(`${HUB_UI_PREFIX}${name}`, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(input ?? {}),
  });
  const body = await jsonOf(res);
  if (res.ok) return body as HubCallOutput<K>;
  throw await refusal(res, body, name !== 'auth.login');
}

/**
 * The daily report's PDF of a store ("RUC-ESTABLECIMIENTO") or the chain (null), fetched with the session cookie
 * (GET HUB_REPORT_PDF_PATH). A refusal comes back as an ApiError with the hub's Spanish message.
 */
export async function hubReportPdf(date: string, store: string | null): Promise<{ blob: Blob; fileName: string }> {
  const q = new URLSearchParams({ date, ...(store ? { store } : {}) });
  const res = await send(`${HUB_REPORT_PDF_PATH}?${q}`, { headers: { accept: 'application/pdf' } });
  if (res.ok && res.headers.get('content-type') === 'application/pdf') {
    return { blob: await res.blob(), fileName: `reporte-diario-${date}-${store ?? 'cadena'}.pdf` };
  }
  throw await refusal(res, await jsonOf(res));
}
