// The shell's decisions that need no Electron — window state, the Spanish menu, the quit prompt — kept
// here so plain-Node tests can pin them; main.ts only feeds them Electron's objects.
import fs from 'node:fs';
import path from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1280, height: 800 };
const MIN_SIZE = { width: 800, height: 600 };

function isRect(v: unknown): v is Rect {
  const r = v as Rect;
  return !!r && [r.x, r.y, r.width, r.height].every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** The saved state, or null when there is none or it is unreadable (a first start, a hand-edited file). */
export function readWindowState(userDataDir: string): WindowState | null {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(userDataDir, WINDOW_STATE_FILE), 'utf8')) as Partial<WindowState>;
    return isRect(v.bounds) ? { bounds: v.bounds, maximized: v.maximized === true } : null;
  } catch {
    return null;
  }
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves a broken file. */
export function writeWindowState(userDataDir: string, state: WindowState): void {
  const file = path.join(userDataDir, WINDOW_STATE_FILE);
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state));
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * Where to open the window: the saved bounds if at least a usable part of them is on a display that exists now (a
 * monitor unplugged since must not leave the window off-screen), else the default size centred on the first display.
 */
export function initialBounds(saved: WindowState | null, workAreas: Rect[]): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  const fallback = { bounds: { ...DEFAULT_SIZE }, maximized: saved?.maximized ?? false };
  if (!saved) return fallback;
  const b = {
    ...saved.bounds,
    width: Math.max(MIN_SIZE.width, Math.round(saved.bounds.width)),
    height: Math.max(MIN_SIZE.height, Math.round(saved.bounds.height)),
  };
  const visible = workAreas.some((a) => {
    const w = Math.min(b.x + b.width, a.x + a.width) - Math.max(b.x, a.x);
    const h = Math.min(b.y + b.height, a.y + a.height) - Math.max(b.y, a.y);
    return w >= 100 && h >= 50;
  });
  return visible ? { bounds: b, maximized: saved.maximized } : fallback;
}

/** A menu item as Electron's template takes it, without importing Electron's types. */
export interface MenuSpec {
  label?: string;
  role?: string;
  type?: 'separator';
  accelerator?: string;
  click?: () => void;
  submenu?: MenuSpec[];
}

/** The application menu, in Spanish. */
export function menuTemplate(actions: { exportLogs: () => void; about: () => void; quit: () => void }): MenuSpec[] {
  return [
    { label: 'Archivo', submenu: [{ label: 'Salir', accelerator: 'CmdOrCtrl+Q', click: actions.quit }] },
    {
      label: 'Editar',
      submenu: [
        { label: 'Deshacer', role: 'undo' }, { label: 'Rehacer', role: 'redo' }, { type: 'separator' },
        { label: 'Cortar', role: 'cut' }, { label: 'Copiar', role: 'copy' }, { label: 'Pegar', role: 'paste' },
        { label: 'Seleccionar todo', role: 'selectAll' },
      ],
    },
    {
      label: 'Ver',
      submenu: [
        { label: 'Tamaño normal', role: 'resetZoom' }, { label: 'Aumentar', role: 'zoomIn' }, { label: 'Reducir', role: 'zoomOut' },
        { type: 'separator' }, { label: 'Pantalla completa', role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Ayuda',
      submenu: [
        { label: 'Exportar registros…', click: actions.exportLogs },
        { type: 'separator' },
        { label: 'Acerca de iziSales', click: actions.about },
      ],
    },
  ];
}

/** The confirm dialog to show before quitting, or null to quit at once. */
export function quitPrompt(paymentOpen: boolean): { title: string; message: string; detail: string; buttons: string[]; defaultId: number; cancelId: number } | null {
  if (!paymentOpen) return null;
  return {
    title: 'iziSales',
    message: 'Hay un cobro en curso.',
    detail: 'Si sale ahora, la venta que está cobrando no se registrará. Las ventas ya cobradas están guardadas.',
    buttons: ['Volver al cobro', 'Salir de todos modos'],
    defaultId: 0,
    cancelId: 0,
  };
}

/** The suggested name of the support zip (written by logs/export.ts, redacted). */
export function logsExportName(now: Date): string {
  return `izisales-registros-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-')}.zip`;
}

/** Waits for `p` at most `ms`: quitting must not hang on a job stuck on the network. */
export async function withTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
