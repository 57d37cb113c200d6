// A network thermal printer on 127.0.0.1 for the tests: a real TCP server that records the bytes of each connection
// and behaves like the printers a store meets — one that prints, one that stopped reading, one that refuses, one that
// drops the connection in the middle of a ticket, one out of paper that says so when asked (DLE EOT).
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { escposTicket, type EscposOptions } from '../../src-main/documents/escpos';
import type { PrintableDocument } from '../../src-main/documents/printable';

export type FakePrinterMode =
  /** Prints; `status: false` for a printer that ignores DLE EOT (many clones on USB-to-network adapters). */
  | { kind: 'normal'; status?: boolean }
  /** Accepts the connection and never reads a byte (a printer whose buffer is full, jammed or busy). */
  | { kind: 'never-reads' }
  /** Nothing listens on the port: the connection is refused. */
  | { kind: 'refuses' }
  /** Reads `afterBytes` bytes of a connection and then resets it (power cut, cable pulled, a crashed printer). */
  | { kind: 'closes-mid-ticket'; afterBytes: number }
  /** Answers DLE EOT with the paper-end bits (and takes the bytes it is sent, printing nothing, as real ones do). */
  | { kind: 'paper-out' };

export interface FakePrinter {
  host: string;
  port: number;
  /** `tcp://127.0.0.1:PORT`. */
  uri: string;
  /** What each connection sent, in order of connection (the bytes the printer took, up to its close). */
  connections: Buffer[];
  /** The DLE EOT n requests it answered, all connections together. */
  statusAsked: number[];
  /** Resolves once `n` connections have ended (closed by either side). */
  ended(n: number): Promise<void>;
  close(): Promise<void>;
}

// Epson's status bytes: bits 1 and 4 are always set; see the DLE EOT tables.
const OK: Record<number, number> = { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 };
const PAPER_OUT: Record<number, number> = { 1: 0x1a /* offline */, 2: 0x32 /* stopped: paper end */, 3: 0x12, 4: 0x72 /* near end + end */ };

export async function startFakePrinter(mode: FakePrinterMode = { kind: 'normal' }): Promise<FakePrinter> {
  const connections: Buffer[] = [];
  const statusAsked: number[] = [];
  const sockets = new Set<net.Socket>();
  let endedCount = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const onEnded = () => {
    endedCount++;
    for (const w of waiters.filter((x) => x.n <= endedCount)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  const server = net.createServer({ allowHalfOpen: false }, (socket) => {
    sockets.add(socket);
    const index = connections.push(Buffer.alloc(0)) - 1;
    socket.on('close', () => {
      sockets.delete(socket);
      onEnded();
    });
    socket.on('error', () => {});
    if (mode.kind === 'never-reads') {
      socket.pause();
      return;
    }
    const answers = mode.kind === 'paper-out' ? PAPER_OUT : mode.kind === 'normal' && mode.status === false ? {} : OK;
    let tail: Buffer = Buffer.alloc(0); // the last two bytes of the previous chunk, for a DLE EOT split across chunks
    socket.on('data', (chunk: Buffer) => {
      let data: Buffer = chunk;
      if (mode.kind === 'closes-mid-ticket') {
        const room = mode.afterBytes - connections[index].length;
        if (chunk.length >= room) {
          connections[index] = Buffer.concat([connections[index], chunk.subarray(0, Math.max(0, room))]);
          socket.resetAndDestroy();
          return;
        }
      }
      connections[index] = Buffer.concat([connections[index], data]);
      // Real-time status requests are answered as they arrive (DLE EOT n).
      data = Buffer.concat([tail, chunk]);
      for (let i = 0; i + 2 < data.length; i++) {
        if (data[i] === 0x10 && data[i + 1] === 0x04 && i + 2 >= tail.length) {
          const n = data[i + 2];
          const answer = (answers as Record<number, number>)[n];
          statusAsked.push(n);
          if (answer !== undefined) socket.write(Uint8Array.of(answer));
        }
      }
      tail = data.subarray(Math.max(0, data.length - 2));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  if (mode.kind === 'refuses') await new Promise<void>((resolve) => server.close(() => resolve()));

  return {
    host: '127.0.0.1', port, uri: `tcp://127.0.0.1:${port}`, connections, statusAsked,
    ended(n) {
      if (endedCount >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async close() {
      for (const s of sockets) s.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** For the reports bench (issue 17, `escpos_build_p99_ms`): the milliseconds each of `n` builds of one ticket took. */
export function escposBuildTimes(n: number, p: PrintableDocument, o: EscposOptions = {}): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    escposTicket(p, o);
    times.push(performance.now() - start);
  }
  return times;
}
