import { afterEach, describe, expect, it } from 'vitest';
import { runDue, createScheduler } from '../../src-main/jobs/schedule';
import { lastScheduledBefore, nextScheduledAfter, parseCron, lastRun, readSchedule } from '../../src-main/db/settings-schedule';
import { demoApp, type TestApp } from '../helpers/app';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('cron in Lima time', () => {
  it('the daily report fires at 23:00 Lima, which is 04:00 UTC the next day', () => {
    expect(lastScheduledBefore('0 23 * * *', new Date('2026-11-28T03:59:00Z'))!.toISOString()).toBe('2026-11-27T04:00:00.000Z');
    expect(lastScheduledBefore('0 23 * * *', new Date('2026-11-28T04:00:00Z'))!.toISOString()).toBe('2026-11-28T04:00:00.000Z');
    expect(nextScheduledAfter('0 23 * * *', new Date('2026-11-27T15:00:00Z'))!.toISOString()).toBe('2026-11-28T04:00:00.000Z');
  });

  it('the archive cleanup fires on Sunday 02:00 Lima (07:00 UTC Sunday)', () => {
    // 2026-11-29 is a Sunday.
    expect(new Date('2026-11-29T12:00:00Z').getUTCDay()).toBe(0);
    expect(nextScheduledAfter('0 2 * * 0', new Date('2026-11-27T15:00:00Z'))!.toISOString()).toBe('2026-11-29T07:00:00.000Z');
    expect(lastScheduledBefore('0 2 * * 0', new Date('2026-11-29T06:59:00Z'))!.toISOString()).toBe('2026-11-22T07:00:00.000Z');
    // Saturday 23:30 Lima is already Sunday in UTC, but not yet Sunday 02:00 in Lima.
    expect(lastScheduledBefore('0 2 * * 0', new Date('2026-11-29T04:30:00Z'))!.toISOString()).toBe('2026-11-22T07:00:00.000Z');
  });

  it('every 30 minutes, lists, ranges and names parse', () => {
    expect(lastScheduledBefore('*/30 * * * *', new Date('2026-11-27T15:44:10Z'))!.toISOString()).toBe('2026-11-27T15:30:00.000Z');
    expect([...parseCron('0 9-11,14 * * mon-fri').hour]).toEqual([9, 10, 11, 14]);
    expect([...parseCron('0 0 * * 7').dow]).toContain(0);
    expect(() => parseCron('0 25 * * *')).toThrow();
    expect(() => parseCron('* * *')).toThrow();
  });
});

describe('periodic jobs: recording and catch-up', () => {
  it('a first start records without running; a run missed while the PC was off runs once at the next start', () => {
    const t = demoApp({ at: '2026-11-27T15:00:00Z', openSession: false });
    apps.push(t);
    const db = t.app.db;
    expect(runDue(db, t.clock.now())).toEqual([]);
    expect(lastRun(db, 'report.daily')!.toISOString()).toBe('2026-11-27T04:00:00.000Z');
    // The PC was off from Friday 10:00 Lima until Monday 08:00 Lima: three 23:00 reports and a Sunday cleanup missed.
    t.clock.set('2026-11-30T13:00:00Z');
    const runs = runDue(db, t.clock.now());
    const byName = Object.fromEntries(runs.map((r) => [r.name, r.scheduledFor.toISOString()]));
    expect(byName).toEqual({
      retry_failed: '2026-11-30T13:00:00.000Z',
      'report.daily': '2026-11-30T04:00:00.000Z', // Sunday 23:00 Lima: once, not three times
      'files.archive': '2026-11-29T07:00:00.000Z',
      'db.backup': '2026-11-30T04:30:00.000Z', // Sunday 23:30 Lima: the last backup missed, once
    });
    const jobs = db.raw.prepare(`SELECT kind, count(*) n FROM jobs GROUP BY kind ORDER BY kind`).all();
    expect(jobs).toEqual([{ kind: 'db.backup', n: 1 }, { kind: 'files.archive', n: 1 }, { kind: 'report.daily', n: 1 }, { kind: 'sunat.retry_failed', n: 1 }]);
    // Starting again at once runs nothing more.
    expect(runDue(db, t.clock.now())).toEqual([]);
    t.clock.advance(30 * 60_000);
    expect(runDue(db, t.clock.now()).map((r) => r.name)).toEqual(['retry_failed']);
  });

  it("an enrolled till's first minute already queues the hub's push and pull (a price changed on the hub waits one minute, not two); one of each at a time", () => {
    const t = demoApp({ at: '2026-11-27T15:00:20Z', openSession: false });
    apps.push(t);
    const db = t.app.db;
    expect(runDue(db, t.clock.now()).map((r) => r.name)).toEqual([]); // not enrolled: nothing of the hub's
    db.raw.prepare(
      `INSERT INTO hub_link (id, url, terminal_id, terminal_name, store_ruc, store_establishment, store_name, token_sealed, enrolled_at)
       VALUES (1, 'http://127.0.0.1:9', 't', 'CAJA-02', '20601234565', '0000', 'Bodega', 'x', ?)`,
    ).run(t.clock.now().toISOString());
    t.clock.set('2026-11-27T15:01:00Z');
    expect(runDue(db, t.clock.now()).map((r) => r.name).sort()).toEqual(['hub.pull', 'hub.push']);
    const hubJobs = () => db.raw.prepare(`SELECT count(*) AS n FROM jobs WHERE kind LIKE 'hub.%'`).get();
    expect(hubJobs()).toEqual({ n: 2 });
    // Still waiting a minute later: no second one; once done, the next minute queues again.
    t.clock.set('2026-11-27T15:02:00Z');
    runDue(db, t.clock.now());
    expect(hubJobs()).toEqual({ n: 2 });
    db.raw.prepare(`UPDATE jobs SET state = 'succeeded' WHERE kind LIKE 'hub.%'`).run();
    t.clock.set('2026-11-27T15:03:00Z');
    expect(runDue(db, t.clock.now()).map((r) => r.name).sort()).toEqual(['hub.pull', 'hub.push']);
    expect(hubJobs()).toEqual({ n: 4 });
  });

  it('schedules are settings: a changed expression and a disabled entry are honoured', () => {
    const t = demoApp({ openSession: false });
    apps.push(t);
    t.app.db.raw.prepare(`INSERT INTO settings (key, value) VALUES ('schedule', ?)`).run(JSON.stringify({ 'report.daily': { cron: '30 21 * * *' }, 'files.archive': { enabled: false } }));
    const s = readSchedule(t.app.db);
    expect(Object.keys(s).sort()).toEqual(['db.backup', 'report.daily', 'retry_failed']);
    expect(s['report.daily']).toEqual({ kind: 'report.daily', cron: '30 21 * * *' });
  });

  it('the scheduler catches up at start with a fake clock and tells who enqueued', () => {
    const t = demoApp({ at: '2026-11-27T15:00:00Z', openSession: false });
    apps.push(t);
    const seen: string[] = [];
    const s1 = createScheduler({ db: t.app.db, clock: t.clock, onEnqueued: (r) => seen.push(...r.map((x) => x.name)) });
    s1.start();
    s1.stop();
    t.clock.set('2026-11-28T04:05:00Z'); // 23:05 Lima
    const s2 = createScheduler({ db: t.app.db, clock: t.clock, onEnqueued: (r) => seen.push(...r.map((x) => x.name)) });
    const runs = s2.start();
    s2.stop();
    expect(runs.map((r) => r.name).sort()).toEqual(['report.daily', 'retry_failed']);
    expect(seen.sort()).toEqual(['report.daily', 'retry_failed']);
  });
});
