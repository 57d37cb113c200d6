// Commands over the data directory's documents and certificate: daily summary, void, certificate import and show.
import fs from 'node:fs';
import { createApp, type App } from '../app';
import { resolveDataDir } from '../paths';
import { isIsoDate, limaDate } from '../../src-shared/time';
import { ApiError } from '../../src-shared/contract';
import { CertificateError } from '../sunat/certificate';
import { createDailySummary, voidSale } from '../sunat/batches';
import { importCertificate, showCertificate } from '../pos/certificate-admin';
import { command, noPositionals, parseArgs, UsageError, type Command, type CommandIo } from './kit';

async function withApp(dataFlag: string | undefined, fn: (app: App) => number): Promise<number> {
  const app = createApp({ dataDir: resolveDataDir(dataFlag) });
  try {
    return fn(app);
  } finally {
    await app.close();
  }
}

/** A refused business rule is a one-line message and exit 1; nothing was recorded. */
function refused(io: CommandIo, e: unknown): number {
  if (e instanceof ApiError || e instanceof CertificateError) {
    io.stderr(`izisales: ${e.message}\n`);
    return 1;
  }
  throw e;
}

const QUEUED = 'En cola para SUNAT: lo envía la aplicación abierta o "izisales worker".';

export const documentSummary: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { date: 'value' });
  noPositionals(rest);
  if (opts.date !== undefined && !isIsoDate(opts.date)) throw new UsageError(`--date no válida: ${opts.date} (use AAAA-MM-DD)`);
  return withApp(opts.data, (app) => {
    try {
      const r = createDailySummary(app, null, opts.date ?? limaDate(app.clock.now()));
      io.stdout(JSON.stringify({ ...r, note: QUEUED }) + '\n');
      return 0;
    } catch (e) {
      return refused(io, e);
    }
  });
});

export const documentVoid: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { reason: 'value' });
  if (rest.length !== 1) throw new UsageError('uso: document void SERIE-NUMERO --reason "MOTIVO"');
  if (!opts.reason) throw new UsageError('falta --reason "MOTIVO" (lo exige SUNAT)');
  return withApp(opts.data, (app) => {
    try {
      const r = voidSale(app, null, rest[0], opts.reason);
      io.stdout(JSON.stringify({ ...r, note: QUEUED }) + '\n');
      return 0;
    } catch (e) {
      return refused(io, e);
    }
  });
});

export const certImport: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { 'password-env': 'value', 'confirm-ruc-change': 'flag' });
  if (rest.length !== 1) throw new UsageError('uso: cert import ARCHIVO.pfx --password-env VARIABLE [--confirm-ruc-change]');
  const envVar = opts['password-env'];
  if (!envVar) throw new UsageError('indique --password-env VARIABLE (la contraseña nunca va en la línea de comandos)');
  const password = process.env[envVar];
  if (password === undefined) throw new UsageError(`la variable de entorno ${envVar} no está definida`);
  if (!fs.existsSync(rest[0])) throw new UsageError(`no existe el archivo ${rest[0]}`);
  const pfx = new Uint8Array(fs.readFileSync(rest[0]));
  return withApp(opts.data, (app) => {
    try {
      // The same import as Administración → Certificado: checks, encrypted storage, audit (as the local operator).
      io.stdout(JSON.stringify(importCertificate(app, app.clock.now(), null, pfx, password, 'cli', { confirmRucChange: !!opts['confirm-ruc-change'] })) + '\n');
      return 0;
    } catch (e) {
      return refused(io, e);
    }
  });
});

export const certShow: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, {});
  noPositionals(rest);
  return withApp(opts.data, (app) => {
    const { certificate, warning } = showCertificate(app.db, app.secrets, app.clock.now());
    if (!certificate) {
      io.stderr(`izisales: ${warning ?? 'no hay certificado digital guardado (use "izisales cert import").'}\n`);
      return 1;
    }
    io.stdout(JSON.stringify(certificate) + '\n');
    return 0;
  });
});

export const commands: Record<string, Command> = {
  'document summary': documentSummary,
  'document void': documentVoid,
  'cert import': certImport,
  'cert show': certShow,
};
