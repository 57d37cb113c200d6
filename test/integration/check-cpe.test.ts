// Every document kind and tax case, built and signed by us, checked by tools that are not ours: the UBL schema,
// SUNAT's own validation rules (XSL) and xmlsec1 (../shared/sunat/check-cpe).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dec } from '../../src-shared/decimal';
import { computeSale, type LineInput, type TaxAffectation } from '../../src-shared/tax';
import { buildSignedDocument } from '../../src-main/sunat/build';
import { createDemoCertificate, type DemoCertificate } from '../../src-main/sunat/certificate';
import { parseDocumentInput } from '../../src-main/sunat/document-input';
import type { SummaryDocument, VoidedDocument } from '../../src-main/sunat/model';
import { dniCustomer, input, issuer, ISSUER_RUC, line, rucCustomer } from '../unit/ubl-fixtures';
import { CHECK_CPE_ENV, requireCheckCpe, SUNAT_SAMPLES } from '../helpers/tools';

const HOMOLOGATION = join(SUNAT_SAMPLES, 'homologacion');

const FREE_GRAVADO = ['11', '12', '13', '14', '15', '16'] as const;
const FREE_OTHER = ['21', '31', '32', '33', '34', '35', '36', '37'] as const;
const LONG = 'DESCRIPCIÓN LARGA & <ESPECIAL> CON Ñ Y ó: ' + 'PRODUCTO DE PRUEBA '.repeat(24);

const factura = { documentType: '01', series: 'F001', customer: rucCustomer };
const refFactura = (reasonCode: string) => ({ documentType: '01', series: 'F001', number: 1, reasonCode, reason: 'MOTIVO DE LA NOTA Ñ & <X>' });
const refBoleta = (reasonCode: string) => ({ documentType: '03', series: 'B001', number: 1, reasonCode, reason: 'ANULACIÓN DE LA OPERACIÓN' });

const mixed = [
  line({ description: 'GASEOSA 500ML', quantity: '2', unitPrice: '3.50', discount: '0.50' }),
  line({ description: 'LIBRO', quantity: '1', unitPrice: '45.90', taxAffectation: '20' }),
  line({ description: 'PAPA AMARILLA', quantity: '2.375', unitCode: 'KGM', unitPrice: '4.20', taxAffectation: '30' }),
  line({ description: 'POLO DE REGALO', quantity: '1', unitPrice: '23.60', taxAffectation: '15' }),
  line({ description: 'BOLSA PLASTICA', quantity: '2', unitPrice: '0.10', bags: 2 }),
];

// [name, input overrides]: each becomes one signed document.
const SALE_CASES: [string, Record<string, unknown>][] = [
  ['boleta gravada anónima', { number: 1 }],
  ['boleta exonerada', { number: 2, lines: [line({ taxAffectation: '20', unitPrice: '12.00' })] }],
  ['boleta inafecta', { number: 3, lines: [line({ taxAffectation: '30', unitPrice: '8.40', quantity: '3' })] }],
  ['boleta con gratuitos gravados 11-16', { number: 4, customer: dniCustomer, lines: [line(), ...FREE_GRAVADO.map((c) => line({ description: `OBSEQUIO ${c}`, quantity: '1', unitPrice: '11.80', taxAffectation: c }))] }],
  ['boleta con gratuitos 21 y 31-37', { number: 5, lines: [line({ taxAffectation: '20' }), ...FREE_OTHER.map((c) => line({ description: `MUESTRA ${c}`, quantity: '2', unitPrice: '5.00', taxAffectation: c }))] }],
  ['boleta con descuentos', { number: 6, lines: [line({ discount: '0.50' }), line({ quantity: '3', unitPrice: '9.99', discount: '2.97' }), line({ taxAffectation: '20', unitPrice: '10', discount: '1.00' })] }],
  ['boleta con ICBPER', { number: 7, lines: [line(), line({ description: 'BOLSA', quantity: '3', unitPrice: '0.20', bags: 3 })] }],
  ['boleta anónima de 700.00', { number: 8, lines: [line({ quantity: '1', unitPrice: '700.00' })] }],
  ['boleta identificada de 700.01', { number: 9, customer: dniCustomer, lines: [line({ quantity: '1', unitPrice: '700.01' })] }],
  ['boleta de 60 líneas', { number: 10, customer: { docType: '4', docNumber: 'X12345678', name: 'JOHN SMITH' }, lines: Array.from({ length: 60 }, (_, i) => line({ description: `ITEM ${i + 1} Ñ&<`, quantity: String((i % 5) + 1), unitPrice: `${(i % 9) + 1}.${String(i % 100).padStart(2, '0')}`, taxAffectation: (['10', '20', '30', '10', '13'] as const)[i % 5], discount: i % 7 === 0 && i % 5 !== 4 ? '0.10' : undefined })) }],
  ['boleta con descripciones largas y caracteres especiales', { number: 11, customer: { ...dniCustomer, name: 'MARÍA ÑAHUI & <HIJOS>' }, lines: [line({ description: LONG }), line({ description: 'CAFÉ "ESPECIAL" ó ñ ü > 3', taxAffectation: '20' })] }],
  ['boleta solo gratuita', { number: 12, lines: [line({ taxAffectation: '13', unitPrice: '11.80' })] }],
  ['boleta mixta completa', { number: 13, customer: dniCustomer, lines: mixed }],
  ['factura gravada', { ...factura, number: 1, lines: [line({ quantity: '10', unitPrice: '118.00' })] }],
  ['factura mixta con descuento e ICBPER', { ...factura, number: 2, lines: mixed }],
  ['factura exonerada e inafecta', { ...factura, number: 3, lines: [line({ taxAffectation: '20', unitPrice: '100' }), line({ taxAffectation: '30', unitPrice: '50' })] }],
  ['factura con gratuitos', { ...factura, number: 4, lines: [line(), line({ taxAffectation: '11', unitPrice: '118' }), line({ taxAffectation: '37', unitPrice: '10' })] }],
  ['factura de 60 líneas', { ...factura, number: 5, lines: Array.from({ length: 60 }, (_, i) => line({ description: `ARTÍCULO ${i + 1}`, quantity: `${i + 1}`, unitPrice: '2.36' })) }],
  ['factura con nombres especiales', { ...factura, number: 6, customer: { ...rucCustomer, name: 'COMERCIAL PEÑA & CÍA <S.A.C.>' }, lines: [line({ description: LONG })] }],
  ['nota de crédito de factura 01 anulación', { ...factura, documentType: '07', number: 7, reference: refFactura('01'), lines: [line({ quantity: '10', unitPrice: '118.00' })] }],
  ['nota de crédito de factura 07 devolución con descuento', { ...factura, documentType: '07', number: 8, reference: refFactura('07'), lines: mixed }],
  ['nota de crédito de boleta anónima', { documentType: '07', series: 'B001', number: 14, reference: refBoleta('06'), lines: [line(), line({ taxAffectation: '30' })] }],
  ['nota de crédito de boleta con gratuitos', { documentType: '07', series: 'B001', number: 15, customer: dniCustomer, reference: refBoleta('01'), lines: [line(), line({ taxAffectation: '12', unitPrice: '11.80' })] }],
  ['nota de débito de factura 02', { ...factura, documentType: '08', number: 9, reference: refFactura('02'), lines: [line({ description: 'AUMENTO DE VALOR', quantity: '1', unitPrice: '59.00', unitCode: 'ZZ' })] }],
  ['nota de débito de boleta 01 intereses', { documentType: '08', series: 'B001', number: 16, customer: dniCustomer, reference: refBoleta('01'), lines: [line({ description: 'INTERESES POR MORA', quantity: '1', unitPrice: '15', unitCode: 'ZZ', taxAffectation: '30' })] }],
  ['nota de débito con ICBPER', { ...factura, documentType: '08', number: 10, reference: refFactura('03'), lines: [line(), line({ description: 'BOLSA', quantity: '1', unitPrice: '0.10', bags: 1 })] }],
];

const totals = (lines: LineInput[]) => computeSale(lines).totals;
const anon = { docType: '-', docNumber: '-', name: '' };
const summaries: SummaryDocument[] = [
  {
    kind: 'RC', issuer, referenceDate: '2026-11-27', issueDate: '2026-11-28', correlative: 1,
    lines: [
      { documentType: '03', series: 'B001', number: 1, condition: '1', currency: 'PEN', customer: anon, totals: totals([{ quantity: '2', unitPrice: '3.50', taxAffectation: '10' }]) },
      { documentType: '03', series: 'B001', number: 9, condition: '3', currency: 'PEN', customer: dniCustomer, totals: totals([{ quantity: '1', unitPrice: '700.01', taxAffectation: '10' }]) },
      { documentType: '07', series: 'B001', number: 14, condition: '1', currency: 'PEN', customer: anon, reference: { documentType: '03', series: 'B001', number: 1 }, totals: totals([{ quantity: '2', unitPrice: '3.50', taxAffectation: '10' }]) },
      { documentType: '08', series: 'B001', number: 16, condition: '2', currency: 'PEN', customer: dniCustomer, reference: { documentType: '03', series: 'B001', number: 1 }, totals: totals([{ quantity: '1', unitPrice: '15', taxAffectation: '30' }]) },
    ],
  },
  {
    kind: 'RC', issuer, referenceDate: '2026-11-27', issueDate: '2026-11-28', correlative: 2,
    lines: [
      { documentType: '03', series: 'B001', number: 7, condition: '1', currency: 'PEN', customer: anon, totals: totals([{ quantity: '2', unitPrice: '3.50', taxAffectation: '10' }, { quantity: '3', unitPrice: '0.20', taxAffectation: '10', bags: 3 }]) },
      { documentType: '03', series: 'B001', number: 5, condition: '1', currency: 'PEN', customer: anon, totals: totals([{ quantity: '1', unitPrice: '10', taxAffectation: '20' }, { quantity: '1', unitPrice: '5', taxAffectation: '31' }]) },
    ],
  },
];
const voids: VoidedDocument[] = [
  { kind: 'RA', issuer, referenceDate: '2026-11-27', issueDate: '2026-11-28', correlative: 1, lines: [
    { documentType: '01', series: 'F001', number: 1, reason: 'ERROR EN EL RUC DEL CLIENTE' },
    { documentType: '01', series: 'F001', number: 2, reason: 'OPERACIÓN ANULADA & <DUPLICADA>' },
  ] },
  { kind: 'RA', issuer, referenceDate: '2026-11-27', issueDate: '2026-11-28', correlative: 2, lines: [
    { documentType: '07', series: 'F001', number: 7, reason: 'NOTA EMITIDA POR ERROR' },
    { documentType: '08', series: 'F001', number: 9, reason: 'NOTA EMITIDA POR ERROR' },
  ] },
];

function checkCpe(files: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(requireCheckCpe(), files, { env: CHECK_CPE_ENV });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

// The tools are required: without them every test here fails, naming what to install.
describe('SUNAT checker (check-cpe) on our signed documents', () => {
  let dir: string;
  let cert: DemoCertificate;
  const files: string[] = [];
  let report = '';

  beforeAll(async () => {
    requireCheckCpe();
    dir = mkdtempSync(join(tmpdir(), 'izs-cpe-'));
    cert = createDemoCertificate(ISSUER_RUC, 'MI BODEGA S.A.C.');
    for (const [name, over] of SALE_CASES) {
      const r = parseDocumentInput(input(over));
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.issues)}`);
      const b = buildSignedDocument(r.document, cert);
      writeFileSync(join(dir, `${b.fileName}.xml`), b.xml);
      files.push(join(dir, `${b.fileName}.xml`));
    }
    for (const m of [...summaries, ...voids]) {
      const b = buildSignedDocument(m, cert);
      writeFileSync(join(dir, `${b.fileName}.xml`), b.xml);
      files.push(join(dir, `${b.fileName}.xml`));
    }
    // The JVM starts once per file: two invocations in parallel use both cores.
    const half = Math.ceil(files.length / 2);
    const results = await Promise.all([checkCpe(files.slice(0, half)), checkCpe(files.slice(half))]);
    report = results.map((r) => r.out).join('\n');
    // The full report (with SUNAT observations, if any) helps whoever reads the CI log.
    console.log(report);
  }, 900_000);

  it('checks at least 25 documents of every kind', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    const kinds = new Set(files.map((f) => f.split('-')[3]));
    expect([...kinds].sort()).toEqual(['01', '03', '07', '08', 'RA', 'RC'].sort());
  });

  it('every document passes the schema, the SUNAT rules and the signature', () => {
    for (const f of files) {
      const name = f.split('/').pop()!;
      const lineOf = report.split('\n').find((l) => l.includes(` ${name}`));
      expect(lineOf, `no result for ${name}\n${report}`).toBeDefined();
      expect(lineOf, lineOf).toMatch(/^PASS /);
    }
    expect(report).not.toMatch(/^FAIL/m);
  });

  it('an altered signed document fails xmlsec1', () => {
    const original = readFileSync(files[0], 'utf8');
    const altered = original.replace(/(<cbc:PayableAmount currencyID="PEN">)([\d.]+)/, (_m, a: string, v: string) => a + Dec.of(v).plus('1').toFixed(2));
    expect(altered).not.toBe(original);
    const f = join(dir, 'altered.xml');
    writeFileSync(f, altered);
    const bad = spawnSync('xmlsec1', ['--verify', '--insecure', '--enabled-key-data', 'x509', f], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    const good = spawnSync('xmlsec1', ['--verify', '--insecure', '--enabled-key-data', 'x509', files[0]], { encoding: 'utf8' });
    expect(good.status, good.stderr).toBe(0);
  });
});

// SUNAT's homologation cases: we read each expected XML's lines (quantity, price, tax case), rebuild them with
// our tax math and must get the same amounts.
const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
const CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';

function kids(el: Element, ns: string, name: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (n as Element).localName === name && (n as Element).namespaceURI === ns) out.push(n as Element);
  return out;
}
const one = (el: Element, ns: string, name: string) => kids(el, ns, name)[0];
const path = (el: Element, ...steps: [string, string][]) => steps.reduce<Element | undefined>((e, [ns, n]) => (e ? one(e, ns, n) : undefined), el);

const HOMOLOGATION_CASES = [
  'Group1Test/factura1Con3Items.xml', 'Group1Test/factura4Con5Items.xml', 'Group1Test/notaDeCreditoDeFactura4.xml',
  'Group2ExoneradoTest/factura3Con7Items.xml', 'Group2InafectoTest/factura3Con7Items.xml',
  'Group2InafectoTest/notaDeDebitoDeFactura3.xml', 'Group3Test/factura1Con7Items.xml', 'Group3Test/factura4Con4Items.xml',
];

describe('SUNAT homologation cases rebuilt with our tax math', () => {
  it.each(HOMOLOGATION_CASES)('%s', (file) => {
    const xml = new TextDecoder('latin1').decode(readFileSync(join(HOMOLOGATION, file)));
    const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Element;
    const lineName = root.localName === 'Invoice' ? 'InvoiceLine' : root.localName === 'CreditNote' ? 'CreditNoteLine' : 'DebitNoteLine';
    const qtyName = root.localName === 'Invoice' ? 'InvoicedQuantity' : root.localName === 'CreditNote' ? 'CreditedQuantity' : 'DebitedQuantity';
    const lines = kids(root, CAC, lineName);
    expect(lines.length).toBeGreaterThan(0);
    const inputs: LineInput[] = lines.map((l) => {
      const code = path(l, [CAC, 'TaxTotal'], [CAC, 'TaxSubtotal'], [CAC, 'TaxCategory'], [CBC, 'TaxExemptionReasonCode'])!.textContent!.trim() as TaxAffectation;
      const alt = path(l, [CAC, 'PricingReference'], [CAC, 'AlternativeConditionPrice'])!;
      const priceType = one(alt, CBC, 'PriceTypeCode').textContent!.trim();
      const price = Dec.of(one(alt, CBC, 'PriceAmount').textContent!.trim());
      // A free gravado line's referential price is its value without IGV; our input is the price with IGV.
      const unitPrice = priceType === '02' && code.startsWith('1') ? price.times('1.18') : price;
      return { quantity: one(l, CBC, qtyName).textContent!.trim(), unitPrice: unitPrice.toString(), taxAffectation: code };
    });
    const sale = computeSale(inputs);
    lines.forEach((l, i) => {
      expect(sale.lines[i].value.toFixed(2), `line ${i + 1} LineExtensionAmount`).toBe(Dec.of(one(l, CBC, 'LineExtensionAmount').textContent!.trim()).toFixed(2));
      const sub = path(l, [CAC, 'TaxTotal'], [CAC, 'TaxSubtotal'])!;
      expect(sale.lines[i].igv.toFixed(2), `line ${i + 1} TaxAmount`).toBe(Dec.of(one(sub, CBC, 'TaxAmount').textContent!.trim()).toFixed(2));
    });
    const monetary = one(root, CAC, root.localName === 'DebitNote' ? 'RequestedMonetaryTotal' : 'LegalMonetaryTotal');
    expect(sale.totals.payable.toFixed(2)).toBe(Dec.of(one(monetary, CBC, 'PayableAmount').textContent!.trim()).toFixed(2));
    expect(sale.totals.lineExtension.toFixed(2)).toBe(Dec.of(one(monetary, CBC, 'LineExtensionAmount').textContent!.trim()).toFixed(2));
    expect(sale.totals.igv.toFixed(2)).toBe(Dec.of(one(one(root, CAC, 'TaxTotal'), CBC, 'TaxAmount').textContent!.trim()).toFixed(2));
  });

  it('the homologation folder has the cases this test reads', () => {
    expect(readdirSync(HOMOLOGATION).length).toBeGreaterThanOrEqual(7);
  });
});
