// The contract's handlers for the thermal printer (issue 17): Administración → Impresora ("Imprimir prueba", the logo)
// and the sale screen's print status and "Reimprimir". Api.invoke (api.ts) has validated the input and the roles.
import type { z } from 'zod';
import type { CallOutput, calls } from '../src-shared/contract';
import type { App } from './app';
import type { User } from './db/schema';
import { printerAdminView, printTestTicket, reprintTicket, setTicketLogo, ticketPrintStatus } from './pos/thermal-prints';
import { assertAdmin } from './pos/admin';
import type { PrintWhich } from './pos/prints';

type PrinterCall = 'printer.get' | 'printer.test' | 'printer.logo' | 'printer.ticketStatus' | 'printer.reprint';
type Ctx = { app: App; user: User; now: Date };
type PrinterHandlers = {
  [K in PrinterCall]: (ctx: Ctx, input: z.output<(typeof calls)[K]['input']>) => CallOutput<K> | Promise<CallOutput<K>>;
};

const which = (i: { saleId?: number; noteId?: number }): PrintWhich => (i.saleId !== undefined ? { saleId: i.saleId } : { noteId: i.noteId! });

export const printerHandlers: PrinterHandlers = {
  'printer.get': ({ app }) => printerAdminView(app.db),
  'printer.test': ({ app, user }, i) => {
    assertAdmin(user);
    return printTestTicket(app.db, i);
  },
  'printer.logo': ({ app, user, now }, i) => {
    assertAdmin(user);
    return setTicketLogo(app.db, now, user.id, i.pngBase64 === null ? null : new Uint8Array(Buffer.from(i.pngBase64, 'base64')));
  },
  'printer.ticketStatus': ({ app, user }, i) => ticketPrintStatus(app.db, user, which(i)),
  'printer.reprint': async ({ app, user, now }, i) => {
    const r = await reprintTicket(app, user, which(i), now);
    // The runner hears it as it hears a retry from the queue screen (startJobs kicks on queue.updated).
    if (r.requeued) app.events.emit('queue.updated', { action: 'retry', jobId: null });
    return r.view;
  },
};
