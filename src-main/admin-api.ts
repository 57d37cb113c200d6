// Store setup and administration: the contract's handlers for first run, settings, products, users and backups.
// Api.invoke (api.ts) has already validated the input and checked the call's roles; the backend functions check the
// acting user's role again by themselves and throw ApiErrors that go straight through to the screen.
import path from 'node:path';
import type { z } from 'zod';
import { sql, type SqlBool } from 'kysely';
import { ApiError, type AdminProductView, type AdminSettingsView, type AdminUserView, type CallOutput, type calls } from '../src-shared/contract';
import type { App } from './app';
import type { Product, User } from './db/schema';
import { backupDatabase, backupDir, BackupError, listBackups, manualBackupName } from './db/backup';
import { audit } from './db/audit';
import { isFirstRun, setupDemoStore, setupOwnStore } from './pos/setup';
import { readSettings } from './db/settings-change';
import { addProduct, addUser, assertAdmin, assertManager, changeUserRole, editProduct, resetUserPin, setProductActive, setUserActive, unlockUser, updateSettings } from './pos/admin';
import { lockoutView } from './pos/sessions';
import { exportProductCsv, importProductCsv, previewProductCsv } from './pos/catalog-csv';
import { getUser } from './pos/users';
import { importCertificate, showCertificate } from './pos/certificate-admin';
import { listCustomers, updateCustomer } from './pos/customers';
import type { AdminCustomerView } from '../src-shared/contract';
import type { Customer } from './db/schema';
import { clockState, confirmClock } from './db/settings-clock';
import { clockVerdict } from '../src-shared/clock-trust';
import type { ClockView } from '../src-shared/contract';
import { joinHub } from './replication/enrol';
import { HubFailure } from './replication/http';
import { hubStatus } from './replication/link';
import { appVersion } from './logs/export';
import { hubJoinNotices } from '../src-shared/labels';

function clockView(app: App, now: Date): ClockView {
  const { observation, confirmation } = clockState(app.db);
  const v = clockVerdict({ now, observation, confirmation });
  return {
    pcTime: now.toISOString(),
    trustedTime: observation ? new Date(now.getTime() + observation.offsetMs).toISOString() : null,
    observation, confirmation, level: v.level, message: v.message, canMeasure: app.checkClock !== undefined,
  };
}

type PublicCall = 'setup.status' | 'setup.demo' | 'setup.own';
export type AdminCall = PublicCall | 'settings.get' | 'settings.update' | 'products.list' | 'products.save' | 'products.setActive'
  | 'products.csvPreview' | 'products.csvImport' | 'products.csvExport' | 'users.list' | 'users.create' | 'users.setRole'
  | 'users.resetPin' | 'users.setActive' | 'users.unlock' | 'db.backupNow' | 'db.backups' | 'db.restore' | 'admin.hubJoin' | 'admin.hubStatus';

// Issue 7's remaining settings: the certificate and the customers (taxes, schedules, retention go through settings.*).
type StoreCall = 'cert.show' | 'cert.import' | 'customers.list' | 'customers.update' | 'clock.status' | 'clock.check' | 'clock.confirm';

type PublicCtx = { app: App; now: Date };
/** `api` lets a handler register a secret it received (a password) with the log redactor before anything can log it. */
type UserCtx = PublicCtx & { user: User; api: { addSecret(value: string): void } };
type AdminHandlers = {
  [K in AdminCall | StoreCall]: (ctx: K extends PublicCall ? PublicCtx : UserCtx, input: z.output<(typeof calls)[K]['input']>) => CallOutput<K> | Promise<CallOutput<K>>;
};

export function adminProductView(p: Product): AdminProductView {
  return {
    id: p.id, sku: p.sku, barcode: p.barcode, name: p.name, price: p.price, taxAffectation: p.tax_affectation, unitCode: p.unit_code,
    stock: p.stock, active: p.active === 1, isBag: p.is_bag === 1,
  };
}

function productById(app: App, id: number): AdminProductView {
  const p = app.db.first(app.db.q.selectFrom('products').selectAll().where('id', '=', id));
  if (!p) throw new ApiError('not_found', 'El producto no existe.');
  return adminProductView(p);
}

function adminUserView(u: User, now: Date): AdminUserView {
  return { id: u.id, username: u.username, name: u.name, role: u.role, active: u.active === 1, ...lockoutView(u, now) };
}

function userById(app: App, id: number): AdminUserView {
  const u = getUser(app.db, id);
  if (!u) throw new ApiError('not_found', 'El usuario no existe.');
  return adminUserView(u, app.clock.now());
}

function settingsView(app: App): AdminSettingsView {
  return readSettings(app.db, app.clock.now());
}

function adminCustomerView(c: Customer): AdminCustomerView {
  return { id: c.id, docType: c.doc_type, docNumber: c.doc_number, name: c.name, address: c.address, email: c.email, createdAt: c.created_at };
}

/** Products by code, barcode or name (a plain substring, so a half-typed code is found too); inactive ones on request. */
export function listAdminProducts(app: App, query: string, includeInactive: boolean, limit = 200): AdminProductView[] {
  const q = query.trim();
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matches = (column: 'sku' | 'barcode' | 'name') => sql<SqlBool>`${sql.ref(column)} LIKE ${like} ESCAPE '\\'`;
  const rows = app.db.all(
    app.db.q.selectFrom('products').selectAll()
      .$if(q !== '', (qb) => qb.where((eb) => eb.or([matches('sku'), matches('barcode'), matches('name')])))
      .$if(!includeInactive, (qb) => qb.where('active', '=', 1))
      .orderBy('name', (ob) => ob.collate('nocase')).limit(limit),
  );
  return rows.map(adminProductView);
}

export const adminHandlers: AdminHandlers = {
  'setup.status': ({ app }) => ({ firstRun: isFirstRun(app.db) }),
  'setup.demo': ({ app }) => {
    setupDemoStore(app);
    return { ok: true as const };
  },
  'setup.own': ({ app }, i) => {
    const id = setupOwnStore(app, i);
    return { ok: true as const, adminUsername: getUser(app.db, id)!.username };
  },
  'settings.get': ({ app }) => settingsView(app),
  'settings.update': ({ app, api, user, now }, i) => {
    if (i.sunat?.solPassword) api.addSecret(i.sunat.solPassword);
    updateSettings(app.db, now, user.id, i, app.secrets);
    app.statusChanged();
    return settingsView(app);
  },
  'cert.show': ({ app, user, now }) => {
    assertAdmin(user);
    return showCertificate(app.db, app.secrets, now);
  },
  'cert.import': ({ app, api, user, now }, i) => {
    api.addSecret(i.password);
    const view = importCertificate(app, now, user.id, new Uint8Array(Buffer.from(i.pfxBase64, 'base64')), i.password, 'ui', { confirmRucChange: i.confirmRucChange });
    app.statusChanged(); // the status bar's certificate warning
    return view;
  },
  'clock.status': ({ app, now }) => clockView(app, now),
  'clock.check': async ({ app }) => {
    await app.checkClock?.();
    return clockView(app, app.clock.now());
  },
  'clock.confirm': ({ app, user, now }) => {
    assertAdmin(user);
    confirmClock(app.db, now, user);
    app.statusChanged();
    return clockView(app, now);
  },
  'customers.list': ({ app, user }, i) => {
    assertManager(user);
    return listCustomers(app.db, i.query ?? '').map(adminCustomerView);
  },
  'customers.update': ({ app, user, now }, i) => {
    const { id, ...patch } = i;
    return adminCustomerView(updateCustomer(app.db, now, user.id, id, patch));
  },
  'products.list': ({ app }, i) => listAdminProducts(app, i.query ?? '', i.includeInactive ?? false),
  'products.save': ({ app, user, now }, i) => {
    const fields = { sku: i.sku, barcode: i.barcode ?? null, name: i.name, price: i.price, taxAffectation: i.taxAffectation, unitCode: i.unitCode, stock: i.stock };
    if (i.id === undefined) return productById(app, addProduct(app.db, now, user.id, { ...fields, isBag: i.isBag }));
    editProduct(app.db, now, user.id, i.id, fields);
    return productById(app, i.id);
  },
  'products.setActive': ({ app, user, now }, i) => {
    setProductActive(app.db, now, user.id, i.id, i.active);
    return productById(app, i.id);
  },
  'products.csvPreview': ({ app }, i) => previewProductCsv(app.db, i.text),
  'products.csvImport': ({ app, user, now }, i) => importProductCsv(app.db, now, user.id, i.text),
  'products.csvExport': ({ app }) => ({ csv: exportProductCsv(app.db) }),
  'users.list': ({ app, user, now }) => {
    assertManager(user);
    return app.db.all(app.db.q.selectFrom('users').selectAll().orderBy('active', 'desc').orderBy('username')).map((u) => adminUserView(u, now));
  },
  'users.create': ({ app, user, now }, i) => userById(app, addUser(app.db, now, user.id, i)),
  'users.setRole': ({ app, user, now }, i) => {
    changeUserRole(app.db, now, user.id, i.id, i.role);
    return userById(app, i.id);
  },
  'users.resetPin': ({ app, user, now }, i) => {
    resetUserPin(app.db, now, user.id, i.id, i.pin);
    return { ok: true as const };
  },
  'users.setActive': ({ app, user, now }, i) => {
    setUserActive(app.db, now, user.id, i.id, i.active);
    return userById(app, i.id);
  },
  'users.unlock': ({ app, user, now }, i) => {
    unlockUser(app.db, now, user.id, i.id);
    return userById(app, i.id);
  },
  'db.backupNow': async ({ app, user, now }) => {
    const file = path.join(backupDir(app.dataDir), manualBackupName(now));
    try {
      await backupDatabase(app.db, file);
    } catch (e) {
      if (e instanceof BackupError) throw new ApiError('rule', e.message);
      throw e;
    }
    audit(app.db, now, user.id, 'db.backup', 'database', undefined, { file, via: 'ui' });
    return { file };
  },
  'db.backups': ({ app, user }) => {
    assertAdmin(user);
    return listBackups(app.dataDir);
  },
  'admin.hubStatus': ({ app, user }) => {
    assertAdmin(user);
    return hubStatus(app.db);
  },
  'admin.hubJoin': async ({ app, api, user }, i) => {
    assertAdmin(user);
    const joined = await joinHub({ db: app.db, secrets: app.secrets, now: () => app.clock.now() }, {
      url: i.url, code: i.code, appVersion: appVersion(), userId: user.id, via: 'ui', addSecret: (v) => api.addSecret(v),
    }).catch((e: unknown) => {
      throw e instanceof HubFailure ? new ApiError('rule', e.message) : e;
    });
    app.events.emit('queue.updated', { action: 'retry', jobId: null }); // the first push and pull: the runner looks now
    app.statusChanged(); // the status's hubUrl: the admin screens of what the hub owns turn read-only
    return { ...hubStatus(app.db), notices: hubJoinNotices(joined) };
  },
  // The process that owns the app (serve, the shell: runtime.ts AppHost) checks the copy, restarts and audits.
  'db.restore': async ({ app, user }, i) => {
    assertAdmin(user);
    if (!app.restoreBackup) throw new ApiError('rule', 'Aquí no se puede restaurar: cierre iziSales y use "izisales db restore ARCHIVO".');
    try {
      return await app.restoreBackup(i.file, { userId: user.id, username: user.username });
    } catch (e) {
      if (e instanceof BackupError) throw new ApiError('rule', e.message);
      throw e;
    }
  },
};
