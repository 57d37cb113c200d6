// Opening the hub's database: a PostgreSQL server (`--database-url`, Kysely's PostgresDialect on a pg Pool) or the
// embedded PostgreSQL (PGlite in <data>/hub-pg, our dialect in pglite-dialect.ts). Both parse bigint as a number and
// date as 'YYYY-MM-DD', so the code above sees one engine. The hub's migrations run on open, in one transaction.
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import type { HubSchema } from './schema';
import { HUB_MIGRATIONS, type HubMigration } from './migrations';

export type HubDb = Kysely<HubSchema>;
export type HubEngine = 'postgres' | 'pglite';

export interface HubDbOptions {
  /** postgres://… of a PostgreSQL server; without it the embedded engine in `<dataDir>/hub-pg`. */
  databaseUrl?: string;
  dataDir: string;
}

export interface OpenHubDb {
  db: HubDb;
  engine: HubEngine;
  /** Where the data is, for messages: the URL without its password, or the directory. */
  where: string;
  close(): Promise<void>;
}

const OID = { int8: 20, date: 1082 } as const;
const asNumber = (v: string) => Number(v);
const asText = (v: string) => v;

export class HubDbError extends Error {}

/** Opens and migrates. Refuses a database whose schema is newer than this code, leaving it untouched. */
export async function openHubDb(opts: HubDbOptions): Promise<OpenHubDb> {
  const opened = opts.databaseUrl ? await openServer(opts.databaseUrl) : await openEmbedded(opts.dataDir);
  try {
    await migrateHub(opened.db);
  } catch (e) {
    await opened.close();
    throw e;
  }
  return opened;
}

async function openServer(url: string): Promise<OpenHubDb> {
  let where: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error();
    u.password = '';
    where = u.toString();
  } catch {
    throw new HubDbError('--database-url no válida: use postgres://usuario:clave@servidor:5432/base');
  }
  const [{ default: pg }, { PostgresDialect }] = await Promise.all([import('pg'), import('kysely')]);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === OID.int8 ? asNumber : oid === OID.date ? asText : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (the server restarted) must not crash the hub; the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<HubSchema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (e) {
    await db.destroy();
    throw new HubDbError(`No se pudo conectar a ${where}: ${(e as Error).message}`);
  }
  return { db, engine: 'postgres', where, close: () => db.destroy() };
}

async function openEmbedded(dataDir: string): Promise<OpenHubDb> {
  const dir = path.join(dataDir, 'hub-pg');
  fs.mkdirSync(dataDir, { recursive: true });
  const release = takeLock(`${dir}.lock`, dir);
  try {
    const [{ PGlite }, { pgliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('./pglite-dialect')]);
    const pg = await PGlite.create(dir, { parsers: { [OID.int8]: asNumber, [OID.date]: asText } });
    const db = new Kysely<HubSchema>({ dialect: pgliteDialect(pg) });
    return {
      db, engine: 'pglite', where: dir,
      close: async () => {
        try {
          await db.destroy();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * The embedded engine is one process's: a second one opening the same directory would corrupt it. A lock file with
 * the owner's pid; a stale one (its process gone) is taken over.
 */
function takeLock(file: string, dir: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new HubDbError(
          `La central en ${dir} ya está abierta por otro proceso (pid ${pid}): deténgalo antes, o use --database-url con un servidor PostgreSQL.`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new HubDbError(`No se pudo bloquear ${dir}.`);
}

/** The process `pid` still runs (a pid file's owner). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Any number: only one hub applies migrations at a time (several hubs may share one server). */
const MIGRATION_LOCK = 16_000_016;

/** Applies the pending migrations in ONE transaction; a database newer than `migrations` is refused untouched. */
export async function migrateHub(db: HubDb, migrations: HubMigration[] = HUB_MIGRATIONS): Promise<{ from: number; to: number }> {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
    await sql`create table if not exists hub_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`.execute(tx);
    const row = await tx.selectFrom('hub_migrations').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
    const current = Number(row?.v ?? 0);
    if (current > latest) {
      throw new HubDbError(
        `La base de la central está en la versión ${current} y este programa solo conoce hasta la ${latest}: actualice iziSales. No se modificó nada.`,
      );
    }
    for (const m of migrations.filter((m) => m.version > current)) {
      for (const statement of m.statements) await sql.raw(statement).execute(tx);
      await tx.insertInto('hub_migrations').values({ version: m.version, name: m.name }).execute();
    }
    return { from: current, to: latest };
  });
}
