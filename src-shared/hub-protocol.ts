// The wire between a terminal and the head-office hub (issue 16; DESIGN §7). Both sides validate with these schemas:
// the hub every request, the terminal every answer. JSON over HTTP(S); every call but enrolment carries
// `Authorization: Bearer <token>` (the terminal's secret, given once at enrolment).
//
//   POST /hub/v1/enrol   EnrolRequest  → EnrolResponse     (one-time code; no token yet)
//   POST /hub/v1/push    PushRequest   → PushResponse      (terminal → hub: the outbox, in order)
//   GET  /hub/v1/pull?after=N&limit=M  → PullResponse      (hub → terminal: catalog, users, customers, settings)
//   GET  /hub/v1/own?after=N&limit=M   → OwnResponse       (hub → terminal: its own records back, after a restore)
//
// Identity: every record a terminal creates has a `uid` (32 hex characters, random, given at insert and never
// changed), so a restored backup that reuses local ids never overwrites what the hub holds. The hub keys a record by
// (terminal id, kind, uid) and applies it with an idempotent upsert: the same record sent twice changes nothing;
// a newer version of it (`version` higher: the terminal's outbox sequence of its latest change) replaces the row.
import { z } from 'zod';
import { TERMINAL_ROLES } from './hub-contract';

export const HUB_PROTOCOL_VERSION = 1;
export const HUB_PATHS = {
  enrol: '/hub/v1/enrol',
  push: '/hub/v1/push',
  pull: '/hub/v1/pull',
  own: '/hub/v1/own',
} as const;
/** At most this many records in one push, and changes in one pull (the sender may send fewer). */
export const HUB_BATCH_MAX = 500;

const uid = z.string().regex(/^[0-9a-f]{32}$/, 'uid no válido (32 hexadecimales).');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const isoTime = z.string().min(10).max(40);
const ruc = z.string().regex(/^\d{11}$/, 'RUC no válido (11 dígitos).');
/** SUNAT's establishment code (catalog: "0000" is the main address). */
const establishment = z.string().regex(/^\d{4}$/, 'Código de establecimiento no válido (4 dígitos, p. ej. 0000).');
const series = z.string().regex(/^[BF][A-Z0-9]{3}$/, 'Serie no válida.');
const cents = z.number().int();
const row = z.record(z.string(), z.unknown());

/** A product as the hub owns it and sends it (its code is the till's sku). */
export const hubProduct = z.object({
  code: z.string(), barcode: z.string().nullable(), name: z.string(), unit: z.string(),
  /** IGV included, "12.50". */
  price: z.string(), taxAffectation: z.string(), isBag: z.boolean(), active: z.boolean(),
});

/** A terminal's user as the hub sends it (pull): the PIN travels only as the product's hash (pin-hash.ts). */
const hubUserData = z.object({ username: z.string(), name: z.string(), role: z.enum(TERMINAL_ROLES), pinHash: z.string(), active: z.boolean() });
/** And as a till brings it at enrolment (see enrolRequest), checked before the hub stores it. */
export const hubTillUser = hubUserData.extend({
  username: z.string().min(1).max(60), name: z.string().min(1).max(120),
  pinHash: z.string().regex(/^scrypt\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'Hash de PIN no válido.'),
});
export type HubTillUser = z.infer<typeof hubTillUser>;

// ── Enrolment ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** What the terminal already used before enrolling: its history keeps these numbers. */
export const seriesInUse = z.object({
  /** The key of the terminal's `series` row: '01', '03', '07-01', '07-03', '08-01', '08-03'. */
  documentType: z.string().regex(/^(01|03|0[78]-0[13])$/),
  series,
  /** The next number the terminal would issue (1: never used). */
  nextNumber: z.number().int().min(1),
});
export type SeriesInUse = z.infer<typeof seriesInUse>;

export const enrolRequest = z.object({
  code: z.string().trim().min(6).max(40),
  terminal: z.object({
    /** The RUC the terminal's own store settings hold (null: not set up yet); refused when not the store's. */
    ruc: ruc.nullable(),
    appVersion: z.string().max(40),
    seriesInUse: z.array(seriesInUse).max(12),
    /**
     * The till's own catalog: the hub adds the products whose code (or barcode) it does not hold yet, so a store's
     * first till brings its catalog to the hub's Catálogo; what the hub already holds stays as it is (it owns it).
     */
    catalog: z.array(hubProduct.extend({ price: z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, 'Precio no válido (12.50).') })).max(200_000).optional(),
    /**
     * The till's own users, the same way: the hub adds the usernames it does not hold yet (a store's first till
     * brings its users to the hub's Usuarios); a username the hub holds stays the hub's, PIN and role included.
     */
    users: z.array(hubTillUser).max(1_000).optional(),
  }),
});
export type EnrolRequest = z.infer<typeof enrolRequest>;

export const enrolResponse = z.object({
  protocol: z.literal(HUB_PROTOCOL_VERSION),
  /** The terminal's global identity (a UUID) and its name on the hub (e.g. "CAJA-01"). */
  terminalId: z.string().uuid(),
  terminalName: z.string(),
  /** The secret for every later call; stored by the terminal with its other secrets, never logged. */
  token: z.string().min(32),
  store: z.object({ ruc, establishment, name: z.string(), address: z.string().nullable() }),
  /**
   * The series this terminal issues from now on, one per key. The hub never gives a series of a RUC to two
   * terminals; a series the terminal already used is kept when no other terminal of the RUC holds it.
   */
  series: z.array(z.object({ documentType: seriesInUse.shape.documentType, series })),
  /** How many of the till's products the hub added to its catalog (absent: an older hub). */
  catalogAdded: z.number().int().min(0).optional(),
  /** The till's users the hub added, and those it already held (on the till they take the hub's PIN and role). */
  usersAdded: z.array(z.string()).optional(),
  usersKept: z.array(z.string()).optional(),
});
export type EnrolResponse = z.infer<typeof enrolResponse>;

// ── Upload (terminal → hub) ───────────────────────────────────────────────────────────────────────────────────────

/**
 * One record as the terminal holds it now. `head` carries the fields the hub indexes and reports on (typed per
 * kind); `data` the whole aggregate as stored (the rows with their column names: the sale with its lines, payments,
 * instalments and stock moves; the document with its signed XML and CDR as base64), kept by the hub as JSON.
 */
const base = { uid, version: z.number().int().positive() };

export const saleHead = z.object({
  issueDate: isoDate, issuedAt: isoTime, documentType: z.enum(['01', '03']), series, correlative: z.number().int().positive(),
  number: z.string(), status: z.string(), totalCents: cents, userName: z.string(), customerDocNumber: z.string(),
});
export const noteHead = z.object({
  issueDate: isoDate, issuedAt: isoTime, documentType: z.enum(['07', '08']), series, correlative: z.number().int().positive(),
  number: z.string(), totalCents: cents, reference: z.string(), reasonCode: z.string(),
});
export const documentHead = z.object({
  /** 01, 03, 07, 08, RC, RA. */
  documentType: z.string(), number: z.string(), issueDate: isoDate, status: z.string(),
  /** uid of the sale or note it is the document of (null for a summary or a void batch). */
  ownerUid: uid.nullable(), cdrCode: z.string().nullable(), simulated: z.boolean(),
});
export const cashSessionHead = z.object({
  openedAt: isoTime, closedAt: isoTime.nullable(), cashierName: z.string().nullable(), zNumber: z.number().int().nullable(),
});
export const customerHead = z.object({ docType: z.string(), docNumber: z.string(), name: z.string() });
export const auditHead = z.object({ at: isoTime, action: z.string() });
export const moneyHead = z.object({ at: isoTime, amountCents: cents });

export const hubRecord = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sale'), ...base, head: saleHead, data: row }),
  z.object({ kind: z.literal('note'), ...base, head: noteHead, data: row }),
  z.object({ kind: z.literal('document'), ...base, head: documentHead, data: row }),
  z.object({ kind: z.literal('cash_session'), ...base, head: cashSessionHead, data: row }),
  /** A paid-in / paid-out. */
  z.object({ kind: z.literal('cash_move'), ...base, head: moneyHead, data: row }),
  /** A payment received later for a sale on credit. */
  z.object({ kind: z.literal('collection'), ...base, head: moneyHead, data: row }),
  /** A customer created or edited on the terminal: the hub merges it by (docType, docNumber). */
  z.object({ kind: z.literal('customer'), ...base, head: customerHead, data: row }),
  z.object({ kind: z.literal('audit'), ...base, head: auditHead, data: row }),
]);
export type HubRecord = z.infer<typeof hubRecord>;
export type HubRecordKind = HubRecord['kind'];

export const pushRequest = z.object({
  terminalId: z.string().uuid(),
  /** The outbox sequences this batch covers (inclusive); the records are the latest state of each changed record. */
  fromSeq: z.number().int().positive(),
  toSeq: z.number().int().positive(),
  records: z.array(hubRecord).max(HUB_BATCH_MAX),
  /** Outbox rows left after this batch (not sent yet), for the hub's screens; terminals before it was added omit it. */
  backlog: z.number().int().min(0).optional(),
});
export type PushRequest = z.infer<typeof pushRequest>;

export const pushResponse = z.object({
  /** The highest outbox sequence the hub has applied for this terminal (the terminal may drop its rows up to it). */
  appliedSeq: z.number().int().min(0),
  /** The hub's clock when it answered (issue 17 compares clocks with it). */
  serverTime: isoTime,
});
export type PushResponse = z.infer<typeof pushResponse>;

// ── Download (hub → terminal) ─────────────────────────────────────────────────────────────────────────────────────

/** One change of what the hub owns once a terminal is enrolled; `seq` is hub-wide and only grows. */
export const hubChange = z.discriminatedUnion('entity', [
  z.object({
    seq: z.number().int().positive(), entity: z.literal('product'), key: z.string() /* product code */,
    data: hubProduct,
  }),
  z.object({
    seq: z.number().int().positive(), entity: z.literal('user'), key: z.string() /* username */,
    data: hubUserData,
  }),
  z.object({
    seq: z.number().int().positive(), entity: z.literal('customer'), key: z.string() /* docType-docNumber */,
    data: z.object({ docType: z.string(), docNumber: z.string(), name: z.string(), address: z.string().nullable() }),
  }),
  z.object({
    seq: z.number().int().positive(), entity: z.literal('setting'), key: z.string() /* settings key */,
    data: z.object({ value: z.unknown() }),
  }),
]);
export type HubChange = z.infer<typeof hubChange>;

export const pullResponse = z.object({
  changes: z.array(hubChange).max(HUB_BATCH_MAX),
  /** The highest seq in `changes` (or `after` when none): the terminal asks after it next time. */
  lastSeq: z.number().int().min(0),
  more: z.boolean(),
  serverTime: isoTime,
});
export type PullResponse = z.infer<typeof pullResponse>;

/** The terminal's own records back (after a restore from a backup), in the order the hub received them. */
export const ownResponse = z.object({
  records: z.array(hubRecord.and(z.object({ hubSeq: z.number().int().positive() }))).max(HUB_BATCH_MAX),
  lastSeq: z.number().int().min(0),
  more: z.boolean(),
  /** The highest outbox sequence the hub applied for this terminal. */
  appliedSeq: z.number().int().min(0),
});
export type OwnResponse = z.infer<typeof ownResponse>;

/** Errors: any non-2xx answer has this body; the terminal shows `message` (Spanish) and never the token. */
export const hubError = z.object({ error: z.string(), message: z.string() });
export type HubError = z.infer<typeof hubError>;
