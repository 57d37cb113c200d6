// The composition root (DESIGN §1): every entry point — the Electron main, `serve`, `worker` and the CLI — builds
// the same services here, with the edges (clock, network, SUNAT, secrets) passed in.
import type { Approval } from './pos/discounts';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Db } from './db/connection';
import { databaseFile } from './paths';
import { systemClock, type Clock } from './adapters';
import { isEmpty, seedDemo } from './pos/seed';
import { getSetting } from './db/settings';
import { documentCounts } from './pos/sales';
import type { AppStatus, CheckoutInput, DebitNoteInput, RestoreView, ReturnInput } from '../src-shared/contract';
import { checkout, type CommittedSale } from './pos/checkout';
import { returnSale, type CommittedNote } from './pos/returns';
import { issueDebitNote, type CommittedDebitNote } from './pos/debit-notes';
import type { User } from './db/schema';
import { keyFileSecretStore, type SecretStore } from './secrets';
import { Signer } from './sunat/signing';
import { sunatPause } from './jobs/store';
import { certificateWarning } from './pos/certificate-admin';
import { EventBus, runHooks } from './events';
import { clockStatus } from './db/settings-clock';
import { hubBar, hubOwnerUrl } from './db/hub-owned';
import type { ClockVerdict } from '../src-shared/clock-trust';

export interface AppOptions {
  dataDir: string;
  clock?: Clock;
  /** Load the demo store into an empty data directory (the default for `serve` and the Electron app). */
  seedIfEmpty?: boolean;
  /** Electron passes a safeStorage-backed store; headless uses a 0600 key file in the data directory. */
  secrets?: SecretStore;
}

export interface App {
  dataDir: string;
  db: Db;
  clock: Clock;
  events: EventBus;
  secrets: SecretStore;
  signer: Signer;
  /** Hooks run right after a sale or a return commits (outside its transaction): waking the runner, notifying. */
  afterSale: ((saleId: number, documentId: number) => void)[];
  /**
   * Hooks run after every call a person makes through the Api (not the screens' timers): a drawer opened or closed,
   * a paid-in, a collection, an admin's change may have recorded something for the hub without a sale.
   */
  afterCall: (() => void)[];
  /** Sign each sale's document right after it commits (default true). Tests turn it off to get an unsigned sale. */
  signAtCheckout: boolean;
  online: boolean;
  /** Set by the runtime: where documents go, shown in the status bar and the settings. */
  sunatTarget: string;
  status(): AppStatus;
  /**
   * Tells the screens the counts or the connection changed. The status is computed only when someone listens, and at
   * most once per STATUS_EVERY_MS: a drain changes it dozens of times a second, the status bar needs it a few times.
   */
  statusChanged(): void;
  /** Rings up a sale: the checkout transaction, then the after-sale hooks (signing), then the events. */
  /** `approval`: a supervisor's approval for a sale below the seller's limit (pos/discounts.ts). */
  sell(user: Pick<User, 'id' | 'role'>, terminalId: string, input: CheckoutInput, approval?: Approval): CommittedSale;
  /** A return: its transaction (pos/returns.ts), then signing the credit note and the same hooks as a sale. */
  returnSale(user: Pick<User, 'id' | 'role'>, terminalId: string, input: ReturnInput): CommittedNote;
  /** A debit note (pos/debit-notes.ts): its transaction, then signing it and the same hooks as a sale. */
  debitNote(user: Pick<User, 'id' | 'role'>, terminalId: string, input: DebitNoteInput): CommittedDebitNote;
  /**
   * Set by whoever owns this app's lifecycle (runtime.ts AppHost, for `serve` and the shell): replaces the database
   * with a copy from <data>/backups and reopens everything. Absent where nothing can restart the app (CLI, tests).
   */
  restoreBackup?: (name: string, by: { userId: number; username: string }) => Promise<RestoreView>;
  /** Set by the services (runtime.ts): measures the PC's clock against the trusted time now (sunat/clock-watch.ts). */
  checkClock?: () => Promise<ClockVerdict>;
  close(): Promise<void>;
}

/**
 * The shortest time between two status events. A lone change goes out on the next turn of the loop; changes that
 * follow within this time are folded into one event at its end, so the listeners always end on the latest status.
 */
export const STATUS_EVERY_MS = 250;

export function createApp(opts: AppOptions): App {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const db = openDatabase(databaseFile(opts.dataDir));
  const clock = opts.clock ?? systemClock;
  if (opts.seedIfEmpty && isEmpty(db)) seedDemo(db, clock.now());
  fs.mkdirSync(path.join(opts.dataDir, 'logs'), { recursive: true });
  const closers: (() => void | Promise<void>)[] = [];
  const secrets = opts.secrets ?? keyFileSecretStore(opts.dataDir);
  const signer = new Signer(db, secrets);
  let statusTimer: NodeJS.Timeout | null = null;
  let lastStatusAt = -Infinity;
  const emitStatus = () => {
    statusTimer = null;
    lastStatusAt = performance.now();
    if (db.raw.open && app.events.listening('status')) app.events.emit('status', app.status());
  };
  /**
   * Right after a sale's or a return's commit, never inside it. Sign at once, offline, on this thread: the ticket
   * prints the hash and QR of the very XML SUNAT will receive. The write lock stays as short as the sale itself
   * (another process selling on the same file is not starved), and a signing failure can never undo a sale: it stays
   * pending and unsigned, visibly; the runner signs it first. (A signing thread did this until 2026-12-07: its two
   * thread hops and second fsync cost the cashier more than the ~1 ms of signing; docs/ARCHITECTURE.md, "Signing".)
   */
  const afterCommit = (saleId: number, documentId: number, now: Date) => {
    if (app.signAtCheckout) {
      try {
        signer.signDocument(documentId, now);
      } catch {
        // see above
      }
    }
    runHooks(app.afterSale, saleId, documentId);
  };
  const app: App = {
    dataDir: opts.dataDir,
    db,
    clock,
    secrets,
    signer,
    events: new EventBus(),
    afterSale: [],
    afterCall: [],
    signAtCheckout: true,
    online: false,
    sunatTarget: 'sin configurar',
    status() {
      const counts = documentCounts(db);
      return {
        online: app.online, pending: counts.pending, failing: counts.failing,
        demoMode: getSetting(db, 'demoMode'), terminalId: getSetting(db, 'terminalId'),
        storeName: getSetting(db, 'store').tradeName, sunatPaused: sunatPause(db)?.reason ?? null,
        sunatTarget: app.sunatTarget,
        // Cheap: the certificate's dates are read once per stored certificate (pos/certificate-admin.ts).
        certificateWarning: certificateWarning(db, secrets, clock.now()),
        autoLockMinutes: getSetting(db, 'autoLockMinutes'),
        clock: clockBar(clockStatus(db, clock.now())),
        hubUrl: hubOwnerUrl(db),
        hub: hubBar(db),
      };
    },
    statusChanged() {
      if (statusTimer || !app.events.listening('status')) return;
      statusTimer = setTimeout(emitStatus, Math.max(0, lastStatusAt + STATUS_EVERY_MS - performance.now()));
      statusTimer.unref();
    },
    sell(user, terminalId, input, approval) {
      const now = clock.now();
      const r = checkout({ db, now, terminalId, user, approval }, input);
      afterCommit(r.saleId, r.documentId, now);
      app.events.emit('sale.updated', { saleId: r.saleId, number: r.number, sunatStatus: 'pending' });
      app.statusChanged();
      return r;
    },
    returnSale(user, terminalId, input) {
      const now = clock.now();
      const r = returnSale({ db, now, terminalId, user }, input);
      afterCommit(input.saleId, r.documentId, now);
      if (r.adjustment) afterCommit(input.saleId, r.adjustment.documentId, now);
      app.statusChanged();
      return r;
    },
    debitNote(user, terminalId, input) {
      const now = clock.now();
      const r = issueDebitNote({ db, now, terminalId, user }, input);
      afterCommit(input.saleId, r.documentId, now);
      app.statusChanged();
      return r;
    },
    async close() {
      if (statusTimer) clearTimeout(statusTimer);
      statusTimer = null;
      for (const c of closers.reverse()) await c();
      db.close();
    },
  };
  return app;
}

/** The status bar's share of the clock verdict: nothing when all is well. */
function clockBar(v: ClockVerdict): AppStatus['clock'] {
  return v.level === 'ok' ? null : { level: v.level, message: v.message! };
}
