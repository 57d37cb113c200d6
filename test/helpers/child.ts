// Bundles a TypeScript child-process script once (esbuild) so crash tests can start it many times in milliseconds.
import { build } from 'esbuild';
import path from 'node:path';

export async function bundleChild(entry: string, name: string): Promise<string> {
  // Inside node_modules so the bundle resolves the native better-sqlite3 from the project.
  const outfile = path.resolve('node_modules/.cache/izisales-test', name);
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', external: ['better-sqlite3'], logLevel: 'warning',
    banner: { js: "import { createRequire as __izCreateRequire } from 'node:module'; const require = __izCreateRequire(import.meta.url);" },
    define: { 'process.env.IZISALES_RESOURCES': JSON.stringify(path.resolve('resources')) },
  });
  return outfile;
}
