// Where ESC/POS bytes go: a network printer (raw TCP, port 9100), a device file (/dev/usb/lp0, a serial port) or a
// CUPS raw queue (`lp -o raw`). Every failure ends in one Spanish sentence (PrinterError); none of them touches a sale.
import net from 'node:net';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { BAD_PRINTER_URI, describeTarget, printerTargetOf, type PrinterTarget } from '../../src-shared/printer';

export type { PrinterTarget } from '../../src-shared/printer';

export type PrinterProblem =
  | 'bad-uri' | 'timeout' | 'refused' | 'unreachable' | 'cut' | 'not-found' | 'denied' | 'no-lp' | 'lp-failed'
  | 'paper-out' | 'cover-open' | 'offline';

export class PrinterError extends Error {
  constructor(readonly problem: PrinterProblem, message: string) {
    super(message);
  }
}

/**
 * `tcp://HOST[:PORT]` (9100 by default), `lp://QUEUE`, or a device path (`/dev/usb/lp0`, `/dev/ttyUSB0`, `COM3`,
 * `\\.\COM3`). Anything else is refused with how to write it.
 */
export function parsePrinterUri(uri: string): PrinterTarget {
  const target = printerTargetOf(uri);
  if (!target) throw new PrinterError('bad-uri', BAD_PRINTER_URI(uri));
  return target;
}

export { describeTarget };

export interface SendOptions {
  /** Connecting to a network printer; default 3 s. */
  connectTimeoutMs?: number;
  /** From the first byte written until the printer has taken the last one; default 10 s. */
  writeTimeoutMs?: number;
  /** Ask the printer's status (DLE EOT) first and refuse to print into an empty or open printer; network only. */
  checkStatus?: boolean;
  /** How long to wait for the status bytes; a printer that does not answer is "sin estado", not an error. Default 1 s. */
  statusTimeoutMs?: number;
  /** For `lp`: the environment the command runs in (tests put a stand-in `lp` on PATH). */
  env?: NodeJS.ProcessEnv;
}

export interface SendResult { bytes: number; status: PrinterStatus | null }

/** Sends the bytes; resolves once the printer has taken them all, rejects with a PrinterError. */
export function sendToPrinter(target: PrinterTarget, bytes: Uint8Array, o: SendOptions = {}): Promise<SendResult> {
  if (target.kind === 'tcp') return sendTcp(target, bytes, o);
  if (target.kind === 'device') return sendDevice(target.path, bytes, o).then(() => ({ bytes: bytes.length, status: null }));
  return sendLp(target.queue, bytes, o).then(() => ({ bytes: bytes.length, status: null }));
}

// ---- status (DLE EOT) ----

/** DLE EOT 1 (printer), 2 (offline cause), 4 (roll paper sensor). */
export const STATUS_REQUEST = Uint8Array.of(0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04);

export type PrinterStatus =
  | { answered: false; label: 'sin estado' }
  | { answered: true; paperOut: boolean; paperNearEnd: boolean; coverOpen: boolean; offline: boolean; label: string };

/** The three status bytes, read by Epson's bit tables; a byte without its fixed bits is no answer at all. */
export function readStatus(answer: Uint8Array): PrinterStatus {
  const valid = answer.length >= 3 && [...answer.subarray(0, 3)].every((b) => (b & 0x93) === 0x12);
  if (!valid) return { answered: false, label: 'sin estado' };
  const [printer, offlineCause, paper] = answer;
  const paperOut = (paper & 0x60) !== 0 || (offlineCause & 0x20) !== 0;
  const coverOpen = (offlineCause & 0x04) !== 0;
  const offline = (printer & 0x08) !== 0;
  const label = paperOut ? 'sin papel' : coverOpen ? 'tapa abierta' : offline ? 'fuera de línea' : (paper & 0x0c) !== 0 ? 'papel por acabarse' : 'lista';
  return { answered: true, paperOut, paperNearEnd: (paper & 0x0c) !== 0, coverOpen, offline, label };
}

/** Asks a network printer its status; a printer that does not answer in time is "sin estado". */
export async function printerStatus(target: PrinterTarget, o: SendOptions = {}): Promise<PrinterStatus> {
  if (target.kind !== 'tcp') return { answered: false, label: 'sin estado' };
  const socket = await connect(target, o.connectTimeoutMs ?? 3000);
  try {
    return await askStatus(socket, o.statusTimeoutMs ?? 1000);
  } finally {
    socket.destroy();
  }
}

function askStatus(socket: net.Socket, timeoutMs: number): Promise<PrinterStatus> {
  return new Promise((resolve) => {
    const got: number[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', done);
      socket.off('close', done);
      resolve(readStatus(Uint8Array.from(got)));
    };
    const onData = (d: Buffer) => {
      got.push(...d);
      if (got.length >= 3) done();
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', onData);
    socket.once('error', done);
    socket.once('close', done);
    socket.write(STATUS_REQUEST);
  });
}

function statusRefusal(status: PrinterStatus, where: string): PrinterError | null {
  if (!status.answered) return null;
  if (status.paperOut) return new PrinterError('paper-out', `Impresora sin papel (${where}). Cambie el rollo y vuelva a imprimir.`);
  if (status.coverOpen) return new PrinterError('cover-open', `La impresora tiene la tapa abierta (${where}). Ciérrela y vuelva a imprimir.`);
  if (status.offline) return new PrinterError('offline', `La impresora está fuera de línea (${where}). Revísela y vuelva a imprimir.`);
  return null;
}

// ---- network ----

const noAnswer = (where: string) => new PrinterError('timeout', `La impresora no responde (${where}). Revise que esté encendida y conectada a la red.`);

function connect(t: { host: string; port: number }, timeoutMs: number): Promise<net.Socket> {
  const where = `${t.host}:${t.port}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: t.host, port: t.port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(noAnswer(where));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(connectError(e, where));
    };
    socket.once('error', onError);
  });
}

function connectError(e: NodeJS.ErrnoException, where: string): PrinterError {
  switch (e.code) {
    case 'ECONNREFUSED':
      return new PrinterError('refused', `La impresora rechazó la conexión (${where}). Revise la dirección y el puerto (casi siempre 9100) y que no esté ocupada por otro equipo.`);
    case 'ENOTFOUND': case 'EAI_AGAIN':
      return new PrinterError('unreachable', `No se encontró la impresora «${where.replace(/:\d+$/, '')}» en la red. Revise la dirección.`);
    case 'EHOSTUNREACH': case 'ENETUNREACH': case 'ENETDOWN': case 'EHOSTDOWN':
      return new PrinterError('unreachable', `No hay ruta a la impresora (${where}). Revise el cable de red y la dirección.`);
    default:
      return noAnswer(where);
  }
}

/**
 * Raw port 9100 ends a job when the host closes its side; the printer answers with its own close once it has read
 * everything before it. That close (or nothing) is how a printer that stopped reading is told from one that printed:
 * bytes a printer never reads sit in the operating system's buffers and a write alone would look fine.
 */
async function sendTcp(t: { host: string; port: number }, bytes: Uint8Array, o: SendOptions): Promise<SendResult> {
  const where = `${t.host}:${t.port}`;
  const socket = await connect(t, o.connectTimeoutMs ?? 3000);
  let status: PrinterStatus | null = null;
  try {
    if (o.checkStatus) {
      status = await askStatus(socket, o.statusTimeoutMs ?? 1000);
      const refusal = statusRefusal(status, where);
      if (refusal) throw refusal;
      if (socket.destroyed) throw new PrinterError('cut', `La conexión con la impresora se cortó antes del ticket (${where}). Vuelva a imprimir.`);
    }
    await new Promise<void>((resolve, reject) => {
      let finished = false;
      const timer = setTimeout(() => fail(noAnswer(where)), o.writeTimeoutMs ?? 10_000);
      const fail = (e: PrinterError) => {
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      };
      socket.on('data', () => {}); // late status bytes: read and dropped, so the printer's close arrives
      socket.once('error', () => fail(new PrinterError('cut', `La conexión con la impresora se cortó a mitad del ticket (${where}). Revise el ticket y vuelva a imprimir.`)));
      socket.once('end', () => {
        clearTimeout(timer);
        if (!finished) return fail(new PrinterError('cut', `La conexión con la impresora se cortó a mitad del ticket (${where}). Revise el ticket y vuelva a imprimir.`));
        socket.destroy();
        resolve();
      });
      socket.end(bytes, () => {
        finished = true;
      });
    });
    return { bytes: bytes.length, status };
  } finally {
    socket.destroy();
  }
}

// ---- device file ----

async function sendDevice(file: string, bytes: Uint8Array, o: SendOptions): Promise<void> {
  let handle: fs.promises.FileHandle | null = null;
  // A write to a printer that is off can block in the driver; the job gets its answer at the timeout, the write is
  // left to the operating system.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PrinterError('timeout', `La impresora no responde (${file}). Revise que esté encendida y conectada.`)), o.writeTimeoutMs ?? 10_000);
  });
  try {
    await Promise.race([
      (async () => {
        // Write only, never create: an unplugged printer's missing /dev node must not become a plain file.
        handle = await fs.promises.open(file, fs.constants.O_WRONLY | (fs.constants.O_NOCTTY ?? 0));
        await handle.write(bytes);
      })(),
      timeout,
    ]);
  } catch (e) {
    if (e instanceof PrinterError) throw e;
    throw deviceError(e as NodeJS.ErrnoException, file);
  } finally {
    clearTimeout(timer);
    await (handle as fs.promises.FileHandle | null)?.close().catch(() => {});
  }
}

function deviceError(e: NodeJS.ErrnoException, file: string): PrinterError {
  switch (e.code) {
    case 'ENOENT': case 'ENXIO': case 'ENODEV':
      return new PrinterError('not-found', `No se encontró la impresora en ${file}. Revise el cable USB y que la ruta sea la correcta.`);
    case 'EACCES': case 'EPERM':
      return new PrinterError('denied', `No hay permiso para escribir en ${file}. Agregue el usuario del sistema al grupo «lp» (o «dialout» para un puerto serie).`);
    case 'EISDIR':
      return new PrinterError('not-found', `${file} es una carpeta, no una impresora. Revise la ruta.`);
    default:
      return new PrinterError('cut', `No se pudo escribir en la impresora ${file} (${e.code ?? e.message}). Revísela y vuelva a imprimir.`);
  }
}

// ---- CUPS raw queue ----

function sendLp(queue: string, bytes: Uint8Array, o: SendOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('lp', ['-d', queue, '-o', 'raw', '-t', 'iziSales', '--', '-'], { env: o.env ?? process.env, stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    let settled = false;
    const settle = (e: PrinterError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) reject(e);
      else resolve();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(new PrinterError('timeout', `La cola de impresión «${queue}» no respondió a tiempo. Revise que CUPS esté funcionando.`));
    }, o.writeTimeoutMs ?? 10_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (e: NodeJS.ErrnoException) => settle(e.code === 'ENOENT'
      ? new PrinterError('no-lp', 'Falta el comando «lp» de CUPS en este equipo: instale el paquete cups-client (o use la impresora por red o USB).')
      : new PrinterError('lp-failed', `No se pudo usar la cola de impresión «${queue}» (${e.message}).`)));
    child.on('close', (code) => {
      if (code === 0) return settle(null);
      const line = stderr.trim().split('\n')[0] ?? '';
      settle(new PrinterError('lp-failed', /does not exist|no existe|not found|unknown/i.test(line)
        ? `La cola de impresión «${queue}» no existe en este equipo. Revise el nombre (lpstat -p la muestra).`
        : `La cola de impresión «${queue}» no aceptó el ticket${line ? `: ${line}` : ''}.`));
    });
    child.stdin.on('error', () => {}); // an lp that exits early: its exit code says why
    child.stdin.end(bytes);
  });
}
