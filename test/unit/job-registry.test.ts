import { afterEach, describe, expect, it } from 'vitest';
import { HandlerRegistry } from '../../src-main/jobs/registry';
import os from 'node:os';
import { registerDefaultHandlers } from '../../src-main/jobs/handlers/index';
import { keyFileSecretStore } from '../../src-main/secrets';
import type { HandlerSpec } from '../../src-main/jobs/runner';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { enqueue } from '../../src-main/jobs/queue';
import { getJob, jobRuns } from '../../src-main/jobs/store';
import { demoApp, type TestApp } from '../helpers/app';

const ok: HandlerSpec = { run: async () => ({ type: 'succeeded' }) };
const other: HandlerSpec = { run: async () => ({ type: 'failed', error: 'otro' }), concurrency: 2 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the handler registry', () => {
  it('keeps kinds in registration order and refuses a kind registered twice, keeping the first handler', () => {
    const r = new HandlerRegistry().register('a.one', ok).register('b.two', other);
    expect(r.kinds()).toEqual(['a.one', 'b.two']);
    expect(() => r.register('a.one', other)).toThrow(/a\.one/);
    expect(r.get('a.one')).toBe(ok);
    expect(r.kinds()).toEqual(['a.one', 'b.two']);
  });

  it('an override replaces a handler in its place or adds a new kind at the end', () => {
    const r = new HandlerRegistry().register('a.one', ok).register('b.two', ok);
    r.override('a.one', other).override('c.three', ok);
    expect(r.get('a.one')).toBe(other);
    expect(r.kinds()).toEqual(['a.one', 'b.two', 'c.three']);
  });

  it('an unknown kind has no handler and is not among the kinds', () => {
    const r = new HandlerRegistry().register('a.one', ok);
    expect(r.get('no.such.kind')).toBeUndefined();
    expect(r.kinds()).not.toContain('no.such.kind');
  });

  it('the app registers its eleven kinds, the printer kinds first (a ticket never waits behind a drain); only SUNAT work is paused with sending, and sunat.send runs as many as asked', () => {
    // The key file is read only when a hub job opens its token: none does here.
    const r = registerDefaultHandlers(new HandlerRegistry(), { sendConcurrency: 3, secrets: keyFileSecretStore(os.tmpdir()) });
    expect(r.kinds()).toEqual(['print.ticket', 'print.drawer', 'sunat.send', 'sunat.summary', 'sunat.daily_summary', 'sunat.retry_failed', 'report.daily', 'files.archive', 'db.backup', 'hub.push', 'hub.pull']);
    expect(r.kinds().filter((k) => r.get(k)!.pausable)).toEqual(['sunat.send', 'sunat.summary']);
    expect(r.get('sunat.send')!.concurrency).toBe(3);
  });

  it('a job of a kind nobody registered stays queued, untouched, and the runner still becomes idle', async () => {
    const t: TestApp = demoApp();
    cleanups.push(() => t.close());
    const db = t.app.db;
    const at = t.app.clock.now();
    const [known, unknown] = db.tx(() => [enqueue(db, at, { kind: 'test.known' }), enqueue(db, at, { kind: 'no.such.kind' })]);
    const runner = createRunner({
      app: t.app, monitor: new NetworkMonitor({ probe: async () => false, onChange: () => {} }),
      handlers: { 'test.known': ok }, options: { pollMs: 20, heartbeatMs: 0, lock: false, checkpoints: false },
    });
    cleanups.push(() => runner.stop());
    runner.start();
    expect(await runner.idle(10_000)).toBe(true);
    expect(getJob(db, known)!.state).toBe('succeeded');
    const left = getJob(db, unknown)!;
    expect([left.state, left.attempts, left.last_error]).toEqual(['queued', 0, null]);
    expect(jobRuns(db, unknown)).toEqual([]);
  });
});
