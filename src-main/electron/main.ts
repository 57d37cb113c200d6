// The Electron shell: a window, IPC derived from the contract, and the same services as `serve` through the same app
// holder (runtime.ts AppHost: logs, SUNAT endpoint, connectivity, the job runner and its scheduler, restore in place),
// secrets sealed by safeStorage, and silent printing (documents/print-plan.ts decides; this file only calls Electron).
// Decisions that need no Electron live in shell.ts, security.ts and print-plan.ts, where plain-Node tests pin them.
import {
  app as electronApp, BrowserWindow, dialog, ipcMain, Menu, safeStorage, screen, session, shell, type MenuItemConstructorOptions,
} from 'electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveDataDir, PROJECT_ROOT } from '../paths';
import { ApiError, type EventName } from '../../src-shared/contract';
import { CSP } from '../serve';
import log from 'electron-log/main';
import { AppHost } from '../runtime';
import { routeElectronLog } from '../logs/logger';
import {
  IPC_ANSWER, IPC_ASK, IPC_CALL, IPC_EVENT, IPC_OPEN_PDF, IPC_PRINT, isAllowedUrl, mainWindowOptions, pdfFromRenderer, printFileName,
  printWindowOptions,
} from './security';
import { exportLogs } from '../logs/export';
import { initialBounds, logsExportName, menuTemplate, quitPrompt, readWindowState, withTimeout, writeWindowState } from './shell';
import { safeStorageSecretStore } from '../secrets';
import { getSetting } from '../db/settings';
import { localSetting } from '../db/settings';
import {
  electronPrintErrorMessage, findPrinter, missingPrinterMessage, planPrint, PrintError, spool, type PrintOutcome, type PrintPlan,
} from '../documents/print-plan';

const rendererIndex = path.join(PROJECT_ROOT, 'dist-renderer', 'index.html');
const dataFlag = process.argv.find((a, i) => process.argv[i - 1] === '--data');
/** How long quitting lets the runner finish the jobs in flight (DESIGN §4; the runner's stopTimeoutMs). */
const RUNNER_STOP_MS = 5_000;
/** Chromium's PDF viewer draws after the load event: printing at once can give a blank page (electron#30947). */
const PDF_SETTLE_MS = 700;
/** A print that has not answered by then is reported as failed (a silent job can sit unanswered: electron#39092). */
const PRINT_TIMEOUT_MS = 30_000;

async function start(): Promise<void> {
  const userData = electronApp.getPath('userData');
  const dataDir = resolveDataDir(dataFlag ?? userData);
  // Secrets: the data key sealed by the OS keychain (safeStorage); notes about it are logged once the logs are open.
  const secretNotes: [ 'warn' | 'info', string ][] = [];
  const note = (level: 'warn' | 'info') => (m: string) => {
    if (!secretNotes.some(([, seen]) => seen === m)) secretNotes.push([level, m]);
  };
  // The host owns the app and its services (the same as `serve`), and swaps them whole when a backup is restored.
  // It throws when e.g. another iziSales or `worker` already sends from this folder (the lock's message says so).
  const host = await AppHost.start({
    dataDir, seedIfEmpty: false, stopGraceMs: 2_000,
    secrets: () => safeStorageSecretStore(dataDir, safeStorage, { warn: note('warn'), info: note('info') }),
  });
  routeElectronLog(log, host.services.logger);
  for (const [level, m] of secretNotes.splice(0)) host.services.logger[level]('App', m);

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
      return { ok: true, value: await host.invoke(name, input, token) };
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError('internal', 'Error interno.');
      return { ok: false, error: { code: apiErr.code, message: apiErr.message, issues: apiErr.issues } };
    }
  });
  const forwardEvents = () => {
    for (const event of ['sale.updated', 'status', 'queue.updated', 'print.updated'] as EventName[]) {
      host.app.events.on(event, (payload) => {
        if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload);
      });
    }
  };
  forwardEvents();
  // After a restore: a new app (its events), new logs; the old app's listeners went with it.
  host.onSwap(() => {
    forwardEvents();
    routeElectronLog(log, host.services.logger);
  });

  // Printing (the sale is already committed: a failure here only shows a message and "Abrir PDF").
  ipcMain.handle(IPC_PRINT, async (e, pdfBase64: unknown, fileName: unknown): Promise<PrintOutcome> => {
    if (e.sender !== win.webContents) return { ok: false, message: 'Origen no permitido.' };
    const pdf = pdfFromRenderer(pdfBase64);
    if (!pdf) return { ok: false, message: 'El documento a imprimir no es un PDF válido. Use "Abrir PDF" e imprímalo desde el visor.' };
    const name = printFileName(fileName);
    const outcome = await printPdf(pdf, name).catch((err: unknown): PrintOutcome => ({ ok: false, message: electronPrintErrorMessage(String(err), null) }));
    if (outcome.ok) host.services.logger.info('Print', `${name} enviado a ${outcome.printer}`);
    else host.services.logger.warn('Print', `${name}: ${outcome.message}`);
    return outcome;
  });
  ipcMain.handle(IPC_OPEN_PDF, async (e, pdfBase64: unknown, fileName: unknown) => {
    if (e.sender !== win.webContents) return { ok: false, message: 'Origen no permitido.' };
    const pdf = pdfFromRenderer(pdfBase64);
    if (!pdf) return { ok: false, message: 'El documento no es un PDF válido.' };
    // Kept until the system's viewer has read it; the folder is the OS's temporary one.
    const dir = path.join(os.tmpdir(), 'izisales-pdf');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, printFileName(fileName));
    fs.writeFileSync(file, pdf, { mode: 0o600 });
    const problem = await shell.openPath(file);
    return problem ? { ok: false, message: `No se pudo abrir el PDF: ${problem}` } : { ok: true };
  });

  async function printPdf(pdf: Buffer, name: string): Promise<PrintOutcome> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-print-'));
    const file = path.join(dir, name);
    try {
      fs.writeFileSync(file, pdf, { mode: 0o600 });
      const db = host.app.db;
      let plan: PrintPlan;
      try {
        plan = planPrint({
          platform: process.platform, printerName: getSetting(db, 'printerName'), paperWidth: localSetting(db, 'paperWidth'), pdf,
          title: name.replace(/\.pdf$/, ''), file,
        });
      } catch (err) {
        if (err instanceof PrintError) return { ok: false, message: err.message };
        throw err;
      }
      return plan.method === 'lp' ? await spool(plan) : await printWithChromium(file, plan);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Windows: the PDF in a hidden window, printed by Chromium with the printer and page of the plan. */
  async function printWithChromium(file: string, plan: PrintPlan): Promise<PrintOutcome> {
    const options = { ...plan.electron! };
    if (plan.printer) {
      // A silent job to a printer that does not exist may never answer: check the installed ones first.
      const installed = findPrinter(await win.webContents.getPrintersAsync(), plan.printer);
      if (!installed) return { ok: false, message: missingPrinterMessage(plan.printer) };
      options.deviceName = installed;
    }
    return new Promise((resolve) => {
      const pw = new BrowserWindow(printWindowOptions());
      pw.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      let settled = false;
      const finish = (o: PrintOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!pw.isDestroyed()) pw.destroy();
        resolve(o);
      };
      const timer = setTimeout(() => finish({ ok: false, message: electronPrintErrorMessage('timed out', plan.printer) }), PRINT_TIMEOUT_MS);
      pw.webContents.once('did-fail-load', () => finish({ ok: false, message: electronPrintErrorMessage('Print job failed', plan.printer) }));
      pw.webContents.once('did-finish-load', () => {
        setTimeout(() => {
          if (settled || pw.isDestroyed()) return;
          pw.webContents.print(options, (success, reason) =>
            finish(success ? { ok: true, printer: plan.printerLabel } : { ok: false, message: electronPrintErrorMessage(reason, plan.printer) }));
        }, PDF_SETTLE_MS);
      });
      pw.loadFile(file).catch(() => finish({ ok: false, message: electronPrintErrorMessage('Print job failed', plan.printer) }));
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
          shell.showItemInFolder(exportLogs(host.app, { out: r.filePath }).out);
        } catch (e) {
          dialog.showErrorBox('iziSales', `No se pudieron exportar los registros: ${(e as Error).message}`);
        }
      });
    },
    about: () => {
      void dialog.showMessageBox(win, {
        title: 'Acerca de iziSales', message: `iziSales ${electronApp.getVersion()}`,
        detail: `Punto de venta con comprobantes electrónicos SUNAT.\nCarpeta de datos: ${host.app.dataDir}`, buttons: ['Cerrar'],
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
      await withTimeout(host.stop(), RUNNER_STOP_MS + 4_000);
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
