// Issue 13 §9: backup files are named for the store's day in Lima, not UTC's — a copy taken at 20:30 on 5 Dec (01:30
// UTC on 6 Dec) is the 5 Dec copy — and the restore listing reads those names back as the same instant.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { dbBackupHandler } from '../../src-main/jobs/handlers/db-backup';
import type { JobContext } from '../../src-main/jobs/runner';
import { demoApp, type TestApp } from '../helpers/app';
import type { BackupView } from '../../src-shared/contract';

const EVENING_IN_LIMA = '2026-12-06T01:30:00.000Z'; // 5 Dec, 20:30 in Lima

let t: TestApp;
let api: Api;
beforeEach(() => {
  t = demoApp({ openSession: false, at: EVENING_IN_LIMA });
  api = new Api(t.app);
});
afterEach(() => t.close());

describe('backup names in Lima time', () => {
  it('"copia ahora" at 20:30 on 5 Dec is named 20261205-203000 and listed as taken at that instant', async () => {
    const admin = ((await api.invoke('auth.login', { username: 'admin', pin: '1111' }, undefined)) as { token: string }).token;
    const { file } = (await api.invoke('db.backupNow', {}, admin)) as { file: string };
    expect(path.basename(file)).toBe('izisales-manual-20261205-203000.db');
    const list = (await api.invoke('db.backups', {}, admin)) as BackupView[];
    expect(list.map((b) => [b.name, b.kind, b.takenAt])).toEqual([['izisales-manual-20261205-203000.db', 'manual', EVENING_IN_LIMA]]);
  });

  it('the daily backup job at 20:30 on 5 Dec writes the 5 Dec copy', async () => {
    // The handler reads only the database, the clock, the data directory and whether this is the last attempt.
    const r = await dbBackupHandler({ db: t.app.db, clock: t.app.clock, dataDir: t.app.dataDir, isLastAttempt: true } as JobContext);
    expect(r).toMatchObject({ type: 'succeeded' });
    expect(path.basename((r as { result: { file: string } }).result.file)).toBe('izisales-2026-12-05.db');
  });
});
