// db.backup (daily): a verified copy of the database in <data>/backups, older copies pruned (setting
// 'backupRetentionDays'). A failed copy is retried; the last failure stays visible in the monitor.
import { dailyBackup } from '../../db/backup';
import { getSetting } from '../../db/settings';
import type { HandlerSpec, JobContext, JobOutcome } from '../runner';

export async function dbBackupHandler(ctx: JobContext): Promise<JobOutcome> {
  try {
    const r = await dailyBackup(ctx.db, ctx.dataDir, ctx.clock.now(), getSetting(ctx.db, 'backupRetentionDays'));
    return { type: 'succeeded', result: { file: r.file, removed: r.removed, counts: r.check.counts } };
  } catch (e) {
    const error = `No se pudo crear la copia de seguridad: ${(e as Error).message}`;
    return ctx.isLastAttempt ? { type: 'failed', error } : { type: 'retry', error, delayMs: 10 * 60_000 };
  }
}

export const dbBackupSpec: HandlerSpec = { run: dbBackupHandler };
