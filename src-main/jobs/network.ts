// Connectivity monitor (DESIGN §3.4): probes the SUNAT endpoint with backoff while offline, less often while online,
// and reports changes at once. Electron's online/offline events call `nudge()` to probe immediately.
import net from 'node:net';

export type Probe = () => Promise<boolean>;

/** A TCP connect to the endpoint's host and port: cheap, and says whether SUNAT (or the simulator) is reachable. */
export function tcpProbe(url: string, timeoutMs = 3000): Probe {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return () =>
    new Promise((resolve) => {
      const socket = net.connect({ host: u.hostname, port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
}

export interface MonitorOptions {
  probe: Probe;
  onChange: (online: boolean) => void;
  /** Backoff while offline: first retry after minDelayMs, doubling up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
  onlineIntervalMs?: number;
}

export class NetworkMonitor {
  online = false;
  private timer: NodeJS.Timeout | null = null;
  private delay: number;
  private stopped = false;
  private probing = false;

  constructor(private readonly opts: MonitorOptions) {
    this.delay = opts.minDelayMs ?? 500;
  }

  start(): void {
    this.stopped = false;
    void this.check();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Probe now (an online event, a failed send, a user's "Reintentar"). */
  nudge(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.delay = this.opts.minDelayMs ?? 500;
    void this.check();
  }

  /** A send failed on the network: mark offline at once and start probing with backoff. */
  reportFailure(): void {
    this.set(false);
    this.nudge();
  }

  private async check(): Promise<void> {
    if (this.stopped || this.probing) return;
    this.probing = true;
    let ok = false;
    try {
      ok = await this.opts.probe();
    } catch {
      ok = false;
    }
    this.probing = false;
    if (this.stopped) return;
    this.set(ok);
    const max = this.opts.maxDelayMs ?? 30_000;
    const next = ok ? (this.opts.onlineIntervalMs ?? 15_000) : this.delay;
    this.delay = ok ? (this.opts.minDelayMs ?? 500) : Math.min(max, this.delay * 2);
    this.timer = setTimeout(() => void this.check(), next);
    this.timer.unref?.();
  }

  private set(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    this.opts.onChange(online);
  }
}
