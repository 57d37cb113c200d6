// A child of the hub bench (test/bench/hub.ts, the lag part): one process holding several real, enrolled terminal
// databases, each ringing up a sale every `everyMs` through app.sell (checkout transaction, signing) and pushing with
// the real code: the after-sale trigger of jobs/start.ts (replication/link.ts hubWake: a 250 ms timer that queues the
// hub.push job) and the job's work (replication/push.ts pushOutbox, then a pull, as hub.push does). What differs from
// a till's process: no runner claims the queued job — the trigger's kick runs the job's work directly, one at a time
// per terminal (as the runner runs one hub.push at a time), so 50 terminals fit on 2 cores.
// Input: one JSON argument { dirs, seconds, everyMs }, and once it printed { ready } the start time (epoch ms) on
// stdin. Output: one JSON line per sale { uid, issuedAt } (its recorded issue time, taken before its commit), one per
// sale once a push has taken it up { uid, pushedAt } (the push's answer arrived and its outbox rows are gone), then
// { done, pushes, failures, loopDelayP99Ms } (how late this process's event loop ran, perf_hooks' histogram).
import { createApp, type App } from '../../src-main/app';
import { getSetting } from '../../src-main/db/settings';
import { currentSession, openSession } from '../../src-main/pos/cash';
import { hubWake } from '../../src-main/replication/link';
import { pushOutbox } from '../../src-main/replication/push';
import { pullOnce } from '../../src-main/replication/pull';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { screenInput } from './till';

const { dirs, seconds, everyMs } = JSON.parse(process.argv[2]) as { dirs: string[]; seconds: number; everyMs: number };
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

interface Terminal {
  app: App;
  sell(i: number): void;
  /** One sale not counted: a demo store's first sale makes its self-signed certificate (an RSA key, ~0.5 s). */
  warmUp(): void;
  push(): Promise<void>;
  busy(): boolean;
  stop(): void;
}

let pushes = 0;
let failures = 0;

function open(dir: string): Terminal {
  const app = createApp({ dataDir: dir });
  const terminalId = getSetting(app.db, 'terminalId');
  const cashier = app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', 'cashier'))!;
  if (!currentSession(app.db, terminalId, cashier.id)) openSession(app.db, new Date(), terminalId, cashier.id, '100.00');
  const products = (app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 40`).all() as { id: number }[]).map((p) => p.id);
  const deps = { db: app.db, secrets: app.secrets, now: () => new Date() };
  // Sales waiting for a push, by their last outbox row: once no outbox row at or below it is left, it went up.
  const waiting: { uid: string; seq: number }[] = [];
  const lowest = app.db.prepare('SELECT min(seq) AS s FROM outbox');
  const top = app.db.prepare('SELECT max(seq) AS s FROM outbox');
  const sent = () => {
    const floor = (lowest.get() as { s: number | null }).s ?? Infinity;
    const at = Date.now();
    while (waiting.length > 0 && waiting[0].seq < floor) say({ uid: waiting.shift()!.uid, pushedAt: at });
  };
  let pushing = false;
  let again = false;
  const push = async () => {
    if (pushing) {
      again = true;
      return;
    }
    pushing = true;
    try {
      do {
        again = false;
        pushes++;
        try {
          await pushOutbox(deps);
          sent();
          await pullOnce(deps);
        } catch (e) {
          failures++;
          say({ error: (e as Error).message });
        }
      } while (again);
    } finally {
      pushing = false;
    }
  };
  const wake = hubWake(app.db, deps.now, () => void push());
  app.afterSale.push(wake.hook);
  const uidOf = app.db.prepare('SELECT uid, issued_at FROM sales WHERE id = ?');
  return {
    app,
    push,
    busy: () => pushing,
    warmUp() {
      app.sell(cashier, terminalId, screenInput(0, products));
    },
    sell(i) {
      const r = app.sell(cashier, terminalId, screenInput(i, products));
      const s = uidOf.get(r.saleId) as { uid: string; issued_at: string };
      waiting.push({ uid: s.uid, seq: (top.get() as { s: number }).s });
      say({ uid: s.uid, issuedAt: Date.parse(s.issued_at) });
    },
    stop: () => wake.stop(),
  };
}

const terminals = dirs.map(open);
const loop = monitorEventLoopDelay({ resolution: 10 });
// Before the clock starts: each terminal's first sale (its certificate made, its code warm), then what it holds
// (its enrolment's history and that sale) goes up. The figure is the steady state of 50 terminals selling.
for (const t of terminals) t.warmUp();
await Promise.all(terminals.map((t) => t.push()));
say({ ready: true });
const startAt = await new Promise<number>((resolve) => {
  let buf = '';
  process.stdin.on('data', (b: Buffer) => {
    buf += b.toString();
    if (buf.includes('\n')) resolve(Number(buf.trim()));
  });
});
process.stdin.pause();
loop.enable();
await Promise.all(terminals.map(async (t, k) => {
  const phase = Math.floor((k / terminals.length) * everyMs + Math.random() * (everyMs / terminals.length));
  for (let i = 0; i < seconds * (1000 / everyMs); i++) {
    await sleep(startAt + phase + i * everyMs - Date.now());
    t.sell(i);
  }
}));
// The last sales' pushes: the trigger's timer, then whatever push is still running.
await sleep(1000);
while (terminals.some((t) => t.busy())) await sleep(50);
for (const t of terminals) {
  t.stop();
  await t.app.close();
}
loop.disable();
say({ done: true, pushes, failures, loopDelayP99Ms: Math.round(loop.percentile(99) / 1e6) });
