// The Electron shell: a window, IPC derived from the contract, and the same services as `serve` (src-main/app.ts):
// startServices (logs, SUNAT endpoint, connectivity, the job runner and its scheduler). Decisions that need no Electron
// live in shell.ts and security.ts, where plain-Node tests pin them.
import { app as electronApp, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import { createApp } from '../app';
import { Api } from '../api';
import { resolveDataDir, PROJECT_ROOT } from '../paths';
import { ApiError, type EventName } from '../../src-shared/contract';
import { CSP } from '../serve';
import log from 'electron-log/main';
import { startServices, type Services } from '../runtime';
import { routeElectronLog } from '../logs/logger';
import { IPC_ANSWER, IPC_ASK, IPC_CALL, IPC_EVENT, isAllowedUrl, mainWindowOptions } from './security';
import { exportLogs } from '../logs/export';
import { initialBounds, logsExportName, menuTemplate, quitPrompt, readWindowState, withTimeout, writeWindowState } from './shell';

const rendererIndex = path.join(PROJECT_ROOT, 'dist-renderer', 'index.html');
const dataFlag = process.argv.find((a, i) => process.argv[i - 1] === '--data');
/** How long quitting lets the runner finish the jobs in flight (DESIGN §4; the runner's stopTimeoutMs). */
const RUNNER_STOP_MS = 5_000;

async function start(): Promise<void> {
  const userData = electronApp.getPath('userData');
  const app = createApp({ dataDir: resolveDataDir(dataFlag ?? userData), seedIfEmpty: false });
  let services: Services;
  try {
    services = await startServices(app);
  } catch (e) {
    // e.g. another iziSales or `worker` already sends from this folder (the lock's message says so)
    await app.close();
    throw e;
  }
  routeElectronLog(log, services.logger);
  const api = new Api(app, services.logger);

  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });

  const saved = initialBounds(readWindowState(userData), screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow(mainWindowOptions(path.join(PROJECT_ROOT, 'dist-main', 'preload.cjs'), saved.bounds));
  if (saved.maximized) win.maximize();
  const saveState = () => {
    if (!win.isDestroyed()) writeWindowState(userData, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  };

  ipcMain.handle(IPC_CALL, async (e, name: string, input: unknown, token?: string) => {
    if (e.sender !== win.webContents) return { ok: false, error: { code: 'forbidden', message: 'Origen no permitido.' } };
    try {
      return { ok: true, value: await api.invoke(name, input, token) };
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError('internal', 'Error interno.');
      return { ok: false, error: { code: apiErr.code, message: apiErr.message, issues: apiErr.issues } };
    }
  });
  for (const event of ['sale.updated', 'status'] as EventName[]) {
    app.events.on(event, (payload) => {
      if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload);
    });
  }

  // Questions to the screens (e.g. "is a payment dialog open?"); no answer within the time counts as null.
  let askSeq = 0;
  const answers = new Map<number, (v: unknown) => void>();
  ipcMain.on(IPC_ANSWER, (e, id: number, value: unknown) => {
    if (e.sender !== win.webContents) return;
    answers.get(id)?.(value);
    answers.delete(id);
  });
  const ask = (question: string, timeoutMs = 1_000): Promise<unknown> => {
    if (win.isDestroyed()) return Promise.resolve(null);
    const id = ++askSeq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        answers.delete(id);
        resolve(null);
      }, timeoutMs);
      answers.set(id, (v) => {
        clearTimeout(timer);
        resolve(v);
      });
      win.webContents.send(IPC_ASK, id, question);
    });
  };

  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedUrl(url, rendererIndex)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://www.sunat.gob.pe')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());

  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({
    quit: () => electronApp.quit(),
    exportLogs: () => {
      const defaultPath = path.join(electronApp.getPath('documents'), logsExportName(new Date()));
      void dialog.showSaveDialog(win, { title: 'Exportar registros', defaultPath, filters: [{ name: 'ZIP', extensions: ['zip'] }] }).then((r) => {
        if (r.canceled || !r.filePath) return;
        try {
          shell.showItemInFolder(exportLogs(app, { out: r.filePath }).out);
        } catch (e) {
          dialog.showErrorBox('iziSales', `No se pudieron exportar los registros: ${(e as Error).message}`);
        }
      });
    },
    about: () => {
      void dialog.showMessageBox(win, {
        title: 'Acerca de iziSales', message: `iziSales ${electronApp.getVersion()}`,
        detail: `Punto de venta con comprobantes electrónicos SUNAT.\nCarpeta de datos: ${app.dataDir}`, buttons: ['Cerrar'],
      });
    },
  }) as MenuItemConstructorOptions[]));

  // Quitting: ask about a payment in progress, then give the runner up to 5 s, then close the database.
  let stopping = false;
  let done = false;
  win.on('close', (e) => {
    if (done) return;
    e.preventDefault(); // the window must stay to answer the question; before-quit decides
    electronApp.quit();
  });
  electronApp.on('before-quit', (e) => {
    if (done) return;
    e.preventDefault();
    if (stopping) return;
    stopping = true;
    void (async () => {
      const prompt = quitPrompt((await ask('paymentOpen')) === true);
      if (prompt && !win.isDestroyed()) {
        const r = await dialog.showMessageBox(win, { type: 'warning', ...prompt });
        if (r.response === prompt.cancelId) {
          stopping = false;
          return;
        }
      }
      saveState();
      // The runner's own stop lets in-flight sends finish for up to 5 s; never hang the quit beyond that.
      await withTimeout(services.stop(), RUNNER_STOP_MS + 2_000);
      await app.close();
      done = true;
      electronApp.quit();
    })();
  });
  electronApp.on('window-all-closed', () => electronApp.quit());
  electronApp.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  await win.loadFile(rendererIndex);
}

if (!electronApp.requestSingleInstanceLock()) {
  electronApp.quit();
} else {
  electronApp.whenReady().then(start).catch((e: unknown) => {
    dialog.showErrorBox('iziSales no pudo iniciar', (e as Error).message);
    electronApp.exit(1);
  });
}
