// Processes the multi-process tests start (the hub, terminals' workers): always `node bin/izisales.mjs` directly
// (never through npx/npm, whose grandchildren outlive a kill), each stopped by the test that started it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'bin', 'izisales.mjs');

/** A TCP port nobody listens on right now (the OS's pick, closed again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** One `izisales …` command run to its end, as a person types it. */
export function izisales(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', ...env }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * The same, without blocking the test's loop (several at once, or while a server of the test answers); `stdin`: what
 * is typed into it, as a person pipes a PIN.
 */
export function izisalesAsync(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...env } });
    if (stdin !== undefined) child.stdin!.end(stdin);
    let out = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

export interface Running {
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL at once; resolves once it has exited. */
  kill(): Promise<void>;
}

/**
 * Starts `izisales …` in the background and resolves once its output matches `ready` (null: once spawned — a process
 * that may be killed before it says anything). `cli`: another entry of the same
 * command line (the bundled child of test/fixtures/izisales-child.ts, which starts in a fraction of the time);
 * `nodeArgs`: flags for node itself (a bench's --cpu-prof, which NODE_OPTIONS refuses).
 */
export async function startIzisales(args: string[], ready: RegExp | null, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cli?: string; nodeArgs?: string[] } = {}): Promise<Running> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.cli ?? CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...opts.env } });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const running: Running = {
    child,
    output: () => out,
    async stop() {
      if (gone()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  if (ready === null) return running;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void running.kill();
      reject(new Error(`izisales ${args.join(' ')} printed nothing matching ${ready} in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      if (!ready.test(out)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!ready.test(out)) reject(new Error(`izisales ${args.join(' ')} exited with ${code} before it was ready:\n${out}`));
    });
  });
  return running;
}
