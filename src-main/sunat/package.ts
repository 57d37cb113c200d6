// The zip SUNAT receives: RUC-TT-SERIE-NUMERO.zip holding exactly RUC-TT-SERIE-NUMERO.xml. Deterministic
// (fixed timestamp), so the same document always gives the same bytes.
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

// Zip timestamps are local date fields; a fixed local date keeps the bytes equal on every machine.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export function zipDocument(fileBase: string, xml: string | Uint8Array): { zipName: string; xmlName: string; zip: Uint8Array } {
  const xmlName = `${fileBase}.xml`;
  const data = typeof xml === 'string' ? strToU8(xml) : xml;
  const zip = zipSync({ [xmlName]: [data, { mtime: FIXED_MTIME, level: 6 }] });
  return { zipName: `${fileBase}.zip`, xmlName, zip };
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
