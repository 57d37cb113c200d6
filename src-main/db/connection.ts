// The one way to open a terminal's database: pragmas on every open, migrations in a transaction, and Kysely used
// as a typed query builder whose compiled SQL runs synchronously on better-sqlite3 (one writer, short transactions).
import Database from 'better-sqlite3';
import {
  Kysely, DummyDriver, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type Compilable, type CompiledQuery,
} from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import type { DB } from './schema';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export class DatabaseVersionError extends Error {}

export interface Db {
  /** The raw connection, for pragmas, transactions and backups; statements go through prepare or Kysely. */
  readonly raw: Database.Database;
  /** Query builder only: build with it, execute with all/first/run. */
  readonly q: Kysely<DB>;
  readonly file: string;
  /** A statement for hand-written SQL, prepared once per connection and reused (docs/ARCHITECTURE.md, "Query style"). */
  prepare(sql: string): Database.Statement;
  all<R>(query: Compilable<R>): R[];
  first<R>(query: Compilable<R>): R | undefined;
  run(query: Compilable<unknown>): { changes: number; lastInsertRowid: number };
  /**
   * A write transaction taken at once (BEGIN IMMEDIATE), so concurrent processes queue instead of failing late.
   * Durable when it returns (synchronous=FULL), unless `relaxed`: then its commit is not fsynced and becomes durable
   * with the next durable commit or checkpoint pass; a power cut before that loses it (never a part of it, and never
   * what committed before it). Only for writes whose loss is recovered by design (docs/ARCHITECTURE.md, "Durability").
   */
  tx<T>(fn: () => T, opts?: { relaxed?: boolean }): T;
  /** Inside a transaction: `fn` in a savepoint of its own; if it throws, what it wrote is undone and the rest kept. */
  savepoint<T>(fn: () => T): T;
  close(): void;
}

const builder = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  readonly?: boolean;
}

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new Database(file, { readonly: opts.readonly ?? false });
  try {
    if (!opts.readonly) raw.pragma('journal_mode = WAL');
    // better-sqlite3 brings a reopened WAL database back at NORMAL: a sale must survive a power cut.
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    const version = raw.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new DatabaseVersionError(
        `La base de datos ${file} fue creada por una versión más nueva de iziSales (esquema ${version}; esta versión conoce hasta ${SCHEMA_VERSION}). Actualice iziSales; no se modificó nada.`,
      );
    }
    if (opts.migrate !== false && !opts.readonly && version < SCHEMA_VERSION) migrate(raw);
  } catch (e) {
    raw.close();
    throw e;
  }
  return wrap(raw, file);
}

function migrate(raw: Database.Database): void {
  const apply = raw.transaction(() => {
    // Read again inside the write lock: another process may have migrated meanwhile.
    const current = raw.pragma('user_version', { simple: true }) as number;
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      raw.exec(m.sql);
      raw.pragma(`user_version = ${m.version}`);
    }
  });
  apply.immediate();
}

function wrap(raw: Database.Database, file: string): Db {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = raw.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const stmt = (c: CompiledQuery): Database.Statement => prepare(c.sql);
  /**
   * `fn` between `begin` and `end`, undone by `undo` (then `after`) when it throws — better-sqlite3's transaction()
   * on cached statements: that one builds a new wrapper function on every call (~8 µs, a job's commit took two).
   */
  const run = <T>(fn: () => T, begin: string, end: string, undo: string, after?: string): T => {
    prepare(begin).run();
    try {
      const result = fn();
      if (result && typeof (result as { then?: unknown }).then === 'function') throw new TypeError('A transaction function cannot return a promise.');
      prepare(end).run();
      return result;
    } catch (e) {
      if (raw.inTransaction) {
        prepare(undo).run();
        if (after) prepare(after).run();
      }
      throw e;
    }
  };
  const params = (c: CompiledQuery) => c.parameters.map(toSqlite);
  return {
    raw,
    q: builder,
    file,
    prepare,
    all<R>(query: Compilable<R>): R[] {
      const c = query.compile();
      return stmt(c).all(...params(c)) as R[];
    },
    first<R>(query: Compilable<R>): R | undefined {
      const c = query.compile();
      const s = stmt(c);
      return (s.reader ? s.get(...params(c)) : (s.run(...params(c)), undefined)) as R | undefined;
    },
    run(query: Compilable<unknown>) {
      const c = query.compile();
      const r = stmt(c).run(...params(c));
      return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
    },
    tx<T>(fn: () => T, o?: { relaxed?: boolean }): T {
      if (raw.inTransaction) return fn();
      if (!o?.relaxed) return run(fn, 'BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK');
      prepare('PRAGMA synchronous = NORMAL').run();
      try {
        return run(fn, 'BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK');
      } finally {
        prepare('PRAGMA synchronous = FULL').run();
      }
    },
    savepoint<T>(fn: () => T): T {
      return run(fn, 'SAVEPOINT part', 'RELEASE part', 'ROLLBACK TO part', 'RELEASE part');
    },
    close() {
      cache.clear();
      raw.close();
    },
  };
}

function toSqlite(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return v;
}
