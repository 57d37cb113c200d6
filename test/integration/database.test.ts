import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, DatabaseVersionError } from '../../src-main/db/connection';
import { SCHEMA_VERSION } from '../../src-main/db/migrations';
import { tempDir } from '../helpers/app';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = tempDir();
  dirs.push(d);
  return path.join(d, 'izisales.db');
};

describe('opening a terminal database', () => {
  it('sets WAL, synchronous=FULL, foreign keys and a busy timeout on every open', () => {
    const file = fresh();
    openDatabase(file).close();
    const db = openDatabase(file); // a reopened WAL database would come back at NORMAL without the pragma
    expect(db.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.raw.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.raw.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('a relaxed transaction commits at synchronous=NORMAL and leaves FULL behind, also when it fails; inside a durable one it is durable', () => {
    const db = openDatabase(fresh());
    const level = () => db.raw.pragma('synchronous', { simple: true });
    db.raw.exec('CREATE TABLE t (x INTEGER NOT NULL)');
    expect(db.tx(() => level(), { relaxed: true })).toBe(1);
    expect(level()).toBe(2);
    expect(() =>
      db.tx(() => {
        db.raw.prepare('INSERT INTO t VALUES (1)').run();
        db.raw.prepare('INSERT INTO t VALUES (NULL)').run();
      }, { relaxed: true }),
    ).toThrow(/NOT NULL/);
    expect(level()).toBe(2);
    expect(db.raw.prepare('SELECT count(*) n FROM t').get()).toEqual({ n: 0 });
    expect(db.tx(() => db.tx(() => level(), { relaxed: true }))).toBe(2);
    db.close();
  });

  it('a transaction commits whole or not at all; a savepoint inside it is undone alone; a promise is refused', () => {
    const db = openDatabase(fresh());
    db.raw.exec('CREATE TABLE t (x INTEGER NOT NULL)');
    const rows = () => (db.raw.prepare('SELECT x FROM t ORDER BY x').all() as { x: number }[]).map((r) => r.x);
    expect(db.tx(() => db.raw.prepare('INSERT INTO t VALUES (1)').run().changes)).toBe(1);
    expect(rows()).toEqual([1]);
    expect(db.raw.inTransaction).toBe(false);
    expect(() => db.tx(() => {
      db.raw.prepare('INSERT INTO t VALUES (2)').run();
      throw new Error('refused');
    })).toThrow('refused');
    expect(rows()).toEqual([1]);
    expect(db.raw.inTransaction).toBe(false);
    // As the runner records a group of outcomes: one that cannot be written leaves the others.
    db.tx(() => {
      db.savepoint(() => db.raw.prepare('INSERT INTO t VALUES (3)').run());
      expect(() => db.savepoint(() => {
        db.raw.prepare('INSERT INTO t VALUES (4)').run();
        db.raw.prepare('INSERT INTO t VALUES (NULL)').run();
      })).toThrow(/NOT NULL/);
      db.savepoint(() => db.raw.prepare('INSERT INTO t VALUES (5)').run());
    });
    expect(rows()).toEqual([1, 3, 5]);
    expect(db.raw.inTransaction).toBe(false);
    expect(() => db.tx(() => {
      db.raw.prepare('INSERT INTO t VALUES (6)').run();
      return Promise.resolve();
    })).toThrow(/promise/);
    expect(rows()).toEqual([1, 3, 5]);
    expect(db.raw.inTransaction).toBe(false);
    db.close();
  });

  it('applies the numbered migrations and records the schema version', () => {
    const db = openDatabase(fresh());
    expect(db.raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = (db.raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
    for (const t of ['settings', 'users', 'products', 'customers', 'cash_sessions', 'cash_moves', 'series', 'sales', 'sale_lines', 'payments', 'stock_moves', 'documents', 'jobs', 'job_runs', 'audit_log']) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it('refuses a database written by a newer version, with a clear message, and changes nothing', () => {
    const file = fresh();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(DatabaseVersionError);
    expect(() => openDatabase(file)).toThrow(/versión más nueva/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('keeps the signed XML of a document immutable', () => {
    const db = openDatabase(fresh());
    const now = new Date().toISOString();
    db.raw.prepare(`INSERT INTO documents (document_type, series, correlative, file_name, issue_date, xml, created_at, updated_at) VALUES ('03','B001',1,'x','2026-11-27','<a/>',?,?)`).run(now, now);
    expect(() => db.raw.prepare(`UPDATE documents SET xml = '<b/>'`).run()).toThrow(/no se puede modificar/);
    db.raw.prepare(`UPDATE documents SET status = 'accepted'`).run(); // other columns may change
    db.close();
  });
});
