// Spanish (es-PE) text for any SUNAT return code, from SUNAT's own catalog (resources/sunat/error-codes.json).
import catalog from '../../resources/sunat/error-codes.json';
import { normaliseCode } from './faults';

const CODES = catalog as Record<string, string>;

// Ticket statuses and transport failures are not in SUNAT's catalog but reach the same screens.
const EXTRA: Record<string, string> = {
  '0000': 'Aceptado por SUNAT',
  '0098': 'SUNAT aún está procesando el envío; se consultará nuevamente más tarde',
  '0099': 'SUNAT procesó el envío con errores',
};

/** The catalog text for a code ("0111", "111", "Client.0111"); a generic message for an unknown one. */
export function sunatMessage(code: string | number | null | undefined): string {
  const norm = normaliseCode(code);
  if (norm === null) return 'Respuesta de SUNAT sin código: se reintentará el envío';
  return CODES[norm] ?? EXTRA[norm] ?? `Código de SUNAT ${norm} no figura en el catálogo`;
}

export function hasCatalogText(code: string | number): boolean {
  const norm = normaliseCode(code);
  return norm !== null && norm in CODES;
}
