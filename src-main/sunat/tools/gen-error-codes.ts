// Turns SUNAT's CatalogoErrores.xml into resources/sunat/error-codes.json (code → Spanish text).
// Run: npx tsx src-main/sunat/tools/gen-error-codes.ts [catalog.xml] [out.json]
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const defaultCatalog = resolve(repo, '../shared/sunat/rules/commons/cpe/catalogo/CatalogoErrores.xml');
const defaultOut = resolve(repo, 'resources/sunat/error-codes.json');

export function parseCatalog(xml: string): Record<string, string> {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const out: Record<string, string> = {};
  const nodes = doc.getElementsByTagName('error');
  for (let i = 0; i < nodes.length; i++) {
    const el = nodes[i];
    const code = (el.getAttribute('numero') ?? '').trim();
    if (!/^\d{1,4}$/.test(code)) continue;
    out[code.padStart(4, '0')] = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  }
  // Sorted keys keep the committed JSON diff-friendly when SUNAT publishes a new catalog.
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function main(): void {
  const [catalog = defaultCatalog, out = defaultOut] = process.argv.slice(2);
  const codes = parseCatalog(readFileSync(catalog, 'utf8'));
  const tmp = `${out}.tmp`;
  writeFileSync(tmp, JSON.stringify(codes, null, 1) + '\n');
  renameSync(tmp, out);
  process.stdout.write(`${Object.keys(codes).length} códigos → ${out}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
