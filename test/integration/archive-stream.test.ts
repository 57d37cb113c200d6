// The streaming archive: a month archived twice keeps every entry it had, and a temp archive damaged between writing
// and reading back is refused before any original is removed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, zipSync, strToU8 } from 'fflate';
import { demoApp, type TestApp } from '../helpers/app';
import { archiveFiles } from '../../src-main/files/archive-write';
import { exportDocumentFiles, readDocumentFiles } from '../../src-main/files/archive-read';
import { archiveFile } from '../../src-main/files/store';
import { documentDir } from '../../src-main/files/store';
import { ZipReader } from '../../src-main/files/zipfile';

let t: TestApp;
beforeEach(() => {
  t = demoApp({ at: '2026-05-10T15:00:00Z' });
});
afterEach(() => t.close());

const cdrOf = (fileName: string, text = 'aceptado') =>
  zipSync({ [`R-${fileName}.xml`]: strToU8(`<ApplicationResponse>${fileName} ${text}</ApplicationResponse>`) });

/** Sales of 2026-05; `withCdr` false leaves the document waiting for SUNAT's answer (no CDR yet). */
function sell(n: number, withCdr = true) {
  const product = (t.app.db.raw.prepare('SELECT id FROM products WHERE is_bag = 0 ORDER BY id LIMIT 1').get() as { id: number }).id;
  const out: { documentId: number; fileName: string; cdr: Uint8Array | null; xml: string }[] = [];
  for (let i = 0; i < n; i++) {
    const r = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: product, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] });
    const cdr = withCdr ? cdrOf(r.fileName) : null;
    if (cdr) setCdr(r.documentId, cdr);
    const xml = (t.app.db.raw.prepare('SELECT xml FROM documents WHERE id = ?').get(r.documentId) as { xml: string }).xml;
    out.push({ documentId: r.documentId, fileName: r.fileName, cdr, xml });
  }
  return out;
}

const setCdr = (id: number, cdr: Uint8Array) =>
  t.app.db.raw.prepare(`UPDATE documents SET status = 'accepted', cdr_zip = ?, cdr_code = '0' WHERE id = ?`).run(Buffer.from(cdr), id);
const cdrInDb = (id: number) => (t.app.db.raw.prepare('SELECT cdr_zip FROM documents WHERE id = ?').get(id) as { cdr_zip: Buffer | null }).cdr_zip;
const month = '2026-05';
const archive = () => archiveFile(t.dir, month);
const entries = () => unzipSync(new Uint8Array(fs.readFileSync(archive())));
const same = (a: Uint8Array | undefined, b: Uint8Array | string) => a !== undefined && Buffer.from(a).equals(Buffer.from(b));

/** Where an entry's stored bytes start in a zip we wrote (no extra fields). */
function dataOffset(file: string, name: string): number {
  const z = ZipReader.open(file);
  try {
    const e = z.find(name);
    if (!e) throw new Error(`${name} no está en ${file}`);
    return e.offset + 30 + Buffer.byteLength(name);
  } finally {
    z.close();
  }
}

describe('archiving a month that already has an archive', () => {
  it('keeps every entry already archived, byte for byte, and adds a CDR that arrived late', () => {
    const docs = sell(3);
    const [late] = sell(1, false);
    t.clock.set('2026-12-05T07:00:00Z');

    const first = archiveFiles(t.app);
    expect(first.months[0]).toMatchObject({ month, added: 7, carried: 0, cdrsMoved: 3 });
    const before = entries();
    expect(Object.keys(before)).toHaveLength(7);

    // SUNAT's answer for the fourth document arrives after its month was archived.
    const lateCdr = cdrOf(late.fileName, 'aceptado tarde');
    setCdr(late.documentId, lateCdr);
    const second = archiveFiles(t.app);
    expect(second.months[0]).toMatchObject({ month, added: 1, carried: 7, superseded: 0, cdrsMoved: 1, filesMoved: 0 });

    const after = entries();
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), `R-${late.fileName}.zip`].sort());
    for (const [name, bytes] of Object.entries(before)) expect(same(after[name], bytes), name).toBe(true);
    expect(same(after[`R-${late.fileName}.zip`], lateCdr)).toBe(true);
    expect(cdrInDb(late.documentId)).toBeNull();
    expect(fs.readdirSync(path.dirname(archive()))).toEqual([`${month}.zip`]);
    // Every CDR, the old ones and the late one, still reads back from the one monthly file.
    for (const d of [...docs, { ...late, cdr: lateCdr }]) {
      const f = readDocumentFiles(t.app, d.documentId);
      expect(f.cdrSource).toBe('archive');
      expect(same(f.cdrZip!, d.cdr!)).toBe(true);
    }
    expect(archiveFiles(t.app).months).toEqual([]);
  });

  it('keeps an archived CDR the database replaced as superseded/, and a differing exported file under files/', () => {
    const docs = sell(2);
    t.clock.set('2026-12-05T07:00:00Z');
    archiveFiles(t.app);
    const before = entries();

    // The database gets another CDR for the first document; a hand-copied file with other bytes sits in documents/.
    const newer = cdrOf(docs[0].fileName, 'constancia nueva');
    setCdr(docs[0].documentId, newer);
    const stray = path.join(documentDir(t.dir, '2026-05-10'), `R-${docs[1].fileName}.zip`);
    fs.mkdirSync(path.dirname(stray), { recursive: true });
    fs.writeFileSync(stray, 'copia a mano');

    const r = archiveFiles(t.app);
    expect(r.months[0]).toMatchObject({ added: 2, carried: 4, superseded: 1, cdrsMoved: 1, filesMoved: 1 });
    const after = entries();
    expect(same(after[`R-${docs[0].fileName}.zip`], newer)).toBe(true);
    expect(same(after[`superseded/R-${docs[0].fileName}.zip`], docs[0].cdr!)).toBe(true);
    expect(same(after[`R-${docs[1].fileName}.zip`], docs[1].cdr!)).toBe(true);
    expect(same(after[`files/R-${docs[1].fileName}.zip`], 'copia a mano')).toBe(true);
    for (const [name, bytes] of Object.entries(before)) {
      expect(Object.values(after).some((b) => same(b, bytes)), name).toBe(true);
    }
    expect(fs.existsSync(stray)).toBe(false);
  });

  it('replaces an archived entry found damaged from the database, and keeps the damaged bytes aside as they were', () => {
    const [d] = sell(1);
    const [late] = sell(1, false);
    t.clock.set('2026-12-05T07:00:00Z');
    archiveFiles(t.app);
    // Bit rot in the archived XML of the first document.
    const at = dataOffset(archive(), `${d.fileName}.xml`) + 5;
    const fd = fs.openSync(archive(), 'r+');
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, at);
    b[0] ^= 0xff;
    fs.writeSync(fd, b, 0, 1, at);
    fs.closeSync(fd);

    setCdr(late.documentId, cdrOf(late.fileName));
    const r = archiveFiles(t.app);
    expect(r.months[0]).toMatchObject({ added: 2, superseded: 1, cdrsMoved: 1 });
    const z = ZipReader.open(archive());
    try {
      const good = z.find(`${d.fileName}.xml`)!;
      expect(Buffer.from(z.read(good)).toString('utf8')).toBe(d.xml);
      const kept = z.find(`superseded/${d.fileName}.xml`)!;
      expect(kept).toBeDefined();
      expect(z.check(kept).ok).toBe(false);
    } finally {
      z.close();
    }
    expect(same(readDocumentFiles(t.app, d.documentId).cdrZip!, d.cdr!)).toBe(true);
  });

  it('never overwrites an archive it cannot read, and then removes nothing of that month', () => {
    sell(1);
    const [late] = sell(1, false);
    t.clock.set('2026-12-05T07:00:00Z');
    archiveFiles(t.app);
    fs.truncateSync(archive(), fs.statSync(archive()).size - 30);
    const damaged = fs.readFileSync(archive());
    setCdr(late.documentId, cdrOf(late.fileName));
    expect(() => archiveFiles(t.app)).toThrow(/2026-05.zip no se puede leer/);
    expect(fs.readFileSync(archive()).equals(damaged)).toBe(true);
    expect(cdrInDb(late.documentId)).not.toBeNull();
    expect(() => archiveFiles(t.app, { dryRun: true })).toThrow(/no se puede leer/);
  });
});

describe('the read-back check', () => {
  const damage: Record<string, (tmp: string, names: { carried: string; added: string }) => void> = {
    'a byte flipped in a new entry': (tmp, n) => flip(tmp, dataOffset(tmp, n.added) + 20),
    'a byte flipped in an entry copied from the old archive': (tmp, n) => flip(tmp, dataOffset(tmp, n.carried) + 3),
    'the file cut in half': (tmp) => fs.truncateSync(tmp, Math.floor(fs.statSync(tmp).size / 2)),
  };
  function flip(file: string, at: number) {
    const fd = fs.openSync(file, 'r+');
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, at);
    b[0] ^= 0x01;
    fs.writeSync(fd, b, 0, 1, at);
    fs.closeSync(fd);
  }

  it.each(Object.keys(damage))('refuses a temp archive with %s: no original is removed and the old archive is untouched', (how) => {
    const docs = sell(3);
    const [late] = sell(1, false);
    t.clock.set('2026-12-05T07:00:00Z');
    archiveFiles(t.app);
    const oldArchive = fs.readFileSync(archive());
    // The second run has a late CDR and an exported file to move.
    const lateCdr = cdrOf(late.fileName);
    setCdr(late.documentId, lateCdr);
    const exported = exportDocumentFiles(t.app, late.documentId);
    const tmp = `${archive()}.${process.pid}.tmp`;
    const names = { carried: `${docs[1].fileName}.xml`, added: `R-${late.fileName}.zip` };

    expect(() => archiveFiles(t.app, { hooks: { afterTempWritten: () => damage[how](tmp, names) } })).toThrow(/verificación fallida/);
    expect(cdrInDb(late.documentId)).not.toBeNull();
    for (const f of exported) expect(fs.existsSync(f)).toBe(true);
    expect(fs.readFileSync(archive()).equals(oldArchive)).toBe(true);
    expect(fs.readdirSync(path.dirname(archive()))).toEqual([`${month}.zip`]);

    // The next run, undisturbed, completes the move.
    const r = archiveFiles(t.app);
    expect(r.months[0]).toMatchObject({ cdrsMoved: 1, filesMoved: 2 });
    expect(cdrInDb(late.documentId)).toBeNull();
    expect(same(readDocumentFiles(t.app, late.documentId).cdrZip!, lateCdr)).toBe(true);
  });

  it('refuses a first archive damaged before the read-back, leaving every CDR in the database', () => {
    const docs = sell(2);
    t.clock.set('2026-12-05T07:00:00Z');
    const tmp = `${archive()}.${process.pid}.tmp`;
    expect(() => archiveFiles(t.app, { hooks: { afterTempWritten: () => flip(tmp, dataOffset(tmp, `R-${docs[0].fileName}.zip`) + 7) } }))
      .toThrow(/verificación fallida.*R-/);
    expect(fs.existsSync(archive())).toBe(false);
    expect(fs.existsSync(tmp)).toBe(false);
    for (const d of docs) expect(cdrInDb(d.documentId)).not.toBeNull();
  });
});

describe('reading a document whose CDR is archived', () => {
  it('says so plainly when the archived CDR is damaged and no other copy exists', () => {
    const [d] = sell(1);
    t.clock.set('2026-12-05T07:00:00Z');
    archiveFiles(t.app);
    const at = dataOffset(archive(), `R-${d.fileName}.zip`) + 4;
    const fd = fs.openSync(archive(), 'r+');
    fs.writeSync(fd, Buffer.from([0x00, 0x00, 0x00]), 0, 3, at);
    fs.closeSync(fd);
    expect(() => readDocumentFiles(t.app, d.documentId)).toThrow(/No se pudo leer el CDR.*CRC/);
    // The signed XML is in the database whatever happens to the archive.
    expect(() => exportDocumentFiles(t.app, d.documentId, { dir: path.join(t.dir, 'out') })).toThrow(/No se pudo leer el CDR/);
  });
});
