// The zip SUNAT receives: RUC-TT-SERIE-NUMERO.zip holding exactly RUC-TT-SERIE-NUMERO.xml. Deterministic
// (fixed timestamp), so the same document always gives the same bytes.
// Deflated by Node's zlib (native: a quarter of the time a JavaScript deflate takes) through files/zipfile.ts.
import { strFromU8, unzipSync } from 'fflate';
import { zipInMemory } from '../files/zipfile';

// Zip timestamps are date fields without a zone: one fixed date (1980-01-01 00:00 in Lima, the earliest a zip can
// hold) keeps the bytes equal on every machine.
const FIXED_MTIME = new Date(Date.UTC(1980, 0, 1, 5, 0, 0));

export function zipDocument(fileBase: string, xml: string | Uint8Array): { zipName: string; xmlName: string; zip: Uint8Array } {
  const xmlName = `${fileBase}.xml`;
  const data = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  return { zipName: `${fileBase}.zip`, xmlName, zip: zipInMemory([{ name: xmlName, data, level: 6, mtime: FIXED_MTIME }]) };
}

/** Every file entry of a zip (directories and empty placeholder entries left out). */
export function unzipEntries(zip: Uint8Array): Record<string, Uint8Array> {
  const all = unzipSync(zip);
  const out: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(all)) {
    if (name.endsWith('/') || data.length === 0) continue;
    out[name] = data;
  }
  return out;
}

/** The one XML inside a SUNAT zip (a CDR zip may carry an empty "dummy" entry before it). */
export function unzipXml(zip: Uint8Array): { name: string; xml: string } {
  const entries = Object.entries(unzipEntries(zip)).filter(([name]) => /\.xml$/i.test(name));
  if (entries.length === 0) throw new Error('El archivo zip no contiene ningún XML.');
  const [name, data] = entries[0];
  return { name, xml: strFromU8(data) };
}
