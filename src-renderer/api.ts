// The renderer's one client of the contract (DESIGN §1): Electron's preload bridge when present, otherwise HTTP + SSE
// against the headless server at the same origin. Screens call `api.call(name, input)` and get typed outputs.
import {
  ApiError,
  type ApiErrorBody,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type Events,
  type Transport,
  type UserView,
} from '../src-shared/contract';

type ErrorShape = ApiErrorBody['error'];
type BridgeResult = { ok: true; value: unknown } | { ok: false; error: ErrorShape };

/** What the Electron preload exposes through contextBridge. */
export interface PreloadBridge {
  call(name: string, input: unknown, token: string | null): Promise<BridgeResult>;
  on(event: string, fn: (payload: unknown) => void): () => void;
  /** The shell prints a PDF silently on the configured printer (src-main/electron/preload.ts); absent in a browser. */
  print?(doc: { pdfBase64: string; fileName: string }): Promise<{ ok: true; printer: string } | { ok: false; message: string }>;
  /** The shell opens a PDF in the system's viewer (the fallback after a failed print). */
  openPdf?(doc: { pdfBase64: string; fileName: string }): Promise<{ ok: true } | { ok: false; message: string }>;
}

declare global {
  interface Window {
    izisales?: PreloadBridge;
  }
}

const TOKEN_KEY = 'izisales.token';
const ERROR_CODES: readonly ErrorShape['code'][] = ['invalid_input', 'unauthorized', 'forbidden', 'not_found', 'rule', 'internal'];

const OFFLINE_MESSAGE =
  'No se pudo comunicar con iziSales. Verifique que el programa siga abierto y vuelva a intentar.';

function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const body = e as ErrorShape;
    const code = ERROR_CODES.includes(body.code) ? body.code : 'internal';
    return new ApiError(code, String(body.message || OFFLINE_MESSAGE), body.issues);
  }
  return new ApiError('internal', OFFLINE_MESSAGE);
}

function readToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function writeToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // sessionStorage unavailable (private mode): the token simply lives in memory.
  }
}

type Listener = (payload: never) => void;

export class Client implements Transport {
  private token: string | null = readToken();
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private readonly bridgeUnsubs = new Map<EventName, () => void>();
  private source: EventSource | null = null;
  private unauthorizedHandler: ((notice: string | undefined, ended: boolean) => void) | null = null;

  constructor(private readonly bridge: PreloadBridge | undefined) {}

  get hasToken(): boolean {
    return this.token !== null;
  }

  /**
   * Called when the main process answers `unauthorized` (the session expired or was refused: `notice` is its message,
   * `ended` false — the screen locks and keeps the sale) or ended every session (a restore: `ended` true).
   */
  onUnauthorized(fn: ((notice: string | undefined, ended: boolean) => void) | null): void {
    this.unauthorizedHandler = fn;
  }

  /** The main process ended every session (a restore): forget the token and go back to the login with `notice`. */
  endSession(notice: string): void {
    this.setToken(null);
    this.unauthorizedHandler?.(notice, true);
  }

  async login(username: string, pin: string): Promise<UserView> {
    const out = await this.call('auth.login', { username, pin });
    this.setToken(out.token);
    return out.user;
  }

  async logout(): Promise<void> {
    try {
      if (this.token) await this.call('auth.logout', {});
    } catch {
      // Logging out must always succeed locally, even if the session had already expired.
    } finally {
      this.setToken(null);
    }
  }

  private setToken(token: string | null): void {
    this.token = token;
    writeToken(token);
    this.reconnectEvents();
  }

  async call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
    try {
      return (await (this.bridge ? this.callBridge(name, input) : this.callHttp(name, input))) as CallOutput<K>;
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'unauthorized' && name !== 'auth.login') {
        this.setToken(null);
        this.unauthorizedHandler?.(err.message, false);
      }
      throw err;
    }
  }

  private async callBridge(name: CallName, input: unknown): Promise<unknown> {
    const res = await this.bridge!.call(name, input, this.token);
    if (res.ok) return res.value;
    throw toApiError(res.error);
  }

  private async callHttp(name: CallName, input: unknown): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (name !== 'auth.login' && this.token) headers['x-izisales-token'] = this.token;
    let res: Response;
    try {
      res = await fetch(`/api/${name}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
    } catch {
      throw new ApiError('internal', OFFLINE_MESSAGE);
    }
    let body: unknown = null;
    const text = await res.text();
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    if (res.ok) return body;
    if (body && typeof body === 'object' && 'error' in body) throw toApiError((body as ApiErrorBody).error);
    if (res.status === 401) throw new ApiError('unauthorized', 'Su sesión terminó. Ingrese de nuevo con su usuario y PIN.');
    if (res.status === 403) throw new ApiError('forbidden', 'No tiene permiso para esta operación. Pida ayuda a un supervisor.');
    throw new ApiError('internal', `El sistema respondió con un error (${res.status}). Vuelva a intentar; si persiste, avise al administrador.`);
  }

  on<E extends EventName>(event: E, fn: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(fn as Listener);
    this.subscribe(event);
    return () => {
      set.delete(fn as Listener);
    };
  }

  private emit(event: EventName, payload: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        (fn as (p: unknown) => void)(payload);
      } catch (e) {
        console.error(e);
      }
    }
  }

  private subscribe(event: EventName): void {
    if (this.bridge) {
      if (!this.bridgeUnsubs.has(event)) this.bridgeUnsubs.set(event, this.bridge.on(event, (p) => this.emit(event, p)));
      return;
    }
    if (this.source) this.attach(this.source, event);
    else this.reconnectEvents();
  }

  private readonly attached = new WeakMap<EventSource, Set<EventName>>();

  private attach(source: EventSource, event: EventName): void {
    let done = this.attached.get(source);
    if (!done) {
      done = new Set();
      this.attached.set(source, done);
    }
    if (done.has(event)) return;
    done.add(event);
    source.addEventListener(event, (ev) => {
      try {
        this.emit(event, JSON.parse((ev as MessageEvent<string>).data));
      } catch {
        // A malformed event is ignored; the status poll covers what it would have said.
      }
    });
  }

  /** HTTP mode: one EventSource per token. EventSource reconnects by itself after a network drop. */
  private reconnectEvents(): void {
    if (this.bridge) return;
    this.source?.close();
    this.source = null;
    if (!this.token || typeof EventSource === 'undefined' || this.listeners.size === 0) return;
    const source = new EventSource(`/api/events?token=${encodeURIComponent(this.token)}`);
    this.source = source;
    for (const event of this.listeners.keys()) this.attach(source, event);
  }
}

export const api = new Client(typeof window !== 'undefined' ? window.izisales : undefined);

/** The message to show for any failure, in Spanish, telling the cashier what to do next. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'invalid_input' && e.issues?.length) return e.issues.map((i) => i.message).join(' ');
    return e.message;
  }
  return OFFLINE_MESSAGE;
}

export { ApiError };
