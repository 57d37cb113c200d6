// Every job kind the app runs, registered with the runner's registry: adding a kind is its handler and one line here.
import type { HandlerRegistry } from '../registry';
import { sunatSendHandler } from './sunat-send';
import { summaryHandler } from './summary';
import { dailySummarySpec } from './daily-summary';
import { retryFailedHandler } from './retry-failed';
import { reportDailySpec } from './report-daily';
import { filesArchiveSpec } from './files-archive';
import { dbBackupSpec } from './db-backup';
import type { SecretStore } from '../../secrets';
import { hubPushSpec } from './hub-push';
import { hubPullSpec } from './hub-pull';
import { printDrawerSpec } from './print-drawer';
import { PRINT_TICKET, printTicketSpec } from '../print-ticket';

/** `secrets` opens the hub's token (the hub jobs run only on an enrolled till). */
export function registerDefaultHandlers(registry: HandlerRegistry, o: { sendConcurrency: number; secrets: Pick<SecretStore, 'decrypt'> }): HandlerRegistry {
  return registry
    // First: every look at the queue claims a waiting ticket before anything else (jobs/print-ticket.ts).
    .register(PRINT_TICKET, printTicketSpec())
    .register('print.drawer', printDrawerSpec)
    .register('sunat.send', { run: sunatSendHandler, concurrency: o.sendConcurrency, pausable: true, reconciles: true })
    .register('sunat.summary', { run: summaryHandler, pausable: true })
    .register('sunat.daily_summary', dailySummarySpec)
    .register('sunat.retry_failed', { run: retryFailedHandler })
    .register('report.daily', reportDailySpec)
    .register('files.archive', filesArchiveSpec)
    .register('db.backup', dbBackupSpec)
    .register('hub.push', hubPushSpec(o.secrets))
    .register('hub.pull', hubPullSpec(o.secrets));
}
