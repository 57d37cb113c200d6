import { afterEach, describe, expect, it } from 'vitest';
import { demoApp, type TestApp } from '../helpers/app';
import { startRuntime, type Runtime } from '../../src-main/runtime';
import { startSimulator } from '../../src-main/sunat/simulator';

let t: TestApp | null = null;
let rt: Runtime | null = null;
afterEach(async () => {
  await rt?.stop();
  await t?.close();
  rt = null;
  t = null;
});

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

describe('first run: demo mode works end to end without SUNAT settings', () => {
  it('starts the SUNAT simulator in-process on a free local port and reports online', async () => {
    t = demoApp();
    rt = await startRuntime(t.app, { probeIntervals: { minDelayMs: 20 } });
    expect(rt.simulator).not.toBeNull();
    expect(rt.endpoints?.billService).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ol-ti-itcpfegem\/billService$/);
    expect(rt.target).toMatch(/demo/);
    expect(await until(() => t!.app.status().online)).toBe(true);
  });

  it('--sunat-url points billService and billConsultService at that host with SUNAT paths, over the settings', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      t = demoApp();
      rt = await startRuntime(t.app, { sunatUrl: sim.url, probeIntervals: { minDelayMs: 20 } });
      expect(rt.simulator).toBeNull();
      expect(rt.endpoints?.billService).toBe(`${sim.url}/ol-ti-itcpfegem/billService`);
      expect(rt.endpoints?.consultService).toBe(`${sim.url}/ol-it-wsconscpegem/billConsultService`);
      expect(await until(() => t!.app.status().online)).toBe(true);
      await sim.close();
      rt.monitor.reportFailure();
      expect(t.app.status().online).toBe(false);
    } finally {
      await sim.close().catch(() => {});
    }
  });
});
