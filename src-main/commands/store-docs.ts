// Commands over the data directory's documents and certificate: daily summary, void, a return (credit note),
// certificate import and show.
import fs from 'node:fs';
import path from 'node:path';
import { zipDocument } from '../sunat/package';
import { renderDocumentPdf } from '../documents/render';
import { createApp, type App } from '../app';
import { resolveDataDir } from '../paths';
import { isIsoDate, limaDate } from '../../src-shared/time';
import { ApiError, returnInput } from '../../src-shared/contract';
import { readQuantity } from '../../src-shared/number-input';
import { RETURN_REASONS } from '../../src-shared/notes';
import { getSetting } from '../db/settings';
import { findSaleByReceipt } from '../pos/returns';
import { CertificateError } from '../sunat/certificate';
import { createDailySummary, voidSale } from '../sunat/batches';
import { importCertificate, showCertificate } from '../pos/certificate-admin';
import { command, noPositionals, parseArgs, UsageError, type Command, type CommandIo } from './kit';

async function withApp(dataFlag: string | undefined, fn: (app: App) => number | Promise<number>): Promise<number> {
  const app = createApp({ dataDir: resolveDataDir(dataFlag) });
  try {
    return await fn(app);
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

/**
 * `sales return B001-12 --line 1:2 --line 3:1 --reason 07 [--refund cash|original]`: the return of the screen (same
 * service, same checks), by the store's first active admin as the operator at the machine. Prints the credit note.
 */
export const salesReturn: Command = command(async (argv, io) => {
  const { opts, lists, rest } = parseArgs(argv, { line: 'multi', reason: 'value', refund: 'value', 'reason-text': 'value' });
  const usage = 'uso: sales return SERIE-NUMERO --line N:CANTIDAD [--line N:CANTIDAD …] --reason 07|06|01 [--refund cash|original]';
  if (rest.length !== 1) throw new UsageError(usage);
  const number = /^([A-Z0-9]{4})-(\d{1,8})$/i.exec(rest[0].trim());
  if (!number) throw new UsageError(`número no válido: ${rest[0]} (use SERIE-NUMERO, p. ej. B001-12)`);
  if (!lists.line?.length) throw new UsageError(`falta --line N:CANTIDAD (la línea del ticket y cuántas unidades vuelven); ${usage}`);
  const lines = lists.line.map((l) => {
    const m = /^(\d+):(.+)$/.exec(l.trim());
    if (!m) throw new UsageError(`--line no válida: ${l} (use N:CANTIDAD, p. ej. 2:1 o 3:0,5)`);
    const q = readQuantity(m[2]);
    if (q.error !== null) throw new UsageError(`--line ${l}: ${q.error}`);
    return { lineNo: Number(m[1]), quantity: q.value };
  });
  if (!opts.reason || !(RETURN_REASONS as readonly string[]).includes(opts.reason)) {
    throw new UsageError('--reason es obligatorio: 07 (devolución por ítem), 06 (devolución total) o 01 (anulación de la operación)');
  }
  const refund = opts.refund ?? 'original';
  if (refund !== 'cash' && refund !== 'original') throw new UsageError(`--refund no válido: ${refund} (cash u original)`);
  return withApp(opts.data, (app) => {
    try {
      const saleId = findSaleByReceipt(app.db, rest[0]);
      if (saleId === null) throw new ApiError('not_found', `No existe la venta ${rest[0]}.`);
      const operator = app.db.first(app.db.q.selectFrom('users').select(['id', 'role']).where('role', '=', 'admin').where('active', '=', 1).orderBy('id').limit(1));
      if (!operator) throw new ApiError('rule', 'La tienda no tiene un administrador activo que registre la devolución.');
      const input = returnInput.parse({ saleId, lines, reasonCode: opts.reason, reason: opts['reason-text'], refund });
      const r = app.returnSale(operator, getSetting(app.db, 'terminalId'), input);
      const doc = app.db.first(app.db.q.selectFrom('documents').select(['digest_value', 'qr']).where('id', '=', r.documentId));
      io.stdout(JSON.stringify({
        number: r.number, reference: r.reference, total: r.total.toFixed(2), refundMethod: r.refundMethod,
        refund: r.refund.toFixed(2), debt: r.debt.toFixed(2), adjustment: r.adjustment?.number ?? null,
        digestValue: doc?.digest_value ?? null, qr: doc?.qr ?? null, note: QUEUED,
      }) + '\n');
      return 0;
    } catch (e) {
      return refused(io, e);
    }
  });
});

/**
 * `document export B001-12 --out DIR`: what support or an accountant asks for, by the number on the paper: the signed
 * XML (byte for byte what SUNAT receives), its zip as sent, SUNAT's CDR when there is one (R-<name>.zip, SUNAT's
 * name), and the printed ticket as PDF. Prints the files written.
 */
export const documentExport: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { out: 'value' });
  if (rest.length !== 1 || !opts.out) throw new UsageError('uso: document export SERIE-NUMERO --out DIR');
  const number = /^([A-Z0-9]{4})-(\d{1,8})$/i.exec(rest[0].trim());
  if (!number) throw new UsageError(`número no válido: ${rest[0]} (use SERIE-NUMERO, p. ej. B001-12)`);
  return withApp(opts.data, async (app) => {
    try {
      const find = () => app.db.first(
        app.db.q.selectFrom('documents').select(['id', 'file_name', 'xml', 'cdr_zip'])
          .where('series', '=', number[1].toUpperCase()).where('correlative', '=', Number(number[2]))
          .where('document_type', 'in', ['01', '03', '07', '08']),
      );
      let doc = find();
      if (!doc) throw new ApiError('not_found', `No existe el comprobante ${rest[0]}.`);
      if (!doc.xml) {
        app.signer.signDocument(doc.id, app.clock.now());
        doc = find()!;
      }
      if (!doc.xml) throw new ApiError('rule', `${rest[0]} aún no está firmado: falta el certificado digital.`);
      const out = path.resolve(opts.out);
      fs.mkdirSync(out, { recursive: true });
      const written: string[] = [];
      const write = (name: string, data: string | Uint8Array) => {
        fs.writeFileSync(path.join(out, name), data);
        written.push(path.join(out, name));
      };
      const { zipName, xmlName, zip } = zipDocument(doc.file_name, doc.xml);
      write(xmlName, doc.xml);
      write(zipName, zip);
      if (doc.cdr_zip) write(`R-${doc.file_name}.zip`, doc.cdr_zip);
      write(`${doc.file_name}.pdf`, await renderDocumentPdf(app, doc.id));
      io.stdout(JSON.stringify({ number: `${number[1].toUpperCase()}-${number[2].padStart(8, '0')}`, files: written }) + '\n');
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
  'sales return': salesReturn,
  'document export': documentExport,
  'cert import': certImport,
  'cert show': certShow,
};
