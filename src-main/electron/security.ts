// The shell's security settings (DESIGN §6), kept free of `electron` imports so tests can read them on plain Node.
import path from 'node:path';

export function windowWebPreferences(preloadFile: string) {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    preload: path.resolve(preloadFile),
  } as const;
}

/** Only the app's own bundled page may be shown; everything else is refused. */
export function isAllowedUrl(url: string, rendererIndex: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' && path.resolve(decodeURIComponent(u.pathname)) === path.resolve(rendererIndex);
  } catch {
    return false;
  }
}

/** Every option of the main window; the web preferences above are never loosened here. */
export function mainWindowOptions(preloadFile: string, bounds: { x?: number; y?: number; width: number; height: number }) {
  return {
    ...bounds,
    minWidth: 800,
    minHeight: 600,
    title: 'iziSales',
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: false,
    webPreferences: windowWebPreferences(preloadFile),
  };
}

// The preload (sandboxed, no Node modules) repeats these names: keep both in step.
export const IPC_CALL = 'izisales:call';
export const IPC_EVENT = 'izisales:event';
/** main → renderer: a question (e.g. 'paymentOpen') with an id; renderer → main: the answer with that id. */
export const IPC_ASK = 'izisales:ask';
export const IPC_ANSWER = 'izisales:answer';
