// Units of measure (SUNAT catalog 03, UN/ECE rec. 20): the small set a Peruvian store uses on its receipts.

export const UNIT_CODES = {
  NIU: 'Unidad (bienes)',
  ZZ: 'Unidad (servicios)',
  KGM: 'Kilogramo',
  GRM: 'Gramo',
  LTR: 'Litro',
  MLT: 'Mililitro',
  GLL: 'Galón',
  MTR: 'Metro',
  CMT: 'Centímetro',
  MTK: 'Metro cuadrado',
  MTQ: 'Metro cúbico',
  BX: 'Caja',
  PK: 'Paquete',
  DZN: 'Docena',
  BO: 'Botella',
  BG: 'Bolsa',
  CA: 'Lata',
  PR: 'Par',
  SET: 'Juego',
  TNE: 'Tonelada',
} as const;
export type UnitCode = keyof typeof UNIT_CODES;

export function isUnitCode(code: string): code is UnitCode {
  return Object.prototype.hasOwnProperty.call(UNIT_CODES, code);
}
