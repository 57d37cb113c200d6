// Shared setup for the end-to-end tests: build the renderer when needed, run `izisales serve` on a fresh data
// directory, drive Debian's chromium through playwright-core.
import { expect } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { ensureRendererBuilt as buildRendererIfNeeded } from '../../src-main/renderer-build';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'bin', 'izisales.mjs');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Builds dist-renderer/ when it is missing or older than its sources: the same decision as `izisales serve`, into a
 * side folder swapped in whole, so e2e files starting in parallel never serve a half-emptied folder.
 */
export function ensureRendererBuilt(): void {
  buildRendererIfNeeded(() => {});
}

export interface RunningServer {
  url: string;
  dataDir: string;
  output: () => string;
  /** Stops the server; its data directory is removed unless `keep` (a restart on the same data follows). */
  stop: (opts?: { keep?: boolean }) => Promise<void>;
}

/** `izisales serve --port 0 --data <fresh dir>`; resolves with the URL it prints. The demo store is seeded first unless `demo: false`. */
export interface ServerOptions {
  /** Seed the demo store first (default true). */
  demo?: boolean;
  /** A SUNAT simulator the test runs; null: no --sunat-url at all, the saved SUNAT mode decides (as for a user). */
  sunatUrl?: string | null;
  /** Extra environment for the server (e.g. IZISALES_TEST_BETA_URL). */
  env?: Record<string, string>;
  /** Serve this data directory as it is (a restart of a store); default: a fresh one. */
  dataDir?: string;
}

let template: string | null = null;
const TEMPLATE_PREFIX = 'izisales-e2e-template-';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The demo store as `izisales seed` loads it, seeded once per test process (the files of a worker share it) and
 * copied for each server: a closed SQLite file, the same as a fresh seed, without its second of work each time. It is
 * named by the process's pid; vitest ends its workers without an exit event, so the next process removes the
 * templates of processes that are gone.
 */
function demoTemplate(): string {
  if (template) return template;
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = name.startsWith(TEMPLATE_PREFIX) ? Number(name.slice(TEMPLATE_PREFIX.length)) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
  const dir = path.join(os.tmpdir(), `${TEMPLATE_PREFIX}${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  execFileSync(process.execPath, [CLI, 'seed', '--data', dir], { cwd: ROOT, stdio: 'ignore' });
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return (template = dir);
}

export async function startServer(timeoutMs = 60_000, opts: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-e2e-'));
  // `serve` leaves a new data directory empty (the first-run screen); the POS tests want the demo store, loaded first.
  if (opts.demo !== false && !opts.dataDir) fs.copyFileSync(path.join(demoTemplate(), 'izisales.db'), path.join(dataDir, 'izisales.db'));
  // By default the store is offline (SUNAT unreachable: a closed local port), as in the cashier's worst day: sales
  // still ring up. `sunatUrl`: a SUNAT simulator the test runs.
  const sunatArgs = opts.sunatUrl === null ? [] : ['--sunat-url', opts.sunatUrl ?? 'http://127.0.0.1:9'];
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', ...opts.env };
  if (opts.sunatUrl === null) delete env.IZISALES_SUNAT_URL;
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data', dataDir, ...sunatArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`izisales serve printed no URL in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`izisales serve exited with ${code} before listening:\n${out}`));
    });
  });

  return {
    url,
    dataDir,
    output: () => out,
    async stop(o = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (!o.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let shared: Promise<Browser> | null = null;

/**
 * A browser for one test file: chromium is started once per test process and shared by the files that process runs
 * (vitest runs them one after another in it, with isolate off), each file in contexts of its own — cookies, storage
 * and pages apart, as two fresh browsers would keep them. What the file gets behaves as a Browser whose close()
 * closes only its own contexts. Starting chromium cost ~0.6 s a file and its close ~0.2 s. Chromium goes with the
 * test process (Playwright closes it on exit and on SIGTERM; a killed parent closes the pipe it is driven by).
 */
export async function launchBrowser(): Promise<Browser> {
  shared ??= chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true }).then((b) => {
    b.once('disconnected', () => (shared = null));
    return b;
  });
  const browser = await shared;
  const mine: BrowserContext[] = [];
  const newContext = async (o?: BrowserContextOptions) => {
    const c = await browser.newContext(o);
    mine.push(c);
    return c;
  };
  return new Proxy(browser, {
    get(target, prop) {
      if (prop === 'newContext') return newContext;
      if (prop === 'newPage') return async (o?: BrowserContextOptions) => (await newContext(o)).newPage();
      if (prop === 'contexts') return () => [...mine];
      if (prop === 'close') return async () => void (await Promise.all(mine.splice(0).map((c) => c.close())));
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export interface CliSale {
  number: string;
  documentType: string;
  total: string;
  customer: string;
  sunatStatus: string;
}

/** What is recorded, read by the CLI from the same data directory (independent of the UI). */
export function cliSalesList(dataDir: string): CliSale[] {
  const out = execFileSync(process.execPath, [CLI, 'sales', 'list', '--data', dataDir, '--json'], { cwd: ROOT, encoding: 'utf8' });
  const line = out.trim().split('\n').filter(Boolean).pop() ?? '[]';
  return JSON.parse(line) as CliSale[];
}

export interface DemoProduct {
  barcode: string;
  name: string;
  price: string;
}

export function demoProducts(): DemoProduct[] {
  const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'resources', 'demo-catalog.json'), 'utf8')) as { products: DemoProduct[] };
  return catalog.products;
}

export interface PosPage {
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Console errors and uncaught page errors seen so far (a test ends by asserting none it did not expect). */
  problems: string[];
  login(username: string, pin: string): Promise<void>;
  /** Opens the app, logs in and opens the drawer with `float` soles: the sale screen is ready to scan. */
  startShift(username: string, pin: string, float: string): Promise<void>;
  /** Scans one unit of `barcode`, pays `cash` in cash and waits for the sale's number, which it returns. */
  sellOneInCash(barcode: string, cash: string): Promise<string>;
  close(): Promise<void>;
}

/** The built renderer served by a fresh `izisales serve` (offline unless `sunatUrl`: a simulator the test runs), open in chromium. */
export async function openPosPage(opts: ServerOptions = {}): Promise<PosPage> {
  ensureRendererBuilt();
  const server = await startServer(60_000, opts);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'es-PE' });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  const byTestId = (id: string) => page.getByTestId(id);
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
  const pos: PosPage = {
    server, browser, page, problems,
    async login(username, pin) {
      await byTestId('login-username').fill(username);
      await byTestId('login-pin').fill(pin);
      await page.keyboard.press('Enter');
    },
    async startShift(username, pin, float) {
      await page.goto(server.url);
      await pos.login(username, pin);
      await byTestId('open-float').waitFor();
      await expect.poll(focused).toBe('open-float');
      await page.keyboard.type(float);
      await page.keyboard.press('Enter');
      await byTestId('scan-input').waitFor();
    },
    async sellOneInCash(barcode, cash) {
      await expect.poll(focused).toBe('scan-input');
      await page.keyboard.type(barcode);
      await page.keyboard.press('Enter');
      await expect.poll(() => byTestId('cart-line').count()).toBe(1);
      await page.keyboard.press('F8');
      // Cobrar opens on the cash amount with the total selected: what is typed replaces it.
      await byTestId('pay-method-0').waitFor();
      await expect.poll(focused).toBe('pay-amount-0');
      await page.keyboard.type(cash);
      await page.keyboard.press('Enter');
      await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toMatch(/^[BF]\d{3}-\d{8}$/);
      return (await byTestId('sale-number').textContent())!;
    },
    async close() {
      await browser.close();
      await server.stop();
    },
  };
  return pos;
}
