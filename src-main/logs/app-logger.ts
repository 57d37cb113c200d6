// The logger of a running app: the data directory's files, the retention setting, and every secret the directory
// holds registered for masking from the first line on.
import type { EventBus } from '../events';
import { localSetting } from '../db/settings';
import { runtimeSecrets, type LogExportDeps } from './export';
import { createLogger, type Logger, type LoggerOptions } from './logger';

/** Reads the same as the log export: the folder, the retention setting, the clock, the secrets to mask. */
export function createAppLogger(app: LogExportDeps, opts: Pick<LoggerOptions, 'echo'> = {}): Logger {
  return createLogger(app.dataDir, {
    retentionDays: localSetting(app.db, 'logRetentionDays'),
    secrets: runtimeSecrets(app),
    now: () => app.clock.now(),
    echo: opts.echo,
  });
}

/** What the running app writes to its logs, from the events it already emits: sales, SUNAT answers, connectivity. */
export function logAppEvents(app: { events: Pick<EventBus, 'on'> }, logger: Logger): () => void {
  let online: boolean | null = null;
  let paused: string | null = null;
  const offs = [
    app.events.on('sale.updated', (e) => {
      const line = `${e.number}: ${e.sunatStatus}`;
      if (e.sunatStatus === 'rejected' || e.sunatStatus === 'error') logger.error('SUNAT', line);
      else if (e.sunatStatus === 'pending') logger.info('Sales', `${e.number} registrada`);
      else logger.info('SUNAT', line);
    }),
    app.events.on('status', (s) => {
      if (s.online !== online) logger.info('Network', `${s.online ? 'en línea' : 'sin conexión'} (${s.sunatTarget})`);
      if (s.sunatPaused !== paused && s.sunatPaused) logger.error('Jobs', `envíos a SUNAT detenidos: ${s.sunatPaused}`);
      online = s.online;
      paused = s.sunatPaused;
    }),
  ];
  return () => offs.forEach((off) => off());
}
