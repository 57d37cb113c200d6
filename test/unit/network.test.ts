import { describe, expect, it, onTestFinished, vi } from 'vitest';
import net from 'node:net';
import { NetworkMonitor, tcpProbe } from '../../src-main/jobs/network';

describe('connectivity monitor', () => {
  it('tcpProbe says whether a real local port answers', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    expect(await tcpProbe(`http://127.0.0.1:${port}/ol-ti-itcpfegem/billService`)()).toBe(true);
    await new Promise<void>((r) => server.close(() => r()));
    expect(await tcpProbe(`http://127.0.0.1:${port}/`)()).toBe(false);
  });

  it('probes with growing delays while offline and reports the return of the network', async () => {
    // Fake timers: the delays are the monitor's own, not whatever a busy machine adds to them.
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const times: number[] = [];
    let up = false;
    const changes: boolean[] = [];
    const m = new NetworkMonitor({
      probe: async () => {
        times.push(Date.now());
        return up;
      },
      onChange: (o) => changes.push(o),
      minDelayMs: 20,
      maxDelayMs: 160,
    });
    m.start();
    await vi.advanceTimersByTimeAsync(500);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps).toEqual([20, 40, 80, 160, 160]); // doubling backoff, capped
    up = true;
    m.nudge();
    await vi.advanceTimersByTimeAsync(0);
    expect(changes).toEqual([true]);
    m.reportFailure();
    expect(changes).toEqual([true, false]);
    m.stop();
  });
});
