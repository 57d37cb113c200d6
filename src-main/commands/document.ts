// `izisales document build INPUT.json --out DIR [--cert FILE --cert-password-env VAR]`: validates the input,
// builds, signs and zips the document, writes DIR/<name>.xml and .zip and prints one JSON object.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSignedDocument } from '../sunat/build';
import { CertificateError, createDemoCertificate, loadCertificate, type LoadedCertificate } from '../sunat/certificate';
import { parseDocumentInput } from '../sunat/document-input';
import { databaseFile, resolveDataDir } from '../paths';
import { openDatabase } from '../db/connection';
import { keyFileSecretStore } from '../secrets';
import { readStoredCertificate } from '../sunat/certificate-store';
import { parseArgs as parseFlags, UsageError, type CommandIo } from './kit';


export interface DocumentCommandDeps {
  /** The data directory's certificate, once the lead wires it; null when none is stored. */
  loadStoredCertificate?: (ruc: string) => Promise<LoadedCertificate | null> | LoadedCertificate | null;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

const USAGE = 'Uso: izisales document build ENTRADA.json --out CARPETA [--cert ARCHIVO.pfx --cert-password-env VARIABLE] [--data DIR]';

interface BuildArgs {
  data?: string;
  input: string;
  out: string;
  cert?: string;
  passwordEnv?: string;
}

function parseArgs(argv: string[]): BuildArgs | string {
  let parsed;
  try {
    parsed = parseFlags(argv, { out: 'value', cert: 'value', 'cert-password-env': 'value' });
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  const { opts, rest } = parsed;
  if (rest.length !== 1) return 'Indique un único archivo JSON de entrada.';
  if (!opts.out) return 'Falta --out CARPETA.';
  if (opts.cert && !opts['cert-password-env']) return 'Con --cert indique también --cert-password-env VARIABLE (la contraseña se lee de esa variable de entorno).';
  return { input: rest[0], out: opts.out, cert: opts.cert, passwordEnv: opts['cert-password-env'], data: opts.data };
}

/** The data directory's certificate when it is this issuer's (--data, IZISALES_DATA or the default), else null. */
function dataDirCertificate(dataFlag: string | undefined, ruc: string): LoadedCertificate | null {
  const dir = resolveDataDir(dataFlag);
  const file = databaseFile(dir);
  // Without the key file nothing was ever stored encrypted there; do not create one from a read.
  if (!existsSync(file) || !existsSync(join(dir, 'secret.key'))) return null;
  const db = openDatabase(file, { migrate: false });
  try {
    const cert = readStoredCertificate(db, keyFileSecretStore(dir));
    return cert && (cert.ruc === null || cert.ruc === ruc) ? cert : null;
  } finally {
    db.close();
  }
}

/** A demo certificate per RUC, cached in the temp directory so repeated builds sign with the same key. */
function demoCertificate(ruc: string, name: string, now: Date): LoadedCertificate {
  const file = join(tmpdir(), `izisales-demo-cert-${ruc}.p12`);
  const passFile = `${file}.pass`;
  if (existsSync(file) && existsSync(passFile)) {
    try {
      return loadCertificate(readFileSync(file), readFileSync(passFile, 'utf8').trim(), now);
    } catch {
      // Expired or damaged: make a new one below.
    }
  }
  const demo = createDemoCertificate(ruc, name, now);
  writeFileSync(file, demo.pfx, { mode: 0o600 });
  writeFileSync(passFile, demo.password, { mode: 0o600 });
  return demo;
}

export async function documentBuildCommand(argv: string[], io: CommandIo, deps: DocumentCommandDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const now = deps.now?.() ?? new Date();
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`izisales: ${args} ${USAGE}\n`); // one line, as every command's bad arguments
    return 2;
  }

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(args.input, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.stderr(err.code === 'ENOENT' ? `No existe el archivo ${args.input}.\n` : `El archivo ${args.input} no es un JSON válido: ${err.message}\n`);
    return 2;
  }
  const parsed = parseDocumentInput(raw);
  if (!parsed.ok) {
    for (const issue of parsed.issues) io.stderr(`${issue.field}: ${issue.message}\n`);
    return 2;
  }
  const model = parsed.document;

  let cert: LoadedCertificate;
  try {
    if (args.cert) {
      const password = env[args.passwordEnv!];
      if (password === undefined) {
        io.stderr(`La variable de entorno ${args.passwordEnv} no está definida (debe contener la contraseña del certificado).\n`);
        return 2;
      }
      cert = loadCertificate(readFileSync(args.cert), password, now);
    } else {
      const stored = deps.loadStoredCertificate ?? ((ruc: string) => dataDirCertificate(args.data, ruc));
      cert = (await stored(model.issuer.ruc)) ?? demoCertificate(model.issuer.ruc, model.issuer.name, now);
    }
  } catch (e) {
    if (e instanceof CertificateError) {
      io.stderr(`Certificado: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') {
      io.stderr(`No existe el archivo de certificado ${args.cert}.\n`);
      return 2;
    }
    throw e;
  }

  const built = buildSignedDocument(model, cert);
  mkdirSync(args.out, { recursive: true });
  const xmlPath = join(args.out, `${built.fileName}.xml`);
  const zipPath = join(args.out, `${built.fileName}.zip`);
  writeFileSync(xmlPath, built.xml);
  writeFileSync(zipPath, built.zip);
  io.stdout(JSON.stringify({ file: xmlPath, zip: zipPath, digestValue: built.digestValue, qr: built.qr, totals: built.totals }) + '\n');
  return 0;
}
