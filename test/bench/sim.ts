// The SUNAT simulator for the benches: by default in a child process (`izisales sunat-sim`), outside the POS's
// process as SUNAT is; `inProcess` shares the POS's event loop (as demo mode does).
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

export interface SimHandle {
  url: string;
  stats(): Promise<{ requests: number; processingMs: number; wallMs: number }>;
  /** CPU time the simulator's process has used (null in process). */
  cpuMs(): number | null;
  close(): Promise<void>;
}

export async function startSim(opts: { inProcess: boolean; latencyMs: number }): Promise<SimHandle> {
  if (opts.inProcess) {
    const { startSimulator } = await import('../../src-main/sunat/simulator');
    const sim = await startSimulator({ port: 0 });
    await sim.setFaults({ latencyMs: opts.latencyMs });
    return { url: sim.url, stats: async () => sim.stats(), cpuMs: () => null, close: () => sim.close() };
  }
  const child: ChildProcess = spawn(process.execPath, [path.resolve('bin/izisales.mjs'), 'sunat-sim', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator printed no URL:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}):\n${out}`)));
  });
  await fetch(`${url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: opts.latencyMs }) });
  const USER_HZ = 100; // clock ticks per second in /proc/<pid>/stat on Linux
  return {
    url,
    stats: async () => (await (await fetch(`${url}/__sim/stats`)).json()) as { requests: number; processingMs: number; wallMs: number },
    cpuMs: () => {
      try {
        const f = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return ((Number(f[11]) + Number(f[12])) / USER_HZ) * 1000; // utime + stime
      } catch {
        return null;
      }
    },
    async close() {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
