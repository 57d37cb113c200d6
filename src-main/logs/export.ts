// `izisales logs export`: the last N days of logs plus diagnostics.json in one zip for support. Everything is passed
// through the redactor again with the secrets known now (a log written before a password changed is still masked),
// and the settings that hold secrets are left out entirely.
import { readSunatCredentials } from '../db/settings-credentials';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync, strToU8, type Zippable } from 'fflate';
import type { Db } from '../db/connection';
import type { Clock } from '../adapters';
import type { SecretStore } from '../secrets';
import { PROJECT_ROOT } from '../paths';
import { limaDate } from '../../src-shared/time';
import { dirs, dirSize, writeFileAtomic } from '../files/store';
import { LOG_FILE_RE } from './logger';
import { Redactor } from './redact';

/** Settings never exported (encrypted secrets) and any key that looks like one. */
const SECRET_SETTING_KEYS = new Set(['certificate', 'sunatCredentials']);
const SECRET_KEY_RE = /password|secret|token|credential|clave/i;

/** What the log export uses of the app (the App satisfies it): the secrets to mask, the database, the clock, the folder. */
export interface LogExportDeps {
  db: Db;
  clock: Clock;
  dataDir: string;
  secrets: SecretStore;
}

/** The secret values this data directory holds, decrypted, so they can be masked wherever they appear. */
export function runtimeSecrets(app: Pick<LogExportDeps, 'db' | 'secrets'>): string[] {
  const out: string[] = [];
  const setting = (key: string): Record<string, unknown> | null => {
    const row = app.db.first(app.db.q.selectFrom('settings').select('value').where('key', '=', key));
    try {
      return row ? (JSON.parse(row.value) as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const sol = readSunatCredentials(app.db, app.secrets)?.solPassword;
  if (sol) out.push(sol);
  // The hub's token (migration 016 hub_link), once this till joined a hub.
  const hub = app.db.prepare('SELECT token_sealed FROM hub_link WHERE id = 1').get() as { token_sealed: string } | undefined;
  if (hub) {
    try {
      out.push(Buffer.from(app.secrets.decrypt(Buffer.from(hub.token_sealed, 'base64'))).toString('utf8'));
    } catch {
      // an undecryptable token cannot leak in clear either
    }
  }
  const cert = setting('certificate');
  if (typeof cert?.password === 'string') {
    try {
      out.push(Buffer.from(app.secrets.decrypt(Buffer.from(cert.password, 'base64'))).toString('utf8'));
    } catch {
      // an undecryptable password cannot leak in clear either
    }
  }
  return out;
}

/** This iziSales's version (package.json), for support and for the hub's enrolment. */
export function appVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return process.env.npm_package_version ?? 'desconocida';
  }
}

export function diagnostics(app: Pick<LogExportDeps, 'db' | 'clock' | 'dataDir'>): Record<string, unknown> {
  const db = app.db;
  const settings: Record<string, unknown> = {};
  for (const r of db.all(db.q.selectFrom('settings').select(['key', 'value']).orderBy('key'))) {
    if (SECRET_SETTING_KEYS.has(r.key) || SECRET_KEY_RE.test(r.key)) continue;
    try {
      settings[r.key] = JSON.parse(r.value);
    } catch {
      settings[r.key] = r.value;
    }
  }
  const count = (rows: { k: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.k, r.n]));
  return {
    generatedAt: app.clock.now().toISOString(),
    version: appVersion(),
    os: {
      platform: process.platform, release: os.release(), arch: process.arch, node: process.versions.node,
      electron: process.versions.electron ?? null, totalMemBytes: os.totalmem(), freeMemBytes: os.freemem(),
    },
    dataDir: app.dataDir,
    dataDirBytes: dirSize(app.dataDir),
    queue: count(db.all(db.q.selectFrom('jobs').select((eb) => ['state as k', eb.fn.countAll<number>().as('n')]).groupBy('state'))),
    documents: count(db.all(db.q.selectFrom('documents').select((eb) => ['status as k', eb.fn.countAll<number>().as('n')]).groupBy('status'))),
    recentFailures: db.all(
      db.q.selectFrom('jobs').select(['id', 'kind', 'state', 'attempts', 'last_error as lastError', 'updated_at as updatedAt'])
        .where((eb) => eb.or([
          eb('state', 'in', ['failed', 'retrying', 'waiting_network']),
          eb.and([eb('last_error', 'is not', null), eb('state', '<>', 'succeeded')]),
        ]))
        .orderBy('updated_at', 'desc').limit(20),
    ),
    rejectedDocuments: db.all(
      db.q.selectFrom('documents').select(['file_name as fileName', 'status', 'cdr_code as cdrCode', 'last_error as lastError', 'updated_at as updatedAt'])
        .where('status', 'in', ['rejected', 'error']).orderBy('updated_at', 'desc').limit(20),
    ),
    settings,
    integrityCheck: (db.raw.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
  };
}

export interface ExportResult { out: string; files: string[]; bytes: number }

/** Writes the support zip to `out`: logs/<files of the last `days` days> and diagnostics.json. */
export function exportLogs(app: LogExportDeps, opts: { out: string; days?: number; extraSecrets?: string[] }): ExportResult {
  const days = opts.days ?? 7;
  const redactor = new Redactor([...runtimeSecrets(app), ...(opts.extraSecrets ?? [])]);
  const today = limaDate(app.clock.now());
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const entries: Zippable = {};
  const dir = dirs.logs(app.dataDir);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    // no logs yet: the zip still carries the diagnostics
  }
  for (const n of names) {
    const m = LOG_FILE_RE.exec(n);
    if (!m || m[2] < from || m[2] > today) continue;
    entries[`logs/${n}`] = strToU8(redactor.redact(fs.readFileSync(path.join(dir, n), 'utf8')));
  }
  entries['diagnostics.json'] = strToU8(redactor.redact(JSON.stringify(diagnostics(app), null, 2)) + '\n');
  const zip = zipSync(entries, { level: 6 });
  writeFileAtomic(path.resolve(opts.out), zip);
  return { out: path.resolve(opts.out), files: Object.keys(entries), bytes: zip.length };
}
