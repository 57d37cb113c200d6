// Issue 17's printing figures for the reports bench: the ESC/POS ticket's bytes built (escpos_build_p99_ms), and the
// time from Pay to the last byte at a network printer while the runner drains a backlog of SUNAT sends
// (pay_to_printed_p99_ms): a store with a 10,000-document backlog rung up offline, the app started as `serve` starts
// it (AppHost: runner, logger) against the simulator in a child process (50 ms answers, 4 sends at once), a
// thermal printer set to the fake network printer of the tests, and a cashier paying every 250 ms through
// `sales.checkout`; each sale's time runs from the call to the fake printer's close (it closes once it has read the
// last byte). The fake printer runs in this process, beside the app: its reads share the app's event loop.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { escposBuildTimes, startFakePrinter } from '../helpers/fake-printer';
import { printableDocument } from '../../src-main/documents/printable';
import type { Db } from '../../src-main/db/connection';
import { createApp } from '../../src-main/app';
import { setSetting } from '../../src-main/db/settings';
import { openTill } from './till';
import { startSim } from './sim';
import { prepareBacklog } from './queue';
import { seedStore, tempDir } from './store';
import { round, summarize } from './stats';

const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** p99 of building one stored ticket's ESC/POS bytes, `n` times after a warm-up. */
export function escposBuildP99(db: Db, documentId: number, n = 1000): number {
  const model = printableDocument(db, documentId);
  escposBuildTimes(50, model);
  return round(summarize(escposBuildTimes(n, model)).p99);
}

export async function payToPrinted(opts: { count: number; storeSales: number }): Promise<{ pay_to_printed_p50_ms: number; pay_to_printed_p99_ms: number; prints_during_drain: number; drain_backlog: number }> {
  const tmp = tempDir('izisales-bench-print-');
  const printer = await startFakePrinter();
  try {
    const dir = path.join(tmp.dir, 'store');
    await seedStore(dir, opts.storeSales);
    await prepareBacklog(dir, opts.count);
    // The thermal printer is set after the backlog: only the sales during the drain print.
    const setup = createApp({ dataDir: dir });
    setSetting(setup.db, 'escposPrinter', { uri: printer.uri, codePage: 'pc850', qr: 'native', cut: 'partial' });
    await setup.close();
    const sim = await startSim({ inProcess: false, latencyMs: 50 });
    const till = await openTill(dir, sim.url);
    const pending = till.host.app.db.raw.prepare(`SELECT count(*) n FROM documents WHERE status = 'pending'`);
    const left = () => (pending.get() as { n: number }).n;
    log(`pay → printed during a drain of ${opts.count.toLocaleString()} documents…`);
    const times: number[] = [];
    // One sale first, not timed: the signing code and the printer's first connection warm up (as the checkout bench's warm-up).
    await till.sell(0);
    await printer.ended(1);
    let i = 1;
    while (left() > 1) {
      const t = performance.now();
      await till.sell(i++);
      await printer.ended(i);
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 250));
    }
    await till.stop();
    await sim.close();
    log(`  pay → printed (ms): ${times.map((x) => Math.round(x)).join(" ")}`);
    const s = summarize(times);
    return { pay_to_printed_p50_ms: round(s.p50), pay_to_printed_p99_ms: round(s.p99), prints_during_drain: times.length, drain_backlog: opts.count };
  } finally {
    await printer.close();
    tmp.remove();
  }
}
