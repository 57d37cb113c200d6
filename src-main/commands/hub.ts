// `izisales hub …`: the head-office service and its administration. Every hub command takes --database-url (a
// PostgreSQL server) and --data (the embedded engine's directory, <data>/hub-pg, when there is no URL).
//   hub [--port N] [--listen ADDR] [--tls-cert F --tls-key F]
//   hub store add --ruc RUC --establishment CODE --name NAME [--address A]
//   hub terminal add --store RUC-CODE --name CAJA-01 [--json]
//   hub report daily --date AAAA-MM-DD [--json]
//   hub report daily --date AAAA-MM-DD [--store RUC-CODE] --pdf FILE   (the A4 of a store, or of the chain without --store)
//   hub check [--json]
//   hub user add --username U --name N --role manager|admin [--pin-stdin]   (the PIN or password read from stdin)
//   hub product set --code CODE --price 3,50 [--name NAME]
import fs from 'node:fs';
import net from 'node:net';
import { resolveDataDir } from '../paths';
import { openHubDb, type OpenHubDb } from '../hub/db';
import { checkStore } from '../hub/admin';
import { checkHubUser } from '../hub/people';
import { ADMIN_OPS, askRunningHub, publishAdminDoor, runAdminOp, runningHub, type AdminOp, type AdminResult } from '../hub/admin-door';
import { HubRefusal } from '../hub/refusal';
import type { BeforeCommit } from '../hub/ingest';
import { formatSoles } from '../../src-shared/decimal';
import { formatDatePe } from '../../src-shared/time';
import { readMoney } from '../../src-shared/number-input';
import { command, noPositionals, parseArgs, UsageError, type Command, type CommandIo, type OptionKind } from './kit';

const HUB_OPTIONS: Record<string, OptionKind> = { 'database-url': 'value' };

function flags(argv: string[], own: Record<string, OptionKind>): Record<string, string> {
  const { opts, rest } = parseArgs(argv, { ...HUB_OPTIONS, ...own });
  noPositionals(rest);
  return opts;
}

function required(opts: Record<string, string>, name: string): string {
  const v = opts[name];
  if (v === undefined || v.trim() === '') throw new UsageError(`--${name} es obligatorio`);
  return v;
}

async function withHub<T>(opts: Record<string, string>, fn: (hub: OpenHubDb) => Promise<T>): Promise<T> {
  const hub = await openHubDb({ databaseUrl: opts['database-url'], dataDir: resolveDataDir(opts.data) });
  try {
    return await fn(hub);
  } finally {
    await hub.close();
  }
}

/**
 * One administration operation: asked of the hub running on this embedded directory (its engine is one process's),
 * else run on the database opened here.
 */
async function adminOp<K extends AdminOp>(opts: Record<string, string>, op: K, input: Parameters<(typeof ADMIN_OPS)[K]>[1]): Promise<AdminResult<K>> {
  const door = opts['database-url'] ? null : runningHub(resolveDataDir(opts.data));
  if (door) return (await askRunningHub(door, op, input)) as AdminResult<K>;
  return withHub(opts, (hub) => runAdminOp(hub.db, op, input) as Promise<AdminResult<K>>);
}

/** A refusal is the user's to fix: its message, exit 1. */
async function refusalsExit1(io: CommandIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof HubRefusal)) throw e;
    io.stderr(`izisales: ${e.message}\n`);
    return 1;
  }
}

const subcommands: Record<string, Command> = {
  async serve(argv, io) {
    const o = flags(argv, { port: 'value', listen: 'value', 'tls-cert': 'value', 'tls-key': 'value' });
    const port = o.port === undefined ? 8070 : Number(o.port);
    if (!/^\d+$/.test(o.port ?? '8070') || port > 65535) throw new UsageError(`--port no válido: ${o.port}`);
    if (o.listen !== undefined && net.isIP(o.listen) === 0) throw new UsageError(`--listen no válido: ${o.listen} (una dirección IP, p. ej. 0.0.0.0)`);
    if ((o['tls-cert'] === undefined) !== (o['tls-key'] === undefined)) throw new UsageError('--tls-cert y --tls-key van juntos');
    const tls = o['tls-cert'] ? { cert: fs.readFileSync(o['tls-cert']), key: fs.readFileSync(o['tls-key']) } : undefined;
    // The hub's screens are the same React app as the terminal's: built when missing or older than its sources.
    const [{ ensureRendererBuilt }, { CSP, RENDERER_DIR }] = await Promise.all([import('../renderer-build'), import('../serve')]);
    ensureRendererBuilt((line) => io.stderr(`${line}\n`));
    const hub = await openHubDb({ databaseUrl: o['database-url'], dataDir: resolveDataDir(o.data) });
    const [{ startHubServer }, { hubUi }] = await Promise.all([import('../hub/server'), import('../hub/ui')]);
    let adminKey: string | null = null;
    let server;
    try {
      server = await startHubServer(hub.db, {
        port, host: o.listen, tls, adminKey: () => adminKey, log: (line) => io.stderr(`${new Date().toISOString()} [hub] ${line}\n`),
        ui: hubUi(hub.db, { staticDir: RENDERER_DIR, csp: CSP, secure: Boolean(tls) }),
        beforeCommit: testApplyPause(io),
      });
    } catch (e) {
      await hub.close();
      throw e;
    }
    // The embedded engine is this process's: the CLI's administration comes through the server (admin-door.ts).
    const door = hub.engine === 'pglite' ? publishAdminDoor(resolveDataDir(o.data), server.url) : null;
    adminKey = door?.key ?? null;
    io.stdout(`hub listening on ${server.url}\n`);
    io.stderr(`${new Date().toISOString()} [hub] datos: ${hub.where} (${hub.engine})\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    // Stop taking requests, let the ones in flight finish, then close the database (PGlite flushes its files).
    door?.remove();
    await server.close();
    await hub.close();
    io.stderr(`${new Date().toISOString()} [hub] detenido\n`);
    return 0;
  },

  async 'store add'(argv, io) {
    const o = flags(argv, { ruc: 'value', establishment: 'value', name: 'value', address: 'value' });
    const input = { ruc: required(o, 'ruc'), establishment: required(o, 'establishment'), name: required(o, 'name'), address: o.address };
    return refusalsExit1(io, async () => {
      checkStore(input); // a typo is answered before the database is opened
      const s = await adminOp(o, 'store.add', input);
      io.stdout(`Tienda ${s.key} creada: ${input.name.trim()}.\n`);
      return 0;
    });
  },

  async 'terminal add'(argv, io) {
    const o = flags(argv, { store: 'value', name: 'value', json: 'flag' });
    const input = { store: required(o, 'store'), name: required(o, 'name') };
    return refusalsExit1(io, async () => {
      const t = await adminOp(o, 'terminal.add', input);
      if (o.json) io.stdout(`${JSON.stringify({ code: t.code, terminalId: t.terminalId, expiresAt: t.expiresAt })}\n`);
      else {
        io.stdout(`Código de registro de ${input.name.trim().toUpperCase()}${t.existing ? ' (nuevo código para una caja existente)' : ''}: ${t.code}\n`);
        io.stdout(`Se muestra una sola vez; vence el ${t.expiresAt.slice(0, 10)}. En la caja: Administración → Central, o izisales hub join URL CÓDIGO.\n`);
      }
      return 0;
    });
  },

  async 'report daily'(argv, io) {
    const o = flags(argv, { date: 'value', json: 'flag', store: 'value', pdf: 'value' });
    const date = required(o, 'date');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError(`--date no válida: ${date} (use AAAA-MM-DD)`);
    if (o.store !== undefined && !/^\d{11}-\d{4}$/.test(o.store.trim())) throw new UsageError(`--store no válida: ${o.store} (use RUC-ESTABLECIMIENTO, p. ej. 20123456786-0000)`);
    if (o.store !== undefined && o.pdf === undefined) throw new UsageError('--store va con --pdf ARCHIVO (el reporte impreso de esa tienda)');
    if (o.pdf !== undefined && o.json) throw new UsageError('--pdf y --json no van juntos');
    if (o.pdf !== undefined && o.pdf.trim() === '') throw new UsageError('--pdf necesita el nombre del archivo');
    return refusalsExit1(io, async () => {
      if (o.pdf !== undefined) {
        const r = await adminOp(o, 'report.print', { date, store: o.store?.trim() ?? null });
        const { renderReportPdf } = await import('../documents/report-pdf');
        fs.writeFileSync(o.pdf, await renderReportPdf(r));
        io.stdout(`Reporte diario del ${formatDatePe(date)}, ${r.scope?.title ?? r.store.name}: ${r.salesCount} ventas, ${formatSoles(r.totalBilled)} (neto ${formatSoles(r.netBilled)}). PDF: ${o.pdf}\n`);
        return 0;
      }
      const r = await adminOp(o, 'report.daily', { date });
      if (o.json) {
        io.stdout(`${JSON.stringify(r)}\n`);
        return 0;
      }
      io.stdout(`Reporte diario de la central, ${date}: ${r.issued} comprobantes, ${formatSoles(r.totalBilled)}\n`);
      for (const s of r.stores) {
        io.stdout(`  ${s.ruc}-${s.establishment}: ${s.issued} comprobantes, ${formatSoles(s.totalBilled)}\n`);
        for (const t of s.terminals) io.stdout(`    ${t.name}: ${t.issued} comprobantes, ${formatSoles(t.totalBilled)}; último contacto ${t.lastContact ?? 'nunca'}\n`);
      }
      return 0;
    });
  },

  async 'user add'(argv, io) {
    const o = flags(argv, { username: 'value', name: 'value', role: 'value', 'pin-stdin': 'flag' });
    const base = { username: required(o, 'username'), name: required(o, 'name'), role: required(o, 'role') };
    return refusalsExit1(io, async () => {
      checkHubUser({ ...base, secret: '0000' }); // a typo is answered before the PIN is asked for
      const secret = await readSecretLine();
      const input = { ...base, secret };
      checkHubUser(input);
      const u = await adminOp(o, 'user.add', input);
      io.stdout(`Usuario ${u.username} (${u.role === 'admin' ? 'administrador' : 'encargado'}) creado en la central: ingresa en su pantalla con su PIN o contraseña.\n`);
      return 0;
    });
  },

  async 'product set'(argv, io) {
    const o = flags(argv, { code: 'value', price: 'value', name: 'value' });
    const code = required(o, 'code');
    const price = readMoney(required(o, 'price'));
    if (price.error !== null) throw new UsageError(`--price: ${price.error}`);
    return refusalsExit1(io, async () => {
      const p = await adminOp(o, 'product.set', { code, price: price.value, ...(o.name !== undefined ? { name: o.name } : {}) });
      io.stdout(`Producto ${p.code} (${p.name}) ${p.created ? 'creado' : 'actualizado'}: ${formatSoles(p.price)}. Las cajas lo reciben en su próxima sincronización.\n`);
      return 0;
    });
  },

  async check(argv, io) {
    const o = flags(argv, { json: 'flag' });
    return refusalsExit1(io, async () => {
      const c = await adminOp(o, 'check', {});
      if (o.json) io.stdout(`${JSON.stringify(c)}\n`);
      else {
        for (const g of c.gaps) io.stdout(`Faltan ${g.ruc} ${g.series}-${g.from}${g.to > g.from ? ` a ${g.to}` : ''}\n`);
        io.stdout(`${c.gaps.length} huecos, ${c.duplicates} números repetidos\n`);
      }
      // Like a linter: a gap or a duplicate is a finding (exit 1), not an error of the command.
      return c.gaps.length === 0 && c.duplicates === 0 ? 0 : 1;
    });
  },
};

/** The PIN or password: the first line of stdin (never argv, which other users of the PC can read). */
async function readSecretLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('PIN o contraseña (luego Enter): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  if (!line) throw new HubRefusal(400, 'falta_pin', 'Escriba el PIN o la contraseña en la entrada estándar, p. ej.: echo 1234 | izisales hub user add … --pin-stdin');
  return line;
}

/**
 * Tests only: the hub pauses this long inside each push's transaction, after its rows are written and before the
 * commit, and says so on stderr — so a test can kill it there (hub-faults.test.ts). Unset (always, in use): no pause.
 */
function testApplyPause(io: CommandIo): BeforeCommit | undefined {
  const ms = Number(process.env.IZISALES_TEST_HUB_APPLY_PAUSE_MS ?? 0);
  if (!Number.isInteger(ms) || ms <= 0) return undefined;
  return async ({ fromSeq, toSeq }) => {
    io.stderr(`${new Date().toISOString()} [hub] prueba: lote ${fromSeq}-${toSeq} escrito, sin confirmar (pausa ${ms} ms)\n`);
    await new Promise((resolve) => setTimeout(resolve, ms));
  };
}

/** `hub` followed by its subcommand (none: the service itself). */
export const hubCommand: Command = command(async (argv, io) => {
  const two = argv.slice(0, 2).join(' ');
  if (subcommands[two] && two.includes(' ')) return subcommands[two](argv.slice(2), io);
  if (argv[0] === 'check') return subcommands.check(argv.slice(1), io);
  if (argv.length === 0 || argv[0].startsWith('--')) return subcommands.serve(argv, io);
  throw new UsageError(`subcomando desconocido "hub ${two}". Use: hub, hub store add, hub terminal add, hub user add, hub product set, hub report daily, hub check`);
});
