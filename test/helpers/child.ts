// Bundles a TypeScript child-process script once (esbuild) so crash tests can start it many times in milliseconds.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Printing libraries (PDFKit with fontkit and brotli, the QR encoder: half of the bundle) are imported on the first
 * print only (documents/pdf.ts); left out of the bundle, a crash child that never prints starts without parsing them.
 */
const LOADED_AT_RUNTIME = ['pdfkit', 'qrcode'];

export async function bundleChild(entry: string, name: string): Promise<string> {
  // Inside node_modules so the bundle resolves the native better-sqlite3 from the project.
  const outfile = path.resolve('node_modules/.cache/izisales-test', name);
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', external: ['better-sqlite3', ...LOADED_AT_RUNTIME], logLevel: 'warning',
    banner: { js: "import { createRequire as __izCreateRequire } from 'node:module'; const require = __izCreateRequire(import.meta.url);" },
    define: { 'process.env.IZISALES_RESOURCES': JSON.stringify(path.resolve('resources')) },
  });
  return outfile;
}

/**
 * Starts a bundled loop child on `dir` and kills it with SIGKILL `delayMs` after its first output line (its first
 * commit). Resolves with the lines it printed that match `line`: what it committed before it died.
 */
export function runAndKill(child: string, dir: string, delayMs: number, line: RegExp): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed) {
        armed = true;
        setTimeout(() => p.kill('SIGKILL'), delayMs);
      }
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed: ${err}`));
      else resolve(out.split('\n').filter((l) => line.test(l)));
    });
  });
}
