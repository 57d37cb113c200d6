// `izisales db backup|check|restore`: the database copy tools, usable while the app runs (backup, check) or with it
// closed (restore). None of them creates a database where there is none.
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../db/connection';
import { BackupError, backupDatabase, checkDatabaseFile, restoreDatabase, type DatabaseCheck } from '../db/backup';
import { databaseFile, resolveDataDir } from '../paths';
import { createApp } from '../app';
import { readLink } from '../replication/link';
import { recoverFromHub } from '../replication/recover';
import { command, noPositionals, parseArgs, UsageError, type Command, type CommandIo } from './kit';

function liveDatabase(dataFlag: string | undefined): string {
  const file = databaseFile(resolveDataDir(dataFlag));
  if (!fs.existsSync(file)) throw new BackupError(`No hay base de datos de iziSales en ${path.dirname(file)}.`);
  return file;
}

function printCheck(io: CommandIo, c: DatabaseCheck): void {
  io.stdout(`Archivo: ${c.file}\nIntegridad: ${c.integrity || '-'}\nVersión del esquema: ${c.schemaVersion}\n`);
  for (const [table, n] of Object.entries(c.counts)) io.stdout(`${table}: ${n}\n`);
}

const dbBackup: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { out: 'value' });
  noPositionals(rest);
  if (!opts.out) throw new UsageError('--out ARCHIVO es obligatorio');
  const db = openDatabase(liveDatabase(opts.data));
  try {
    const c = await backupDatabase(db, opts.out);
    io.stdout(`Copia verificada en ${c.file} (${c.counts.sales ?? 0} ventas, ${c.counts.documents ?? 0} comprobantes).\n`);
    return 0;
  } finally {
    db.close();
  }
});

const dbCheck: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { json: 'flag' });
  noPositionals(rest);
  const c = checkDatabaseFile(liveDatabase(opts.data));
  if (opts.json) io.stdout(JSON.stringify(c) + '\n');
  else printCheck(io, c);
  if (!c.ok) {
    io.stderr(`izisales: ${c.problem}\n`);
    return 1;
  }
  if (!opts.json) io.stdout('La base de datos está en buen estado.\n');
  return 0;
});

const dbRestore: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, {});
  if (rest.length !== 1) throw new UsageError('indique el archivo de la copia: izisales db restore ARCHIVO [--data DIR]');
  const dataDir = resolveDataDir(opts.data);
  const r = restoreDatabase(dataDir, rest[0]);
  io.stdout(`Copia restaurada (${r.check.counts.sales ?? 0} ventas).${r.replacedFile ? ` La base anterior se guardó en ${r.replacedFile}.` : ''}\n`);
  await catchUpWithHub(dataDir, io);
  return 0;
});

/**
 * A till enrolled in a hub asks it at once what it issued after the copy was taken (replication/recover.ts), so its
 * next number follows the hub's highest. Unreachable: said plainly; the first push does it later.
 */
async function catchUpWithHub(dataDir: string, io: CommandIo): Promise<void> {
  const app = createApp({ dataDir });
  try {
    if (!readLink(app.db)) return;
    try {
      const c = await recoverFromHub({ db: app.db, secrets: app.secrets, now: () => app.clock.now() }, { via: 'cli' });
      for (const s of c.series) io.stdout(`Serie ${s.series}: continúa en el número ${s.to} (la copia iba en el ${s.from}; la central ya tiene los anteriores).\n`);
      io.stdout(`La central tiene ${c.records} registros de esta caja${c.lacking > 0 ? `; ${c.lacking} no estaban en esta copia y se recuperaron de ella` : ''}${c.refreshed > 0 ? `; ${c.refreshed} se pusieron al día (cajas cerradas, respuestas de SUNAT)` : ''}.\n`);
    } catch (e) {
      io.stderr(`izisales: no se pudo consultar la central (${(e as Error).message}). Antes de vender, conecte la caja a la central: así continúa la numeración después de lo que la central ya recibió.\n`);
    }
  } finally {
    await app.close();
  }
}

export const commands: Record<string, Command> = { 'db backup': dbBackup, 'db check': dbCheck, 'db restore': dbRestore };
