import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { mainWindowOptions, windowWebPreferences, isAllowedUrl } from '../../src-main/electron/security';
import { logsExportName, initialBounds, menuTemplate, quitPrompt, readWindowState, withTimeout, writeWindowState, type MenuSpec } from '../../src-main/electron/shell';
import { startServer, type Server } from '../../src-main/serve';
import { Api } from '../../src-main/api';
import { demoApp, tempDir, type TestApp } from '../helpers/app';
import { ensureRendererBuilt } from '../../src-main/renderer-build';
import { PROJECT_ROOT } from '../../src-main/paths';

describe('the shell window cannot be loosened', () => {
  const o = mainWindowOptions('/x/preload.cjs', { width: 1280, height: 800 });
  it.each([
    ['contextIsolation', true], ['sandbox', true], ['nodeIntegration', false], ['nodeIntegrationInWorker', false],
    ['webSecurity', true], ['allowRunningInsecureContent', false], ['webviewTag', false],
  ] as const)('%s is %s', (key, value) => {
    expect(o.webPreferences[key]).toBe(value);
    expect(windowWebPreferences('/x/preload.cjs')[key]).toBe(value);
  });
  it('has no other way to reach Node from the page', () => {
    const keys = Object.keys(o.webPreferences).sort();
    expect(keys).toEqual(['allowRunningInsecureContent', 'contextIsolation', 'nodeIntegration', 'nodeIntegrationInWorker', 'preload', 'sandbox', 'spellcheck', 'webSecurity', 'webviewTag']);
  });
  it('navigates only to its own page', () => {
    expect(isAllowedUrl('file:///app/dist-renderer/index.html', '/app/dist-renderer/index.html')).toBe(true);
    expect(isAllowedUrl('https://example.com/', '/app/dist-renderer/index.html')).toBe(false);
    expect(isAllowedUrl('file:///etc/passwd', '/app/dist-renderer/index.html')).toBe(false);
  });
  it('only src-main/electron imports electron, and the preload imports nothing else', () => {
    const preload = fs.readFileSync('src-main/electron/preload.ts', 'utf8');
    expect([...preload.matchAll(/from '([^']+)'/g)].map((m) => m[1])).toEqual(['electron']);
  });
});

describe('electron-builder.yml', () => {
  const yml = fs.readFileSync('electron-builder.yml', 'utf8');
  /** The items of a top-level list key, from a plain YAML file (no anchors, no flow style). */
  const list = (key: string): string[] => {
    const lines = yml.split('\n');
    const start = lines.findIndex((l) => l === `${key}:`);
    if (start < 0) return [];
    const out: string[] = [];
    for (const l of lines.slice(start + 1)) {
      if (/^\S/.test(l)) break;
      const m = /^\s+-\s+(.+)$/.exec(l);
      if (m) out.push(m[1].replace(/^["']|["']$/g, ''));
    }
    return out;
  };
  const scalar = (key: string) => new RegExp(`^${key}:\\s*(.+)$`, 'm').exec(yml)?.[1].trim();

  it('names the app and unpacks the native SQLite module from the asar', () => {
    expect(scalar('appId')).toBe('pe.izisales.pos');
    expect(scalar('productName')).toBe('iziSales');
    expect(list('asarUnpack').some((p) => p.includes('node_modules/better-sqlite3'))).toBe(true);
  });
  it('rebuilds native modules when packaging, never in postinstall', () => {
    expect(scalar('npmRebuild')).toBe('true');
    const scripts = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['preinstall', 'install', 'postinstall']) expect(scripts[name] ?? '').not.toMatch(/rebuild|install-app-deps|electron-builder/);
  });
  it('packs what the bundled app loads, with the icons that exist', () => {
    const files = list('files');
    for (const f of ['dist-main/**/*', 'dist-renderer/**/*', 'resources/**/*']) expect(files).toContain(f);
    expect(/main:\s*dist-main\/main\.cjs/.test(yml)).toBe(true);
    for (const icon of ['resources/icon.ico', 'resources/icon.png']) {
      expect(yml).toContain(`icon: ${icon}`);
      expect(fs.existsSync(icon)).toBe(true);
    }
    const png = fs.readFileSync('resources/icon.png');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    expect(yml).toMatch(/target: nsis/);
    expect(yml).toMatch(/^\s+- AppImage$/m);
    expect(yml).toMatch(/^\s+- deb$/m);
  });
});

describe('the served page\'s CSP', () => {
  let t: TestApp;
  let server: Server;
  const staticDir = tempDir('izisales-static-');
  beforeAll(async () => {
    t = demoApp({ openSession: false });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>iziSales</title>');
    server = await startServer(new Api(t.app), { port: 0, staticDir });
  });
  afterAll(async () => {
    await server.close();
    await t.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it('allows scripts only from the app itself and nothing unsafe', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).not.toMatch(/unsafe-/);
    expect(csp.split(';').map((d) => d.trim())).toContain("script-src 'self'");
    expect(csp).toMatch(/object-src 'none'/);
  });
  it('the built page carries no unsafe CSP either', () => {
    // Built here when missing or stale (as `izisales serve` does), never skipped.
    ensureRendererBuilt(() => {});
    expect(fs.readFileSync(path.join(PROJECT_ROOT, 'dist-renderer', 'index.html'), 'utf8')).not.toMatch(/unsafe-/);
  }, 180_000);
});

describe('shell helpers', () => {
  it('keeps the window where it was, unless that place is off every screen now', () => {
    const dir = tempDir('izisales-ws-');
    try {
      expect(readWindowState(dir)).toBeNull();
      writeWindowState(dir, { bounds: { x: 1920, y: 100, width: 1024, height: 700 }, maximized: false });
      const saved = readWindowState(dir);
      expect(saved).toEqual({ bounds: { x: 1920, y: 100, width: 1024, height: 700 }, maximized: false });
      const two = [{ x: 0, y: 0, width: 1920, height: 1040 }, { x: 1920, y: 0, width: 1920, height: 1040 }];
      expect(initialBounds(saved, two).bounds).toEqual({ x: 1920, y: 100, width: 1024, height: 700 });
      expect(initialBounds(saved, [two[0]]).bounds).toEqual({ width: 1280, height: 800 }); // second monitor unplugged
      fs.writeFileSync(path.join(dir, 'window-state.json'), '{broken');
      expect(readWindowState(dir)).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has the Spanish menu with log export and about', () => {
    const calls: string[] = [];
    const menu = menuTemplate({ exportLogs: () => calls.push('logs'), about: () => calls.push('about'), quit: () => calls.push('quit') });
    expect(menu.map((m) => m.label)).toEqual(['Archivo', 'Editar', 'Ver', 'Ayuda']);
    const help = menu.find((m) => m.label === 'Ayuda')!.submenu!.filter((i: MenuSpec) => i.label);
    expect(help.map((i) => i.label)).toEqual(['Exportar registros…', 'Acerca de iziSales']);
    help.forEach((i) => i.click?.());
    expect(calls).toEqual(['logs', 'about']);
  });

  it('asks before quitting only while a payment is open', () => {
    expect(quitPrompt(false)).toBeNull();
    const p = quitPrompt(true)!;
    expect(p.buttons[p.cancelId]).toBe('Volver al cobro');
  });

  it('suggests a dated name for the support zip', () => {
    expect(logsExportName(new Date('2026-11-27T15:04:05.123Z'))).toBe('izisales-registros-20261127-150405.zip');
  });

  it('gives a stuck stop at most its time', async () => {
    expect(await withTimeout(new Promise(() => {}), 20)).toBe(false);
    expect(await withTimeout(Promise.resolve(), 20)).toBe(true);
  });
});
