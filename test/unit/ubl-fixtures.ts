// Shared inputs for the SUNAT document tests: valid RUCs, an issuer, and JSON inputs like `document build` takes.
import { DOMParser } from '@xmldom/xmldom';
import xpath from 'xpath';
import { NS } from '../../src-main/sunat/ubl/common';
import { rucCheckDigit } from '../../src-shared/identity';
import { parseDocumentInput, type DocumentInput } from '../../src-main/sunat/document-input';
import type { SaleDocument } from '../../src-main/sunat/model';

export function validRuc(first10: string): string {
  return first10 + rucCheckDigit(first10);
}

export const ISSUER_RUC = validRuc('2012345678');
export const CUSTOMER_RUC = validRuc('2060000000');

export const issuer = {
  ruc: ISSUER_RUC,
  name: 'MI BODEGA & HNOS S.A.C.',
  tradeName: 'Mi Bodega <Ñaña>',
  address: 'AV. LIMA 123, MIRAFLORES',
  ubigeo: '150122',
  establishmentCode: '0000',
};

export const rucCustomer = { docType: '6', docNumber: CUSTOMER_RUC, name: 'DISTRIBUIDORA ÑUÑOA E.I.R.L.' };
export const dniCustomer = { docType: '1', docNumber: '45678912', name: 'ANA TORRES ÑAHUI' };

type Line = DocumentInput['lines'][number];
export const line = (over: Partial<Line> = {}): Line => ({
  description: 'GASEOSA 500ML', quantity: '2', unitCode: 'NIU', unitPrice: '3.50', taxAffectation: '10', ...over,
});

export function input(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer, documentType: '03', series: 'B001', number: 15, issueDate: '2026-11-27', issueTime: '10:15:00',
    currency: 'PEN', lines: [line()], ...over,
  };
}

/** Parses an input that must be valid. */
export function model(over: Record<string, unknown> = {}): SaleDocument {
  const r = parseDocumentInput(input(over));
  if (!r.ok) throw new Error('invalid fixture: ' + JSON.stringify(r.issues));
  return r.document;
}


const select = xpath.useNamespaces({
  inv: NS.invoice, cn: NS.creditNote, dn: NS.debitNote, sum: NS.summary, voi: NS.voided,
  cac: NS.cac, cbc: NS.cbc, ext: NS.ext, ds: NS.ds, sac: NS.sac,
});

/** Text of every node an XPath selects (namespace prefixes as in UBL; roots inv/cn/dn/sum/voi). */
export function texts(xml: string, path: string): string[] {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const nodes = select(path, doc as unknown as Node) as unknown as { textContent: string | null; value?: string }[];
  return nodes.map((n) => (n.value !== undefined ? n.value : n.textContent ?? ''));
}

export function text(xml: string, path: string): string {
  const all = texts(xml, path);
  if (all.length !== 1) throw new Error(`${path}: ${all.length} nodes`);
  return all[0];
}
