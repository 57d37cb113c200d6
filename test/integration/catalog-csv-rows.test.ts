// Issue 13 §9: a bad row of the catalog CSV names its product (code, or barcode when it has no code) and its line,
// besides the column at fault, so a manager can find it in the spreadsheet.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewProductCsv } from '../../src-main/pos/catalog-csv';
import { CSV_COLUMN_LABELS } from '../../src-shared/labels';
import { demoApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeEach(() => {
  t = demoApp({ openSession: false });
});
afterEach(() => t.close());

describe('catalog CSV preview of bad rows', () => {
  it('each problem carries the row’s code and barcode, and every column has a Spanish name', () => {
    const text = [
      'sku,barcode,name,price,tax_affectation,unit_code,stock,active',
      'OK-1,7759990000012,BUENO,1.00,10,NIU,1,1',
      'BAD-PRICE,7759990000029,PRECIO MALO,abc,10,NIU,1,1',
      ',7759990000036,SIN CODIGO,1.00,10,NIU,1,1',
      'TOO,,MANY,1.00,10,NIU,1,1,extra',
    ].join('\n');
    const p = previewProductCsv(t.app.db, text);
    expect(p.errors.map((e) => [e.line, e.sku, e.barcode, e.column])).toEqual([
      [3, 'BAD-PRICE', '7759990000029', 'price'],
      [4, '', '7759990000036', 'sku'],
      [5, 'TOO', null, ''],
    ]);
    for (const e of p.errors) if (e.column) expect(CSV_COLUMN_LABELS[e.column]).toBeTruthy();
    expect(CSV_COLUMN_LABELS.price).toBe('Precio');
  });
});
