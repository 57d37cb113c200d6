// What a hub administrator sets up: stores (RUC + SUNAT establishment code) and terminals, each with a one-time
// enrolment code shown once and kept only as its SHA-256.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { rucError } from '../../src-shared/identity';
import type { HubDb } from './db';
import { HubRefusal } from './refusal';

export const CODE_DAYS = 7;
// No 0/O, 1/I/L: a code is read aloud and typed.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
/** Dashes, spaces and case do not matter when the code is typed. */
export const normaliseCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

function newCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

export interface StoreInput { ruc: string; establishment: string; name: string; address?: string | null }

/** The store as it will be stored, or a refusal (checked before the database is even opened). */
export function checkStore(input: StoreInput): { ruc: string; establishment: string; name: string; address: string | null } {
  const ruc = input.ruc.trim();
  const problem = rucError(ruc);
  if (problem) throw new HubRefusal(400, 'ruc_no_valido', problem);
  const establishment = input.establishment.trim();
  if (!/^\d{4}$/.test(establishment)) throw new HubRefusal(400, 'establecimiento_no_valido', 'Código de establecimiento no válido: 4 dígitos, p. ej. 0000 (el domicilio fiscal).');
  const name = input.name.trim();
  if (!name || name.length > 120) throw new HubRefusal(400, 'nombre_no_valido', 'El nombre de la tienda es obligatorio (hasta 120 caracteres).');
  return { ruc, establishment, name, address: input.address?.trim() || null };
}

export async function addStore(db: HubDb, input: StoreInput): Promise<{ id: number; key: string }> {
  const { ruc, establishment, name, address } = checkStore(input);
  const row = await db.insertInto('stores')
    .values({ ruc, establishment, name, address })
    .onConflict((oc) => oc.columns(['ruc', 'establishment']).doNothing())
    .returning('id').executeTakeFirst();
  if (!row) throw new HubRefusal(409, 'tienda_existe', `La tienda ${ruc}-${establishment} ya existe.`);
  return { id: row.id, key: `${ruc}-${establishment}` };
}

export interface TerminalCode {
  terminalId: string;
  /** The one-time code, in clear only here: the hub keeps its hash. */
  code: string;
  expiresAt: Date;
  /** A terminal of that name already existed: this is a new code for it (a reinstalled till). */
  existing: boolean;
}

/** `store` is "RUC-CODE" (e.g. 20123456786-0000). A new name adds a terminal; an existing one gets a new code. */
export async function addTerminal(db: HubDb, input: { store: string; name: string }): Promise<TerminalCode> {
  const m = /^(\d{11})-(\d{4})$/.exec(input.store.trim());
  if (!m) throw new HubRefusal(400, 'tienda_no_valida', `Tienda no válida: ${input.store} (use RUC-ESTABLECIMIENTO, p. ej. 20123456786-0000).`);
  const name = input.name.trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9 _-]{0,29}$/.test(name)) throw new HubRefusal(400, 'nombre_no_valido', 'Nombre de caja no válido: letras, números y guiones, hasta 30 (p. ej. CAJA-01).');
  return db.transaction().execute(async (tx) => {
    const store = await tx.selectFrom('stores').select('id').where('ruc', '=', m[1]).where('establishment', '=', m[2]).executeTakeFirst();
    if (!store) throw new HubRefusal(404, 'tienda_no_existe', `No existe la tienda ${m[1]}-${m[2]}: créela con "izisales hub store add".`);
    const found = await tx.selectFrom('terminals').select('id').where('store_id', '=', store.id).where('name', '=', name).executeTakeFirst();
    const terminalId = found?.id ?? randomUUID();
    if (!found) await tx.insertInto('terminals').values({ id: terminalId, store_id: store.id, name }).execute();
    // An earlier code not used yet stops working: only the newest one enrols.
    await tx.deleteFrom('enrolment_codes').where('terminal_id', '=', terminalId).where('used_at', 'is', null).execute();
    const code = newCode();
    const expiresAt = new Date(Date.now() + CODE_DAYS * 86_400_000);
    await tx.insertInto('enrolment_codes').values({ code_hash: sha256(normaliseCode(code)), terminal_id: terminalId, expires_at: expiresAt }).execute();
    return { terminalId, code, expiresAt, existing: Boolean(found) };
  });
}
