// `izisales`: one entry for every command. Each command takes --data; bad arguments exit 2 with one line.
import { createApp, type App } from './app';
import { resolveDataDir } from './paths';
import { seedDemo, isEmpty } from './pos/seed';
import { listSales } from './pos/sales';
import { ringUpDemoSales } from './pos/demo';
import { limaDate, isIsoDate } from '../src-shared/time';
import { command, noPositionals, parseArgs, UsageError, type Command, type CommandIo } from './commands/kit';

const processIo: CommandIo = { stdout: (s) => void process.stdout.write(s), stderr: (s) => void process.stderr.write(s) };

const USAGE = `Uso: izisales <comando> [opciones]
  serve [--port N] [--data DIR]            la app en el navegador, en http://127.0.0.1:N
  seed [--data DIR]                        carga la tienda demo en un directorio vacío
  demo sales --count N [--data DIR]        registra N ventas variadas (demos y pruebas de carga)
  sales list [--date AAAA-MM-DD] [--json] [--data DIR]
  sales return SERIE-NUMERO --line N:CANTIDAD … --reason 07|06|01 [--refund cash|original]   nota de crédito
  document build INPUT.json --out DIR [--cert FILE --cert-password-env VAR]
  document send FILE.zip [--sunat-url URL] | document status RUC-TT-SERIE-NUMERO | cdr read FILE
  report daily [--date AAAA-MM-DD] [--json] [--pdf ARCHIVO] | files archive [--dry-run] | logs export --out ARCHIVO.zip [--days N]
  document summary [--date AAAA-MM-DD] | document void SERIE-NUMERO --reason "MOTIVO"
  document export SERIE-NUMERO --out DIR   XML firmado, zip, CDR y ticket PDF de un comprobante
  receivables list [--json] | receivables collect SERIE-NUMERO --amount MONTO --method cash|card|yape|plin [--reference X] --user USUARIO
  cert import ARCHIVO.pfx --password-env VARIABLE | cert show
  db backup --out ARCHIVO | db check | db restore ARCHIVO (con la aplicación cerrada)
  sunat-sim [--port 8090] [--state FILE]   simulador de SUNAT
  worker [--data DIR] [--sunat-url URL]    cola de envíos y tareas programadas, sin interfaz
  jobs inspect active|scheduled|stats|failed [--json] | jobs show|retry|cancel ID | jobs purge --finished-before FECHA | jobs resume
  hub [--port N] [--listen IP] [--tls-cert F --tls-key F] [--database-url postgres://…]   la central (varias cajas y tiendas)
  hub store add --ruc RUC --establishment CODIGO --name NOMBRE [--address DIR] | hub terminal add --store RUC-CODIGO --name CAJA-01 [--json]
  hub report daily --date AAAA-MM-DD [--json | --pdf ARCHIVO [--store RUC-CODIGO]] | hub check [--json] | hub product set --code CÓDIGO --price 3,50 [--name NOMBRE]
  hub user add --username U --name N --role manager|admin --pin-stdin   una persona de las pantallas de la central
  hub join URL CÓDIGO [--data DIR]         inscribe esta caja en la central con su código de un solo uso
  print ticket SERIE-NÚMERO [--printer URI] reimprime un ticket (COPIA) en la impresora térmica (salida 3: la impresora falló)
  print test [--printer URI]               ticket de prueba en la impresora térmica (tcp://IP:9100, /dev/usb/lp0, lp://COLA)`;

/** The options of a command that takes no positionals. */
function flags(argv: string[], known: Parameters<typeof parseArgs>[1]): Record<string, string> {
  const { opts, rest } = parseArgs(argv, known);
  noPositionals(rest);
  return opts;
}

function withApp<T>(dataFlag: string | undefined, fn: (app: App) => Promise<T>, seed = false): Promise<T> {
  const app = createApp({ dataDir: resolveDataDir(dataFlag), seedIfEmpty: seed });
  return fn(app).finally(() => app.close());
}

const commands: Record<string, Command> = {
  async serve(argv, io) {
    const values = flags(argv, { port: 'value', 'sunat-url': 'value' });
    const port = values.port === undefined ? 8080 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port no válido: ${values.port}`);
    if (values['sunat-url'] !== undefined && !URL.canParse(values['sunat-url'])) throw new UsageError(`--sunat-url no válida: ${values['sunat-url']}`);
    // Loaded here, not at the top: the other commands need neither the server, the simulator nor the runner.
    const [{ startServer }, { AppHost }, { ensureRendererBuilt }] = await Promise.all([import('./serve'), import('./runtime'), import('./renderer-build')]);
    // After npm ci or a git pull the screen is not built yet (or is older than its sources): build it before serving.
    ensureRendererBuilt((line) => io.stdout(`${line}\n`));
    // A new data directory is NOT seeded: the first screen offers the demo store or the owner's own (setup.demo / setup.own).
    // The host owns the app and its services, and swaps them whole when an admin restores a backup from the screen.
    const host = await AppHost.start({ dataDir: resolveDataDir(values.data), seedIfEmpty: false, sunatUrl: values['sunat-url'] });
    const server = await startServer(host, { port });
    io.stdout(`iziSales en ${server.url} (datos: ${host.app.dataDir}; comprobantes a: ${host.services.runtime.target})\n`);
    host.services.logger.info('App', `pantalla servida en ${server.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await host.stop();
    return 0;
  },

  async seed(argv, io) {
    const values = flags(argv, {});
    return withApp(values.data, async (app) => {
      if (!isEmpty(app.db)) {
        io.stderr(`El directorio ${app.dataDir} ya tiene datos; no se cargó la tienda demo.\n`);
        return 1;
      }
      seedDemo(app.db, app.clock.now());
      io.stdout(`Tienda demo cargada en ${app.dataDir}.\n`);
      return 0;
    });
  },

  async 'demo sales'(argv, io) {
    const values = flags(argv, { count: 'value', seed: 'value' });
    const count = Number(values.count);
    if (!values.count || !Number.isInteger(count) || count < 1) throw new UsageError('--count N es obligatorio (un entero mayor que 0)');
    return withApp(values.data, async (app) => {
      const r = ringUpDemoSales(app, count, Number(values.seed ?? 1));
      io.stdout(`${r.count} ventas registradas (${r.first} … ${r.last}).\n`);
      return 0;
    }, true);
  },

  async 'sales list'(argv, io) {
    const values = flags(argv, { date: 'value', json: 'flag' });
    if (values.date !== undefined && !isIsoDate(values.date)) throw new UsageError(`--date no válida: ${values.date} (use AAAA-MM-DD)`);
    return withApp(values.data, async (app) => {
      const rows = listSales(app.db, { date: values.date ?? limaDate(app.clock.now()) }).reverse();
      if (values.json) {
        io.stdout(JSON.stringify(rows.map((r) => ({
          number: r.number, documentType: r.documentType, series: r.series, correlative: r.correlative,
          total: r.total, customer: r.customer, status: r.status, sunatStatus: r.sunatStatus, reference: r.reference,
        }))) + '\n');
      } else {
        // A credit note takes back from the day (shown negative); a debit note adds to it.
        for (const r of rows) io.stdout(`${r.number}\t${r.issuedAt}\t${(r.documentType === '07' ? `-${r.total}` : r.total).padStart(10)}\t${r.sunatStatus}\t${r.customer}${r.reference ? `\t(modifica ${r.reference})` : ''}\n`);
        const credit = rows.filter((r) => r.documentType === '07').length;
        const debit = rows.filter((r) => r.documentType === '08').length;
        const sales = rows.length - credit - debit;
        io.stdout(`${sales} ventas${credit ? `, ${credit} notas de crédito` : ''}${debit ? `, ${debit} notas de débito` : ''}\n`);
      }
      return 0;
    });
  },

  async 'document build'(argv, io) {
    const m = await import('./commands/document');
    return m.documentBuildCommand(argv, io);
  },
};

const SUNAT_COMMANDS = ['sunat-sim', 'document send', 'document status', 'cdr read'];
const JOB_COMMANDS = ['jobs inspect', 'jobs show', 'jobs retry', 'jobs cancel', 'jobs purge', 'jobs resume', 'worker'];
const REPORT_COMMANDS = ['report daily', 'files archive', 'logs export'];
const STORE_DOC_COMMANDS = ['document summary', 'document void', 'document export', 'sales return', 'cert import', 'cert show'];
const DB_COMMANDS = ['db backup', 'db check', 'db restore'];
const RECEIVABLE_COMMANDS = ['receivables list', 'receivables collect'];
const PRINT_COMMANDS = ['print ticket', 'print test'];

// Loaded on demand so a quick command does not pay for the others' imports.
async function lazyCommand(name: string): Promise<Command | undefined> {
  if (SUNAT_COMMANDS.includes(name)) return ((await import('./commands/sunat')).commands as Record<string, Command>)[name];
  if (JOB_COMMANDS.includes(name)) return ((await import('./commands/jobs')).commands as Record<string, Command>)[name];
  if (REPORT_COMMANDS.includes(name)) return ((await import('./commands/reports')).commands as Record<string, Command>)[name];
  if (STORE_DOC_COMMANDS.includes(name)) return ((await import('./commands/store-docs')).commands as Record<string, Command>)[name];
  if (DB_COMMANDS.includes(name)) return ((await import('./commands/db')).commands as Record<string, Command>)[name];
  if (RECEIVABLE_COMMANDS.includes(name)) return ((await import('./commands/receivables')).commands as Record<string, Command>)[name];
  if (PRINT_COMMANDS.includes(name)) return ((await import('./commands/print')).commands as Record<string, Command>)[name];
  if (name === 'hub join') return (await import('./commands/hub-join')).hubJoinCommand;
  if (name === 'hub') return (await import('./commands/hub')).hubCommand;
  return undefined;
}

/** Runs one command line; every command's errors map to exit codes in one place (commands/kit.ts). */
export const main = (argv: string[], io: CommandIo = processIo): Promise<number> =>
  command(async (argv, io) => {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.stdout(`${USAGE}\n`);
      return argv.length === 0 ? 2 : 0;
    }
    // "izisales hub --help": the usage lines of that command (a new user reads them before the README).
    if (argv.includes('--help') || argv.includes('-h')) {
      const lines = USAGE.split('\n').filter((l) => l.trimStart().startsWith(`${argv[0]} `) || l.trimStart() === argv[0]);
      io.stdout(`${lines.length > 0 ? [USAGE.split('\n')[0], ...lines].join('\n') : USAGE}\n`);
      return 0;
    }
    const two = argv.slice(0, 2).join(' ');
    for (const [name, rest] of [[two, argv.slice(2)], [argv[0], argv.slice(1)]] as const) {
      const cmd = commands[name] ?? (await lazyCommand(name));
      if (cmd) return cmd(rest, io);
    }
    throw new UsageError(`comando desconocido "${two}". Use "izisales --help".`);
  })(argv, io);
