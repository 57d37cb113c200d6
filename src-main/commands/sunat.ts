// CLI commands around SUNAT: the simulator, sending a zip, reading a CDR, asking a document's status.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createSunatClient, endpointsFor, type Endpoints, type SunatOutcome } from '../sunat/client';
import { CdrError, readCdr } from '../sunat/cdr';
import { startSimulator, type SimulatorFaults } from '../sunat/simulator';
import { command as run, parseArgs, UsageError, type Command } from './kit';

/** `--fault status503`, `--fault latencyMs=500`, `--fault faultCode=0109`, or a JSON object. */
function parseFault(spec: string, into: SimulatorFaults): void {
  if (spec.trim().startsWith('{')) {
    Object.assign(into, JSON.parse(spec) as SimulatorFaults);
    return;
  }
  const [key, value] = spec.split('=', 2);
  const numeric = ['latencyMs', 'rate', 'downForMs'];
  const flags = ['down', 'status503', 'resetAfterProcessing', 'empty200', 'html502', 'boletaNotesInSummary'];
  const f = into as Record<string, unknown>;
  if (flags.includes(key)) f[key] = value === undefined ? true : value !== 'false';
  else if (numeric.includes(key) && value !== undefined && Number.isFinite(Number(value))) f[key] = Number(value);
  else if (key === 'faultCode' && value && /^\d{1,4}$/.test(value)) f[key] = value.padStart(4, '0');
  else throw new UsageError(`--fault no válido: ${spec}`);
}

export const sunatSim: Command = run(async (argv, io) => {
  const { opts, lists, rest } = parseArgs(argv, {
    port: 'value', host: 'value', state: 'value', 'delay-ms': 'value', fault: 'multi', 'tls-cert': 'value', 'tls-key': 'value',
  });
  if (rest.length > 0) throw new UsageError(`argumento inesperado: ${rest[0]}`);
  const port = Number(opts.port ?? '8090');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port debe ser un número de puerto');
  const delay = Number(opts['delay-ms'] ?? '2000');
  if (!Number.isFinite(delay) || delay < 0) throw new UsageError('--delay-ms debe ser un número');
  const faults: SimulatorFaults = {};
  for (const f of lists.fault ?? []) parseFault(f, faults);
  if (Boolean(opts['tls-cert']) !== Boolean(opts['tls-key'])) throw new UsageError('--tls-cert y --tls-key van juntos (PEM)');
  const tls = opts['tls-cert'] ? { cert: readFileSync(opts['tls-cert']), key: readFileSync(opts['tls-key']) } : undefined;
  const sim = await startSimulator({ port, host: opts.host ?? '127.0.0.1', stateFile: opts.state, summaryDelayMs: delay, faults, tls });
  io.stdout(`Simulador SUNAT escuchando en ${sim.url}\n`);
  io.stdout(`  billService:        ${endpointsFor('custom', sim.url).billService}\n`);
  io.stdout(`  billConsultService: ${endpointsFor('custom', sim.url).consultService}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  io.stdout('Simulador detenido\n');
  return 0;
});

function resolveEndpoints(opts: Record<string, string>): Endpoints {
  const url = opts.endpoint ?? opts['sunat-url'] ?? process.env.IZISALES_SUNAT_URL ?? 'simulator';
  if (url === 'production' || url === 'beta' || url === 'simulator') return endpointsFor(url);
  try {
    return endpointsFor('custom', url);
  } catch {
    throw new UsageError(`URL de SUNAT no válida: ${url}`);
  }
}

/** `--ca FILE`: an extra CA (PEM) to trust, e.g. a simulator served with --tls-cert. Verification stays on. */
function trustedCa(opts: Record<string, string>): { ca?: Buffer } {
  return opts.ca ? { ca: readFileSync(opts.ca) } : {};
}

function credentials(opts: Record<string, string>, ruc: string): { ruc: string; solUser: string; solPassword: string } {
  const solUser = opts['sol-user'] ?? 'MODDATOS';
  const envVar = opts['sol-password-env'];
  let solPassword: string | undefined;
  if (envVar) {
    solPassword = process.env[envVar];
    if (!solPassword) throw new UsageError(`la variable de entorno ${envVar} no tiene la clave SOL`);
  } else if (solUser === 'MODDATOS') {
    solPassword = 'moddatos';
  } else {
    throw new UsageError('indique --sol-password-env VARIABLE con la clave SOL (nunca en la línea de comandos)');
  }
  return { ruc: opts.ruc ?? ruc, solUser, solPassword };
}

/** The outcome as JSON: CDR bytes and XML left out, never a credential. */
function printable(o: SunatOutcome): Record<string, unknown> {
  if (o.kind === 'accepted' || o.kind === 'observed' || o.kind === 'rejected') {
    const { cdr, cdrZip, ...rest } = o;
    return {
      ...rest,
      cdr: { fileName: cdr.fileName, referenceId: cdr.referenceId, recipientId: cdr.recipientId, issueDate: cdr.issueDate },
      cdrZipBytes: cdrZip.length,
    };
  }
  return { ...o };
}

const exitFor = (o: SunatOutcome): number => (['accepted', 'observed', 'ticket', 'pending'].includes(o.kind) ? 0 : 1);

export const documentSend: Command = run(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, {
    endpoint: 'value',
    'sunat-url': 'value',
    ruc: 'value',
    'sol-user': 'value',
    'sol-password-env': 'value',
    ca: 'value',
  });
  if (rest.length !== 1) throw new UsageError('uso: document send ARCHIVO.zip [--sunat-url URL] [--ca CA.pem] [--ruc R --sol-user U --sol-password-env VAR]');
  const file = rest[0];
  const name = basename(file);
  const m = /^(\d{11})-(01|03|07|08|RC|RA|RR)-/.exec(name);
  if (!m || !/\.zip$/i.test(name)) throw new UsageError(`el archivo debe llamarse RUC-TT-SERIE-NUMERO.zip: ${name}`);
  const bytes = new Uint8Array(readFileSync(file));
  const client = createSunatClient({ endpoints: resolveEndpoints(opts), ...credentials(opts, m[1]), ...trustedCa(opts) });
  try {
    const isSummary = ['RC', 'RA', 'RR'].includes(m[2]);
    const out = isSummary ? await client.sendSummary(name, bytes) : await client.sendBill(name, bytes);
    io.stdout(JSON.stringify(printable(out), null, 2) + '\n');
    return exitFor(out);
  } finally {
    client.close();
  }
});

export const cdrRead: Command = run(async (argv, io) => {
  const { rest } = parseArgs(argv, {});
  if (rest.length !== 1) throw new UsageError('uso: cdr read ARCHIVO.zip|ARCHIVO.xml');
  try {
    const cdr = readCdr(new Uint8Array(readFileSync(rest[0])));
    io.stdout(
      JSON.stringify({ responseCode: cdr.responseCode, description: cdr.description, referenceId: cdr.referenceId, notes: cdr.notes }, null, 2) +
        '\n',
    );
    return 0;
  } catch (e) {
    if (e instanceof CdrError) {
      io.stderr(`No se pudo leer el CDR: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
});

export const documentStatus: Command = run(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { endpoint: 'value', 'sunat-url': 'value', 'sol-user': 'value', 'sol-password-env': 'value', ca: 'value' });
  const m = rest.length === 1 ? /^(\d{11})-(01|03|07|08)-([A-Z0-9]{4})-(\d{1,8})$/.exec(rest[0]) : null;
  if (!m) throw new UsageError('uso: document status RUC-TT-SERIE-NUMERO [--sunat-url URL]');
  const client = createSunatClient({ endpoints: resolveEndpoints(opts), ...credentials(opts, m[1]), ...trustedCa(opts) });
  try {
    const out = await client.getStatusCdr(m[1], m[2], m[3], m[4]);
    io.stdout(JSON.stringify(printable(out), null, 2) + '\n');
    return exitFor(out);
  } finally {
    client.close();
  }
});

export const commands: Record<string, Command> = {
  'sunat-sim': sunatSim,
  'document send': documentSend,
  'cdr read': cdrRead,
  'document status': documentStatus,
};
