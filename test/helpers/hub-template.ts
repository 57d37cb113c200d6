// A fresh data directory for the embedded hub (PGlite) without paying its initdb each time: the first call on this
// machine (per PGlite version) initialises one empty cluster into a template under the temp directory, closed cleanly;
// every later one copies it (~1 s instead of 5–15 s). The copy is the same cluster initdb makes: the hub then opens
// and migrates it as it would a new one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './processes';

function pgliteVersion(): string {
  const pkg = path.join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
}

async function template(): Promise<string> {
  const dir = path.join(os.tmpdir(), `izisales-pglite-template-${pgliteVersion()}`);
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  // Built aside and renamed in whole: a file starting at the same time, or a run killed half-way, never sees half of it.
  const building = `${dir}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create(building);
  await pg.close();
  try {
    fs.renameSync(building, dir);
  } catch {
    fs.rmSync(building, { recursive: true, force: true }); // another file made it first: the same cluster
  }
  return dir;
}

/** A new temp data directory whose `hub-pg` is a copy of the empty template cluster. */
export async function freshHubDataDir(prefix = 'izisales-hub-'): Promise<string> {
  const tpl = await template();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(tpl, path.join(dataDir, 'hub-pg'), { recursive: true });
  return dataDir;
}
