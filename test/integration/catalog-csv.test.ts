import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportProductCsv, importProductCsv, previewProductCsv } from '../../src-main/pos/catalog-csv';
import { parseCsv, toCsv } from '../../src-shared/csv';
import { ApiError } from '../../src-shared/contract';
import { count, demoApp, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: number;
beforeEach(() => {
  t = demoApp({ openSession: false });
  admin = (t.app.db.raw.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: number }).id;
});
afterEach(() => t.close());

const HEADER = 'sku,barcode,name,price,tax_affectation,unit_code,stock,active';
const product = (sku: string) => t.app.db.raw.prepare('SELECT * FROM products WHERE sku = ?').get(sku) as Record<string, unknown> | undefined;
const audits = (action: string) => t.app.db.raw.prepare('SELECT * FROM audit_log WHERE action = ?').all(action) as { user_id: number; details: string }[];

describe('the CSV reader', () => {
  it('reads quotes, doubled quotes, commas and newlines inside quotes, CRLF and a BOM', () => {
    const r = parseCsv('\ufeffa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n\r\n1,2,3');
    expect(r.separator).toBe(',');
    expect(r.records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\r\nlines'] },
      { line: 5, fields: ['1', '2', '3'] },
    ]);
  });

  it('reads the semicolon-separated files Excel writes in es-PE', () => {
    expect(parseCsv('sku;name;price\nA;"Arroz; 1kg";3,50\n').records[1].fields).toEqual(['A', 'Arroz; 1kg', '3,50']);
  });

  it('writes what it reads', () => {
    const rows = [['a', 'b,c', 'd"e', ' f', 'g\nh']];
    expect(parseCsv(toCsv(rows)).records[0].fields).toEqual(rows[0]);
  });
});

describe('catalog CSV import', () => {
  it('a good file creates new products and updates existing ones by sku, in one audited import', () => {
    const before = count(t.app, 'products');
    const text = [HEADER, 'NEW-1,7751234500011,CAFE MOLIDO 250G,12.90,10,NIU,20,1', 'P0001,7750000000014,GASEOSA INCA KOLA 500ML,2.80,10,NIU,60,1', 'NEW-2,,PAPA AMARILLA,4.50,20,KGM,15.5,1'].join('\r\n');
    const p = previewProductCsv(t.app.db, text);
    expect(p.fileError).toBeUndefined();
    expect(p.errors).toEqual([]);
    expect(p.rows.map((r) => [r.line, r.action, r.product.sku])).toEqual([[2, 'create', 'NEW-1'], [3, 'update', 'P0001'], [4, 'create', 'NEW-2']]);
    expect(count(t.app, 'products')).toBe(before); // a preview writes nothing
    const r = importProductCsv(t.app.db, t.clock.now(), admin, text);
    expect([r.created, r.updated, r.errors.length]).toEqual([2, 1, 0]);
    expect(count(t.app, 'products')).toBe(before + 2);
    expect(product('P0001')!.price).toBe('2.80');
    expect(product('NEW-2')).toMatchObject({ barcode: null, unit_code: 'KGM', tax_affectation: '20', stock: '15.5' });
    const a = audits('product.import');
    expect(a).toHaveLength(1);
    expect(a[0].user_id).toBe(admin);
    expect(JSON.parse(a[0].details)).toEqual({ created: 2, updated: 1, skipped: 0 });
  });

  it('a mixed file imports the good rows and reports each bad one by line and column', () => {
    const text = [
      HEADER,
      'OK-1,7759990000012,BUENO,1.00,10,NIU,1,1',
      'BAD-PRICE,,PRECIO MALO,abc,10,NIU,1,1',
      'BAD-ZERO,,PRECIO CERO,0,10,NIU,1,1',
      'BAD-TAX,,AFECTACION,1.00,99,NIU,1,1',
      'BAD-UNIT,,UNIDAD,1.00,10,XYZ,1,1',
      'DUP-CODE,7759990000012,MISMO CODIGO QUE LINEA 2,1.00,10,NIU,1,1',
      'STOLEN,7750000000014,CODIGO DE OTRO PRODUCTO,1.00,10,NIU,1,1',
      'OK-1,,SKU REPETIDO,1.00,10,NIU,1,1',
      'BAD-ACTIVE,,ACTIVO,1.00,10,NIU,1,quizas',
      'TOO,,MANY,1.00,10,NIU,1,1,extra',
      ',,SIN SKU,1.00,10,NIU,1,1',
      'OK-2,,BUENO DOS,2.50,30,ZZ,0,0',
    ].join('\n');
    const r = importProductCsv(t.app.db, t.clock.now(), admin, text);
    expect([r.created, r.updated]).toEqual([2, 0]);
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'price'], [4, 'price'], [5, 'tax_affectation'], [6, 'unit_code'], [7, 'barcode'], [8, 'barcode'], [9, 'sku'], [10, 'active'], [11, ''], [12, 'sku'],
    ]);
    expect(r.errors[0].message).toMatch(/Precio no válido/);
    expect(r.errors[5].message).toMatch(/ya lo tiene el producto P0001/);
    expect(product('OK-2')).toMatchObject({ active: 0, unit_code: 'ZZ' });
    expect(product('BAD-PRICE')).toBeUndefined();
  });

  it.each([
    ['an empty file', '', /vacío/],
    ['only a header', HEADER + '\n', /vacío/],
    ['missing columns', 'sku,barcode,stock\nA,1,2\n', /Faltan columnas.*name, price/],
    ['a spreadsheet', 'PK\u0003\u0004binary', /no es un CSV/],
    ['an open quote', HEADER + '\nA,,"ARROZ,1.00,10,NIU,1,1\n', /comillas sin cerrar/],
    ['a duplicated column', 'sku,name,price,precio\nA,B,1,2\n', /dos veces/],
  ])('refuses %s as a whole and imports nothing', (_name, text, msg) => {
    const before = count(t.app, 'products');
    expect(previewProductCsv(t.app.db, text).fileError).toMatch(msg);
    expect(() => importProductCsv(t.app.db, t.clock.now(), admin, text)).toThrow(msg);
    expect(count(t.app, 'products')).toBe(before);
    expect(audits('product.import')).toHaveLength(0);
  });

  it('refuses more than 50,000 rows', () => {
    const text = HEADER + '\n' + 'A,,B,1,10,NIU,0,1\n'.repeat(50_001);
    expect(previewProductCsv(t.app.db, text).fileError).toMatch(/máximo es 50000/);
  });

  it('reads Excel es-PE files: semicolons, decimal commas, Spanish headers and a BOM', () => {
    const text = '\ufeffcodigo;nombre;precio;unidad;stock\r\nES-1;AZÚCAR RUBIA;4,20;KGM;10,5\r\n';
    const r = importProductCsv(t.app.db, t.clock.now(), admin, text);
    expect(r.errors).toEqual([]);
    expect(product('ES-1')).toMatchObject({ name: 'AZÚCAR RUBIA', price: '4.20', stock: '10.5', tax_affectation: '10' });
  });

  it('a cashier cannot import', () => {
    expect(() => importProductCsv(t.app.db, t.clock.now(), t.cashier.id, HEADER + '\nA,,B,1,10,NIU,0,1')).toThrow(ApiError);
  });

  it('export then import gives back the same catalog, formula-looking names included', () => {
    importProductCsv(t.app.db, t.clock.now(), admin, `${HEADER}\nF-1,,"=HYPERLINK(""x"")",1.50,10,NIU,0,0\nF-2,,"NAME, WITH COMMA ""Q""",2,20,NIU,-3,1`);
    const snapshot = () => t.app.db.raw.prepare('SELECT sku, barcode, name, price, tax_affectation, unit_code, stock, active FROM products ORDER BY sku').all();
    const before = snapshot();
    const csv = exportProductCsv(t.app.db);
    expect(csv.startsWith('\ufeff' + HEADER + '\r\n')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    t.app.db.raw.prepare(`UPDATE products SET price = '99.00', name = 'X' || name`).run();
    const r = importProductCsv(t.app.db, t.clock.now(), admin, csv);
    expect(r.errors).toEqual([]);
    expect(r.created).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  // How fast: `npm run bench -- catalog` (a timed assertion here would fail on a busy machine, not on a slow import).
  it('imports 10,000 rows in one file', () => {
    const lines = [HEADER];
    for (let i = 0; i < 10_000; i++) lines.push(`BULK-${i},${990000000000 + i},PRODUCTO DE PRUEBA NUMERO ${i},${(i % 500) + 1}.50,10,NIU,${i % 40},1`);
    const text = lines.join('\n');
    const r = importProductCsv(t.app.db, t.clock.now(), admin, text);
    expect(r.errors).toEqual([]);
    expect(r.created).toBe(10_000);
  });
});
