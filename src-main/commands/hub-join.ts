// `izisales hub join URL CODE [--data DIR]`: enrols this till in a hub (replication/enrol.ts), as Administración →
// Central does. Prints what the hub gave (name, store, series kept or new) and how much history goes up; the token is
// never printed. Refusals exit 1 with the reason, nothing changed. The runner (`serve`, `worker`, the app) uploads.
import { createApp } from '../app';
import { resolveDataDir } from '../paths';
import { joinHub } from '../replication/enrol';
import { appVersion } from '../logs/export';
import { parseArgs, UsageError, type CommandIo } from './kit';
import { hubJoinNotices, SERIES_KEY_LABELS } from '../../src-shared/labels';


export async function hubJoinCommand(argv: string[], io: CommandIo): Promise<number> {
  const { opts, rest } = parseArgs(argv, {});
  if (rest.length !== 2) throw new UsageError('uso: izisales hub join URL CÓDIGO [--data DIR]');
  const [url, code] = rest;
  const app = createApp({ dataDir: resolveDataDir(opts.data) });
  try {
    const r = await joinHub({ db: app.db, secrets: app.secrets, now: () => app.clock.now() }, { url, code, appVersion: appVersion(), userId: null, via: 'cli' });
    io.stdout(`Caja inscrita en la central ${r.url} como ${r.terminalName} (tienda ${r.store.name}, RUC ${r.store.ruc}, establecimiento ${r.store.establishment}).\n`);
    for (const s of r.series) {
      const what = s.kept ? 'se mantiene' : s.previous ? `nueva, antes ${s.previous}; empieza en 1` : 'nueva; empieza en 1';
      io.stdout(`  ${(SERIES_KEY_LABELS[s.documentType] ?? s.documentType).padEnd(30)} ${s.series} (${what})\n`);
    }
    for (const line of hubJoinNotices(r)) io.stdout(`${line}\n`);
    io.stdout(`${r.history} registros por subir; se envían cuando corre iziSales (o "izisales worker").\n`);
    return 0;
  } finally {
    await app.close();
  }
}
