// The outside tools the tests use (what .ci/run installs). They are required: a test that needs one fails with the
// package to install, never passes by returning early (README, "npm test needs").
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Each tool and the Debian package that brings it. */
export const TOOLS = {
  chromium: 'chromium',
  xmllint: 'libxml2-utils',
  xmlsec1: 'xmlsec1',
  java: 'default-jre-headless',
  pdftotext: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  zbarimg: 'zbar-tools',
  openssl: 'openssl',
} as const;
export type Tool = keyof typeof TOOLS;

const SAXON = '/usr/share/java/Saxon-HE.jar';
/** SUNAT's checker (schema, SUNAT's XSL rules, signature), from the project's reference folder beside the checkout. */
export const CHECK_CPE = path.resolve(ROOT, '../shared/sunat/check-cpe');
export const SUNAT_SAMPLES = path.resolve(ROOT, '../shared/sunat/samples');

const found = new Map<string, boolean>();
const onPath = (tool: string): boolean => {
  if (!found.has(tool)) found.set(tool, spawnSync('sh', ['-c', `command -v "${tool}"`]).status === 0);
  return found.get(tool)!;
};

/** Throws, naming what to install, unless every tool is on PATH. Call it where the test needs them. */
export function requireTools(...tools: Tool[]): void {
  const missing = tools.filter((t) => !onPath(t));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(', ')}: apt-get install -y ${[...new Set(missing.map((t) => TOOLS[t]))].join(' ')} (what .ci/run installs)`);
  }
}

/** check-cpe and everything it runs: the reference folder ../shared/sunat, xmllint, xmlsec1, Java and Saxon-HE. */
export function requireCheckCpe(): string {
  if (!fs.existsSync(CHECK_CPE)) throw new Error(`missing ${CHECK_CPE}: the tests need the project's reference folder ../shared beside the checkout`);
  requireTools('xmllint', 'xmlsec1', 'java');
  if (!fs.existsSync(SAXON)) throw new Error(`missing ${SAXON}: apt-get install -y libsaxonhe-java (what .ci/run installs)`);
  return CHECK_CPE;
}

/**
 * The environment check-cpe runs in: its JVM (one per document, Saxon compiling SUNAT's rules each time) told to stop
 * at the quick compiler and use the serial collector — what a short-lived JVM wants (~20% faster here). What it checks
 * is unchanged.
 */
export const CHECK_CPE_ENV: NodeJS.ProcessEnv = { ...process.env, JAVA_TOOL_OPTIONS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC' };

/** What a stored document's row gives the checker (any connection whose `raw` is better-sqlite3). */
interface StoredDocuments { raw: { prepare(sql: string): { get(...params: unknown[]): unknown } } }

/**
 * Writes the signed XML of stored documents (by `documents.id`) into a new folder under `dir`, named as SUNAT names
 * them, and runs check-cpe on them all. `output` has its report ("N passed, 0 failed"); `xml` the documents' texts.
 */
export function checkStoredDocuments(db: StoredDocuments, dir: string, documentIds: number[]): { status: number | null; output: string; xml: string[] } {
  const checker = requireCheckCpe();
  const out = fs.mkdtempSync(path.join(dir, 'cpe-'));
  const xml: string[] = [];
  const files = documentIds.map((id) => {
    const d = db.raw.prepare('SELECT file_name, xml FROM documents WHERE id = ?').get(id) as { file_name: string; xml: string | null } | undefined;
    if (!d?.xml) throw new Error(`document ${id} has no signed XML`);
    xml.push(d.xml);
    const file = path.join(out, `${d.file_name}.xml`);
    fs.writeFileSync(file, d.xml);
    return file;
  });
  const r = spawnSync(checker, files, { encoding: 'utf8', env: CHECK_CPE_ENV });
  return { status: r.status, output: r.stdout + r.stderr, xml };
}
