import { afterEach, describe, expect, it } from 'vitest';
import { demoApp, type TestApp } from '../helpers/app';
import { STATUS_EVERY_MS } from '../../src-main/app';
import type { AppStatus } from '../../src-shared/contract';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('status events for the screens and the log', () => {
  it('a lone change goes out on the next turn; a burst is folded into one more event that carries the latest status', async () => {
    t = demoApp();
    const { app } = t;
    const seen: AppStatus[] = [];
    app.events.on('status', (s) => seen.push(s));

    app.statusChanged();
    expect(seen).toHaveLength(0); // never computed inside the caller's turn (a sale, an outcome)
    await sleep(20);
    expect(seen).toHaveLength(1);
    expect(seen[0].online).toBe(false);

    // A drain: an outcome every few milliseconds, the connection coming back in the middle of it.
    for (let i = 0; i < 40; i++) {
      if (i === 30) app.online = true;
      app.statusChanged();
      await sleep(2);
    }
    await sleep(STATUS_EVERY_MS + 50);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(3);
    expect(seen.at(-1)!.online).toBe(true);
  });

  it('computes nothing while nobody listens, and nothing after the app closed', async () => {
    t = demoApp();
    const { app } = t;
    let computed = 0;
    const status = app.status.bind(app);
    app.status = () => {
      computed++;
      return status();
    };
    app.statusChanged();
    await sleep(20);
    expect(computed).toBe(0);
    app.events.on('status', () => {});
    app.statusChanged();
    await t.close();
    t = null;
    await sleep(20);
    expect(computed).toBe(0);
  });
});
