// The JSON input of `izisales document build`: structure checked with zod, then SUNAT's rules, every problem
// reported as { field, message } in Spanish so the user can fix them all at once.
import { z } from 'zod';
import { Dec } from '../../src-shared/decimal';
import { BOLETA_ANONYMOUS_LIMIT } from '../../src-shared/documents';
import { IDENTITY_DOC_TYPES, identityDocError, isIdentified, rucError } from '../../src-shared/identity';
import {
  DEFAULT_RATES, TAX_AFFECTATION_CODES, TaxInputError, computeLine, computeTotals, type LineAmounts, type TaxAffectation,
} from '../../src-shared/tax';
import type { Customer, DocumentLine, SaleDocument } from './model';

export interface InputIssue {
  field: string;
  message: string;
}

/** Catalog 09 (credit note reasons) and catalog 10 (debit note reasons). */
export const CREDIT_NOTE_REASONS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13'] as const;
export const DEBIT_NOTE_REASONS = ['01', '02', '03', '11', '12'] as const;

/** Above this total a boleta must identify its customer (DESIGN §5). */

const DECIMAL = /^\d{1,12}(\.\d{1,10})?$/;
const decimalString = (what: string) =>
  z.string({ error: `${what}: escriba el número como texto, por ejemplo "3.50".` })
    .regex(DECIMAL, { error: `${what}: debe ser un número decimal con punto, por ejemplo "3.50" (hasta 10 decimales).` });

// Control characters cannot be written in XML 1.0 at all.
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const text = (what: string, max: number) =>
  z.string({ error: `Falta ${what}.` }).trim().min(1, { error: `Falta ${what}.` }).max(max, { error: `${cap(what)}: máximo ${max} caracteres.` })
    .refine((v) => !CONTROL.test(v), { error: `${cap(what)}: contiene caracteres de control no permitidos.` });

function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const lineSchema = z.object({
  description: text('la descripción del producto', 500),
  code: z.string().trim().max(30, { error: 'El código del producto tiene máximo 30 caracteres.' }).optional(),
  quantity: decimalString('La cantidad'),
  unitCode: text('la unidad de medida (por ejemplo NIU)', 3),
  unitPrice: decimalString('El precio unitario'),
  taxAffectation: z.enum(TAX_AFFECTATION_CODES as [TaxAffectation, ...TaxAffectation[]], {
    error: `Tipo de afectación del IGV desconocido; use uno del catálogo 07: ${TAX_AFFECTATION_CODES.join(', ')}.`,
  }),
  discount: decimalString('El descuento').optional(),
  bags: z.number({ error: 'Las bolsas deben ser un número entero.' }).int({ error: 'Las bolsas deben ser un número entero.' })
    .min(0, { error: 'Las bolsas no pueden ser negativas.' }).optional(),
});

const docTypes = Object.keys(IDENTITY_DOC_TYPES) as [string, ...string[]];

export const documentInputSchema = z.object({
  issuer: z.object({
    ruc: z.string({ error: 'Falta el RUC del emisor.' }),
    name: text('la razón social del emisor', 1500),
    tradeName: z.string().trim().max(1500).optional(),
    address: z.string().trim().max(200, { error: 'La dirección tiene máximo 200 caracteres.' }).optional(),
    ubigeo: z.string().regex(/^\d{6}$/, { error: 'El ubigeo debe tener 6 dígitos.' }).optional(),
    establishmentCode: z.string().regex(/^\d{4}$/, { error: 'El código de establecimiento debe tener 4 dígitos (0000 para el domicilio fiscal).' }).default('0000'),
  }, { error: 'Faltan los datos del emisor (issuer).' }),
  documentType: z.enum(['01', '03', '07', '08'], { error: 'Tipo de comprobante no válido: use 01 (factura), 03 (boleta), 07 (nota de crédito) u 08 (nota de débito).' }),
  series: z.string({ error: 'Falta la serie.' }).regex(/^[BF][A-Z0-9]{3}$/, { error: 'La serie debe tener 4 caracteres y empezar con B o F (por ejemplo B001).' }),
  number: z.number({ error: 'El número debe ser un entero.' }).int({ error: 'El número debe ser un entero.' })
    .min(1, { error: 'El número debe ser mayor que cero.' }).max(99999999, { error: 'El número tiene como máximo 8 dígitos.' }),
  issueDate: z.string({ error: 'Falta la fecha de emisión.' }).refine(isRealDate, { error: 'La fecha de emisión no es válida; use AAAA-MM-DD.' }),
  issueTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, { error: 'La hora de emisión no es válida; use HH:MM:SS.' }).default('00:00:00'),
  currency: z.enum(['PEN', 'USD'], { error: 'La moneda debe ser PEN o USD.' }).default('PEN'),
  customer: z.object({
    docType: z.enum(docTypes, { error: `Tipo de documento del cliente desconocido; use uno del catálogo 06: ${docTypes.join(', ')}.` }),
    docNumber: z.string().trim().default('-'),
    name: z.string().trim().max(1500).default(''),
    address: z.string().trim().max(200).optional(),
  }).optional(),
  lines: z.array(lineSchema, { error: 'Faltan las líneas del comprobante.' }).min(1, { error: 'El comprobante debe tener al menos una línea.' }),
  reference: z.object({
    documentType: z.enum(['01', '03'], { error: 'El documento que se modifica debe ser 01 (factura) o 03 (boleta).' }),
    series: z.string({ error: 'Falta la serie del documento que se modifica.' }).regex(/^[BF][A-Z0-9]{3}$/, { error: 'La serie del documento que se modifica no es válida.' }),
    number: z.number({ error: 'El número del documento que se modifica debe ser un entero.' }).int().min(1).max(99999999),
    reasonCode: z.string({ error: 'Falta el código de motivo de la nota.' }),
    reason: text('el motivo de la nota', 250),
  }).optional(),
});

export type DocumentInput = z.input<typeof documentInputSchema>;

/** zod path → "lines[0].unitPrice". */
function fieldName(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(documento)';
}

export type DocumentInputResult = { ok: true; document: SaleDocument } | { ok: false; issues: InputIssue[] };

/** Validates the input and computes every amount; returns all problems found. */
export function parseDocumentInput(raw: unknown): DocumentInputResult {
  const parsed = documentInputSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ field: fieldName(i.path), message: i.message })) };
  }
  const input = parsed.data;
  const issues: InputIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });

  const rucProblem = rucError(input.issuer.ruc);
  if (rucProblem) add('issuer.ruc', `RUC del emisor: ${rucProblem}`);

  const type = input.documentType;
  if (type === '01' && !input.series.startsWith('F')) add('series', 'La serie de una factura debe empezar con F (por ejemplo F001).');
  if (type === '03' && !input.series.startsWith('B')) add('series', 'La serie de una boleta debe empezar con B (por ejemplo B001).');

  // The document a note modifies decides its series letter and how its customer is identified.
  let baseType: '01' | '03' = type === '01' || type === '03' ? type : '03';
  if (type === '07' || type === '08') {
    const ref = input.reference;
    if (!ref) {
      add('reference', 'Una nota de crédito o débito debe indicar el documento que modifica (reference).');
    } else {
      baseType = ref.documentType;
      const letter = ref.documentType === '01' ? 'F' : 'B';
      if (!ref.series.startsWith(letter)) {
        add('reference.series', `La serie de una ${ref.documentType === '01' ? 'factura' : 'boleta'} debe empezar con ${letter}.`);
      }
      if (!input.series.startsWith(letter)) {
        add('series', `Una nota sobre una ${ref.documentType === '01' ? 'factura' : 'boleta'} debe usar una serie que empiece con ${letter}.`);
      }
      const reasons: readonly string[] = type === '07' ? CREDIT_NOTE_REASONS : DEBIT_NOTE_REASONS;
      if (!reasons.includes(ref.reasonCode)) {
        add('reference.reasonCode', `Motivo no válido para una nota de ${type === '07' ? 'crédito (catálogo 09' : 'débito (catálogo 10'}: use ${reasons.join(', ')}).`);
      }
    }
  } else if (input.reference) {
    add('reference', 'Solo las notas de crédito o débito llevan documento de referencia.');
  }

  const c = input.customer;
  const identified = !!c && isIdentified(c.docType);
  if (c && identified) {
    const docProblem = identityDocError(c.docType, c.docNumber);
    if (docProblem) add('customer.docNumber', docProblem);
    if (c.name.length < 3) add('customer.name', 'Falta el nombre o razón social del cliente (al menos 3 caracteres).');
  }
  if (baseType === '01' && (!c || c.docType !== '6')) {
    add('customer.docType', type === '01'
      ? 'Una factura requiere el RUC del cliente (docType "6").'
      : 'Una nota sobre una factura requiere el RUC del cliente (docType "6").');
  }

  const amounts: (LineAmounts | null)[] = input.lines.map((l, i) => {
    if (l.bags && l.bags > 0 && !Dec.of(l.quantity).eq(l.bags)) {
      add(`lines[${i}].bags`, 'Las bolsas plásticas (ICBPER) van en su propia línea: la cantidad debe ser igual al número de bolsas.');
    }
    try {
      return computeLine({
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        taxAffectation: l.taxAffectation,
        discount: l.discount && !Dec.of(l.discount).isZero() ? { kind: 'amount', value: l.discount } : null,
        bags: l.bags ?? 0,
      }, DEFAULT_RATES);
    } catch (e) {
      if (!(e instanceof TaxInputError)) throw e;
      const msg = e.message.charAt(0).toUpperCase() + e.message.slice(1) + '.';
      const field = /cantidad/.test(msg) ? 'quantity' : /descuento/.test(msg) ? 'discount' : /precio/.test(msg) ? 'unitPrice' : /bolsas/.test(msg) ? 'bags' : 'taxAffectation';
      add(`lines[${i}].${field}`, msg);
      return null;
    }
  });
  if (issues.length > 0) return { ok: false, issues };

  const lineAmounts = amounts as LineAmounts[];
  const totals = computeTotals(lineAmounts);
  if (baseType === '03' && !identified && totals.payable.gt(BOLETA_ANONYMOUS_LIMIT)) {
    add('customer', `Una boleta de más de S/ ${BOLETA_ANONYMOUS_LIMIT} debe identificar al cliente (DNI u otro documento); el total es S/ ${totals.payable.toFixed(2)}.`);
  }
  if (issues.length > 0) return { ok: false, issues };

  const customer: Customer = c && identified
    ? { docType: c.docType, docNumber: c.docNumber, name: c.name, address: c.address }
    : { docType: c?.docType ?? '-', docNumber: c && c.docNumber && c.docNumber !== '-' ? c.docNumber : '-', name: c?.name || 'CLIENTES VARIOS' };
  const lines: DocumentLine[] = input.lines.map((l, i) => ({
    description: l.description, unitCode: l.unitCode, code: l.code || undefined, amounts: lineAmounts[i],
  }));
  const base = {
    issuer: {
      ruc: input.issuer.ruc, name: input.issuer.name, tradeName: input.issuer.tradeName || undefined,
      address: input.issuer.address || undefined, ubigeo: input.issuer.ubigeo, establishmentCode: input.issuer.establishmentCode,
    },
    series: input.series, number: input.number, issueDate: input.issueDate, issueTime: input.issueTime,
    currency: input.currency, customer, lines, totals, rates: DEFAULT_RATES,
  };
  if (type === '07' || type === '08') {
    const ref = input.reference!;
    return { ok: true, document: { ...base, documentType: type, reference: { ...ref } } };
  }
  return { ok: true, document: { ...base, documentType: type } };
}
