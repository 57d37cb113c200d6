// The Electron shell: a window, IPC derived from the contract, and the same services as `serve` (src-main/app.ts).
import { app as electronApp, BrowserWindow, ipcMain, session, shell } from 'electron';
import path from 'node:path';
import { createApp } from '../app';
import { Api } from '../api';
import { resolveDataDir, PROJECT_ROOT } from '../paths';
import { ApiError, type EventName } from '../../src-shared/contract';
import { CSP } from '../serve';
import { IPC_CALL, IPC_EVENT, isAllowedUrl, windowWebPreferences } from './security';

const rendererIndex = path.join(PROJECT_ROOT, 'dist-renderer', 'index.html');
const dataFlag = process.argv.find((a, i) => process.argv[i - 1] === '--data');

if (!electronApp.requestSingleInstanceLock()) {
  electronApp.quit();
} else {
  electronApp.whenReady().then(() => {
    const app = createApp({ dataDir: resolveDataDir(dataFlag ?? electronApp.getPath('userData')), seedIfEmpty: true });
    const api = new Api(app);
    session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
      cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    ipcMain.handle(IPC_CALL, async (_e, name: string, input: unknown, token?: string) => {
      try {
        return { ok: true, value: await api.invoke(name, input, token) };
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError('internal', 'Error interno.');
        return { ok: false, error: { code: err.code, message: err.message, issues: err.issues } };
      }
    });
    const win = new BrowserWindow({
      width: 1280, height: 800, title: 'iziSales', show: false, webPreferences: windowWebPreferences(path.join(PROJECT_ROOT, 'dist-main', 'preload.cjs')),
    });
    for (const event of ['sale.updated', 'status'] as EventName[]) {
      app.events.on(event, (payload) => win.webContents.send(IPC_EVENT, event, payload));
    }
    win.webContents.on('will-navigate', (e, url) => {
      if (!isAllowedUrl(url, rendererIndex)) e.preventDefault();
    });
    win.webContents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://www.sunat.gob.pe')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    win.once('ready-to-show', () => win.show());
    void win.loadFile(rendererIndex);
    electronApp.on('second-instance', () => {
      if (win.isMinimized()) win.restore();
      win.focus();
    });
    electronApp.on('window-all-closed', () => {
      void app.close().finally(() => electronApp.quit());
    });
  });
}
