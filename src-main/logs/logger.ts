// The log writer shared by every entry point (headless, worker, Electron): one line per event
// `2026-11-28T10:15:00.123Z [INFO] [Sales] text` in <data>/logs/izisales_YYYY-MM-DD.log, errors also in
// errors_YYYY-MM-DD.log (the Lima date, as the store counts days), every line redacted, files kept N days.
import fs from 'node:fs';
import path from 'node:path';
import { limaDate } from '../../src-shared/time';
import { dirs } from '../files/store';
import { LOCAL_DEFAULTS } from '../db/settings';
import { Redactor } from './redact';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Logger {
  info(tag: string, msg: string): void;
  warn(tag: string, msg: string): void;
  error(tag: string, msg: string | Error): void;
  debug(tag: string, msg: string): void;
  /** Any level; used by adapters such as electron-log's transport. */
  write(level: LogLevel, tag: string, msg: string): void;
  /** A value to mask from now on (a session token, a password just entered). */
  addSecret(value: string | null | undefined): void;
  readonly redactor: Redactor;
  close(): void;
}

export interface LoggerOptions {
  retentionDays?: number;
  secrets?: Iterable<string>;
  now?: () => Date;
  /** Also hand each line to this (e.g. stderr in `worker`). */
  echo?: (line: string) => void;
}

export const LOG_FILE_RE = /^(izisales|errors)_(\d{4}-\d{2}-\d{2})\.log$/;
export const logFileName = (kind: 'izisales' | 'errors', date: string) => `${kind}_${date}.log`;

export function createLogger(dataDir: string, opts: LoggerOptions = {}): Logger {
  const dir = dirs.logs(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const now = opts.now ?? (() => new Date());
  const retention = opts.retentionDays ?? LOCAL_DEFAULTS.logRetentionDays;
  const redactor = new Redactor(opts.secrets);
  let day = '';
  let main: number | null = null;
  let errors: number | null = null;
  let closed = false;

  const closeFiles = () => {
    for (const fd of [main, errors]) if (fd !== null) fs.closeSync(fd);
    main = errors = null;
  };
  const open = (date: string) => {
    closeFiles();
    day = date;
    main = fs.openSync(path.join(dir, logFileName('izisales', date)), 'a');
    pruneLogs(dataDir, date, retention);
  };

  const write = (level: LogLevel, tag: string, msg: string) => {
    if (closed) return;
    const at = now();
    const date = limaDate(at);
    try {
      if (date !== day || main === null) open(date);
      // One event, one line: embedded newlines (stack traces, SOAP faults) are kept visible but escaped.
      const text = redactor.redact(String(msg)).replace(/\r?\n/g, '\\n');
      const line = `${at.toISOString()} [${level}] [${tag}] ${text}\n`;
      fs.writeSync(main!, line);
      if (level === 'ERROR') {
        errors ??= fs.openSync(path.join(dir, logFileName('errors', date)), 'a');
        fs.writeSync(errors, line);
      }
      opts.echo?.(line);
    } catch {
      // a full disk must not take the sale down with the log line
    }
  };

  return {
    redactor,
    write,
    info: (tag, msg) => write('INFO', tag, msg),
    warn: (tag, msg) => write('WARN', tag, msg),
    debug: (tag, msg) => write('DEBUG', tag, msg),
    error: (tag, msg) => write('ERROR', tag, msg instanceof Error ? (msg.stack ?? msg.message) : msg),
    addSecret: (v) => redactor.add(v),
    close() {
      closed = true;
      closeFiles();
    },
  };
}

/** Deletes log files whose date is more than `days` days before `today`. Returns the names removed. */
export function pruneLogs(dataDir: string, today: string, days: number): string[] {
  const dir = dirs.logs(dataDir);
  const oldest = new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const n of names) {
    const m = LOG_FILE_RE.exec(n);
    if (m && m[2] < oldest) {
      try {
        fs.rmSync(path.join(dir, n), { force: true });
        removed.push(n);
      } catch {
        // in use on Windows: next time
      }
    }
  }
  return removed;
}

/** The shape of electron-log (v5) this needs, so this module does not import it (headless has no Electron). */
export interface ElectronLogLike {
  transports: { file: { level: string | false }; [name: string]: unknown };
}

/**
 * Sends electron-log's messages to this logger's files instead of electron-log's own file, so the Electron shell
 * and headless write the same files, redacted the same way. Call once from src-main/electron/main.ts.
 */
export function routeElectronLog(log: ElectronLogLike, logger: Logger): void {
  log.transports.file.level = false;
  const levels: Record<string, LogLevel> = { error: 'ERROR', warn: 'WARN', info: 'INFO', verbose: 'DEBUG', debug: 'DEBUG', silly: 'DEBUG' };
  const transport = (m: { data?: unknown[]; level?: string; scope?: string }) => {
    const text = (m.data ?? []).map((d) => (d instanceof Error ? (d.stack ?? d.message) : typeof d === 'string' ? d : JSON.stringify(d))).join(' ');
    logger.write(levels[m.level ?? 'info'] ?? 'INFO', m.scope ?? 'App', text);
  };
  Object.assign(transport, { level: 'info', transforms: [] });
  log.transports.izisales = transport;
}
