// A clock SUNAT trusts (issue 17, item 5). The PC's clock dates every receipt; a dead CMOS battery or a wrong time
// zone dates them so that SUNAT refuses them. The terminal compares its clock with a trusted time — the HTTP `Date`
// of SUNAT's (or an OSE's) answers, the hub's time when there is one — and keeps the offset. These are the rules that
// read it: pure, so the status bar, the checkout and the tests all ask the same function.
import { formatDatePe, limaDate } from './time';

/** Off by more than this: shown on the status bar and the manager's screens. */
export const CLOCK_WARN_MS = 5 * 60_000;
/** Off by more than this: no dated receipt until an admin fixes the clock or confirms it. */
export const CLOCK_BLOCK_MS = 24 * 3600_000;
/** A confirmed offset stays confirmed while the measured one stays this close to it. */
export const CLOCK_CONFIRM_SLACK_MS = 5 * 60_000;

/** What the terminal last measured: trusted time minus the PC's clock, when, and against what. */
export interface ClockObservation {
  /** Trusted − PC, in ms (positive: the PC is behind). */
  offsetMs: number;
  /** The PC's clock when it was measured (ISO). */
  observedAt: string;
  /** Where the trusted time came from ("SUNAT beta (pruebas)", "Central", …). */
  source: string;
}

/** An admin's word that the PC's clock is right in spite of the measured offset (audited). */
export interface ClockConfirmation {
  offsetMs: number;
  at: string;
  by: string;
}

export type ClockLevel = 'ok' | 'warn' | 'block';

export interface ClockVerdict {
  level: ClockLevel;
  /** For the status bar and the refusal (Spanish); null when all is well. */
  message: string | null;
  offsetMs: number | null;
}

/** "3 min", "2 h 5 min", "2.312 días" — how far off, as a person reads it. */
export function offsetText(ms: number): string {
  const a = Math.abs(ms);
  // Rounded as a whole before it is split: a measured offset is never exact (the Date header has whole seconds, the
  // answer takes its time), and 3 days less a second is "3 días", 2 h less a second "2 h" (not "1 h 60 min").
  if (a >= 2 * 24 * 3600_000) return `${Math.round(a / (24 * 3600_000))} días`;
  const minutes = Math.max(Math.round(a / 60_000), 1);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const direction = (offsetMs: number) => (offsetMs > 0 ? 'atrasada' : 'adelantada');

/**
 * The verdict for issuing a receipt now. `previousIssueDate`: the Lima date of the previous receipt of the series the
 * receipt would take (null for the first), which a receipt's date may never precede.
 */
export function clockVerdict(input: {
  now: Date;
  observation: ClockObservation | null;
  confirmation: ClockConfirmation | null;
  previousIssueDate?: string | null;
}): ClockVerdict {
  const { now, observation, confirmation } = input;
  const today = limaDate(now);
  const offsetMs = observation ? observation.offsetMs : null;
  if (input.previousIssueDate && today < input.previousIssueDate) {
    return {
      level: 'block', offsetMs,
      message: `La fecha de esta PC (${formatDatePe(today)}) es anterior a la del comprobante anterior de la serie ` +
        `(${formatDatePe(input.previousIssueDate)}): corrija la fecha y hora de la PC antes de emitir.`,
    };
  }
  if (offsetMs === null || Math.abs(offsetMs) <= CLOCK_WARN_MS) return { level: 'ok', message: null, offsetMs };
  const confirmed = confirmation !== null && Math.abs(offsetMs - confirmation.offsetMs) <= CLOCK_CONFIRM_SLACK_MS;
  const off = `La hora de esta PC está ${direction(offsetMs)} ${offsetText(offsetMs)} respecto de ${observation!.source}`;
  if (Math.abs(offsetMs) > CLOCK_BLOCK_MS && !confirmed) {
    return {
      level: 'block', offsetMs,
      message: `${off}: SUNAT rechazaría los comprobantes con esa fecha. Corrija la fecha y hora de la PC, o un ` +
        'administrador puede confirmarla en Administración → Reloj.',
    };
  }
  return { level: 'warn', offsetMs, message: confirmed ? `${off} (confirmada por ${confirmation!.by}).` : `${off}.` };
}

/** Trusted − PC from an HTTP `Date` header read when the answer arrived at `receivedAt` (PC clock); null if unreadable. */
export function offsetFromHttpDate(httpDate: string | undefined, receivedAt: Date): number | null {
  if (!httpDate) return null;
  const t = Date.parse(httpDate);
  if (Number.isNaN(t)) return null;
  // The header has whole seconds: its instant is on average half a second before the truth.
  return t + 500 - receivedAt.getTime();
}
