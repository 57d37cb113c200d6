// Identity documents (SUNAT catalog 06) and their validation.

export const IDENTITY_DOC_TYPES = {
  '0': 'Doc. trib. no domiciliado sin RUC',
  '1': 'DNI',
  '4': 'Carné de extranjería',
  '6': 'RUC',
  '7': 'Pasaporte',
  A: 'Cédula diplomática de identidad',
  '-': 'Varios (sin documento)',
} as const;
export type IdentityDocType = keyof typeof IDENTITY_DOC_TYPES;

/** The anonymous customer of a boleta ("Clientes varios"). */
export const ANONYMOUS_CUSTOMER = { docType: '-' as IdentityDocType, docNumber: '-', name: 'CLIENTES VARIOS' };

const RUC_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
const RUC_PREFIXES = ['10', '15', '16', '17', '20'];

export function rucCheckDigit(first10: string): number {
  let total = 0;
  for (let i = 0; i < 10; i++) total += Number(first10[i]) * RUC_WEIGHTS[i];
  const r = 11 - (total % 11);
  return r === 10 ? 0 : r === 11 ? 1 : r;
}

/** Returns null when valid, otherwise the reason in Spanish. */
export function rucError(ruc: string): string | null {
  if (!/^\d{11}$/.test(ruc)) return 'El RUC debe tener 11 dígitos.';
  if (!RUC_PREFIXES.includes(ruc.slice(0, 2))) return 'El RUC debe empezar con 10, 15, 16, 17 o 20.';
  if (rucCheckDigit(ruc.slice(0, 10)) !== Number(ruc[10])) return 'El RUC no es válido (dígito verificador incorrecto).';
  return null;
}

export function isValidRuc(ruc: string): boolean {
  return rucError(ruc) === null;
}

/** Validates a document number for its type; null when valid, otherwise the reason in Spanish. */
export function identityDocError(docType: string, docNumber: string): string | null {
  const n = docNumber.trim();
  switch (docType) {
    case '1':
      return /^\d{8}$/.test(n) ? null : 'El DNI debe tener 8 dígitos.';
    case '6':
      return rucError(n);
    case '4':
      return /^[A-Za-z0-9]{8,12}$/.test(n) ? null : 'El carné de extranjería debe tener de 8 a 12 caracteres alfanuméricos.';
    case '7':
      return /^[A-Za-z0-9]{6,12}$/.test(n) ? null : 'El pasaporte debe tener de 6 a 12 caracteres alfanuméricos.';
    case 'A':
      return /^[A-Za-z0-9]{1,15}$/.test(n) ? null : 'La cédula diplomática debe tener hasta 15 caracteres alfanuméricos.';
    case '0':
      return /^[A-Za-z0-9-]{1,15}$/.test(n) ? null : 'El documento debe tener hasta 15 caracteres.';
    case '-':
      return null;
    default:
      return `Tipo de documento de identidad desconocido: ${docType}.`;
  }
}

export function isIdentified(docType: string): boolean {
  return docType !== '-' && docType !== '0';
}
