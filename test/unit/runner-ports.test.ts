// The runner's port (jobs/start.ts RunnerDeps): a runner built from a plain object holding only what it uses — not
// the App — runs its handlers with exactly those services and reports through them.
import { afterEach, describe, expect, it } from 'vitest';
import { startJobs, type RunnerDeps } from '../../src-main/jobs/start';
import type { HandlerSpec, JobContext } from '../../src-main/jobs/runner';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { enqueue } from '../../src-main/jobs/queue';
import { getJob } from '../../src-main/jobs/store';
import { EventBus } from '../../src-main/events';
import { demoApp, type TestApp } from '../helpers/app';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function portOf(t: TestApp): RunnerDeps & { statusCalls: number } {
  const deps = {
    db: t.app.db, clock: t.clock, dataDir: t.dir, secrets: t.app.secrets, signer: t.app.signer,
    events: new EventBus(), afterSale: [] as RunnerDeps['afterSale'], afterCall: [] as RunnerDeps['afterCall'], online: false, statusCalls: 0,
    statusChanged: () => void deps.statusCalls++,
  };
  return deps;
}

describe('the runner on its port', () => {
  it('gives each handler the services it was built with, and its outcome\'s after() reaches statusChanged', async () => {
    const t = demoApp();
    cleanups.push(() => t.close());
    const deps = portOf(t);
    const seen: JobContext[] = [];
    const spy: HandlerSpec = {
      run: async (ctx) => {
        seen.push(ctx);
        return { type: 'succeeded', result: { at: ctx.clock.now().toISOString() }, after: () => ctx.statusChanged() };
      },
    };
    const id = deps.db.tx(() => enqueue(deps.db, deps.clock.now(), { kind: 'test.port', payload: { n: 7 } }));
    const jobs = startJobs({
      app: deps, monitor: new NetworkMonitor({ probe: async () => false, onChange: () => {} }),
      handlers: { 'test.port': spy }, options: { pollMs: 20, heartbeatMs: 0, lock: false, checkpoints: false },
    });
    cleanups.push(() => jobs.stop());
    expect(await jobs.runner.idle(10_000)).toBe(true);
    expect(seen).toHaveLength(1);
    const [ctx] = seen;
    expect(ctx.db).toBe(deps.db);
    expect(ctx.clock).toBe(deps.clock);
    expect(ctx.dataDir).toBe(deps.dataDir);
    expect(ctx.events).toBe(deps.events);
    expect(ctx.signer).toBe(deps.signer);
    expect(ctx.payload).toEqual({ n: 7 });
    expect(ctx).not.toHaveProperty('app');
    expect(getJob(deps.db, id)!.state).toBe('succeeded');
    expect(deps.statusCalls).toBeGreaterThanOrEqual(1);
  });

  it('writes connectivity into the port\'s online and tells statusChanged; the sale hook leaves afterSale on stop', async () => {
    const t = demoApp();
    cleanups.push(() => t.close());
    const deps = portOf(t);
    const jobs = startJobs({
      app: deps, monitor: new NetworkMonitor({ probe: async () => false, onChange: () => {} }),
      handlers: {}, options: { pollMs: 20, heartbeatMs: 0, lock: false, checkpoints: false },
    });
    expect(deps.afterSale).toHaveLength(1);
    const before = deps.statusCalls;
    jobs.runner.setOnline(true);
    expect(deps.online).toBe(true);
    expect(deps.statusCalls).toBe(before + 1);
    jobs.runner.setOnline(false);
    expect(deps.online).toBe(false);
    await jobs.stop();
    expect(deps.afterSale).toEqual([]);
  });
});
