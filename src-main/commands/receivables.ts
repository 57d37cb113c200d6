// Receivables from the command line, for support and integrators: the same services as Cuentas por cobrar
// (pos/receivables.ts). `receivables list [--json]` and `receivables collect SERIE-NUMERO --amount 50,00 --method
// cash|card|yape|plin [--reference X] --user USUARIO`; bad arguments exit 2 with one line, a refused rule exits 1.
import { createApp, type App } from '../app';
import { resolveDataDir } from '../paths';
import { limaDate } from '../../src-shared/time';
import { ApiError, collectionInput } from '../../src-shared/contract';
import { readMoney } from '../../src-shared/number-input';
import { getSetting } from '../db/settings';
import { findSaleByReceipt } from '../pos/returns';
import { collect, listReceivables } from '../pos/receivables';
import { command, noPositionals, parseArgs, UsageError, type Command } from './kit';

async function withApp(dataFlag: string | undefined, fn: (app: App) => number): Promise<number> {
  const app = createApp({ dataDir: resolveDataDir(dataFlag) });
  try {
    return fn(app);
  } finally {
    await app.close();
  }
}

const METHODS = ['cash', 'card', 'yape', 'plin'] as const;

/** `receivables list [--json]`: customers with facturas on credit still pending (one JSON array with --json). */
export const receivablesList: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { json: 'flag', query: 'value' });
  noPositionals(rest);
  return withApp(opts.data, (app) => {
    const list = listReceivables(app.db, limaDate(app.clock.now()), opts.query);
    if (opts.json) {
      io.stdout(JSON.stringify(list) + '\n');
      return 0;
    }
    for (const c of list) {
      io.stdout(`${c.name} (${c.docNumber})\tpendiente S/ ${c.pending}${c.overdue ? '\tVENCIDO' : ''}\n`);
      for (const d of c.documents) {
        io.stdout(`  ${d.number}\t${d.issueDate}\tcrédito ${d.credit}\tcobrado ${d.collected}\tdevuelto ${d.returned}\tpendiente ${d.pending}\n`);
      }
    }
    io.stdout(`${list.length} clientes con saldo pendiente\n`);
    return 0;
  });
});

/** `receivables collect F001-12 --amount 50,00 --method cash --user ana`: "Registrar cobro"; prints one JSON object. */
export const receivablesCollect: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { amount: 'value', method: 'value', reference: 'value', user: 'value' });
  const usage = 'uso: receivables collect SERIE-NUMERO --amount MONTO --method cash|card|yape|plin [--reference X] --user USUARIO';
  if (rest.length !== 1) throw new UsageError(usage);
  if (!/^[A-Z0-9]{4}-\d{1,8}$/i.test(rest[0].trim())) throw new UsageError(`número no válido: ${rest[0]} (use SERIE-NUMERO, p. ej. F001-12)`);
  if (opts.amount === undefined) throw new UsageError(`falta --amount (p. ej. 50,00); ${usage}`);
  const amount = readMoney(opts.amount);
  if (amount.error !== null) throw new UsageError(`--amount ${opts.amount}: ${amount.error}`);
  if (!opts.method || !(METHODS as readonly string[]).includes(opts.method)) throw new UsageError(`--method es obligatorio: cash, card, yape o plin`);
  if (!opts.user) throw new UsageError(`falta --user USUARIO (quién recibe el cobro); ${usage}`);
  return withApp(opts.data, (app) => {
    try {
      const user = app.db.first(app.db.q.selectFrom('users').select(['id', 'role']).where('username', '=', opts.user!.trim()).where('active', '=', 1));
      if (!user) throw new ApiError('not_found', `No existe un usuario activo «${opts.user}».`);
      const saleId = findSaleByReceipt(app.db, rest[0]);
      if (saleId === null) throw new ApiError('not_found', `No existe la venta ${rest[0]}.`);
      const input = collectionInput.parse({ saleId, amount: amount.value, method: opts.method, reference: opts.reference });
      io.stdout(JSON.stringify(collect(app.db, app.clock.now(), getSetting(app.db, 'terminalId'), user, input)) + '\n');
      return 0;
    } catch (e) {
      if (e instanceof ApiError) {
        io.stderr(`izisales: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  });
});

export const commands: Record<string, Command> = {
  'receivables list': receivablesList,
  'receivables collect': receivablesCollect,
};
