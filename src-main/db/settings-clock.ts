// The clock's state (issue 17 item 5): the offset last measured against a trusted time and an admin's confirmation,
// both settings rows. Measurements arrive with every answer of SUNAT (or an OSE, or the hub); only a change worth
// telling is written, so a drain of thousands of sends does not write a row per answer.
import type { Db } from './connection';
import { getSetting, setSetting } from './settings';
import { audit } from './audit';
import { ruleError } from '../errors';
import { clockVerdict, offsetFromHttpDate, type ClockConfirmation, type ClockObservation, type ClockVerdict } from '../../src-shared/clock-trust';

/** A measurement is written when the offset moved more than this, the source changed, or the last one is this old. */
const REWRITE_DELTA_MS = 2_000;
const REWRITE_AGE_MS = 10 * 60_000;

export function clockState(db: Db): { observation: ClockObservation | null; confirmation: ClockConfirmation | null } {
  return { observation: getSetting(db, 'clockCheck'), confirmation: getSetting(db, 'clockConfirmed') };
}

/** Keeps a measurement (trusted − PC) when it says something new; returns whether it was written. */
export function recordClockObservation(db: Db, observation: ClockObservation): boolean {
  const last = getSetting(db, 'clockCheck');
  const fresh = last === null
    || last.source !== observation.source
    || Math.abs(last.offsetMs - observation.offsetMs) > REWRITE_DELTA_MS
    || Math.abs(Date.parse(observation.observedAt) - Date.parse(last.observedAt)) > REWRITE_AGE_MS;
  if (fresh) setSetting(db, 'clockCheck', observation);
  return fresh;
}

export const HUB_TIME_SOURCE = 'la central';
/** SUNAT's own time wins over the hub's while it is this fresh. */
const SUNAT_PREFERRED_MS = 60 * 60_000;

/**
 * The hub's time (`serverTime` of its answers) as a measurement, for a till that rarely hears from SUNAT (boletas go
 * in summaries, or SUNAT is down): used unless SUNAT answered within the hour, so the two never take turns.
 */
export function recordHubTime(db: Db, serverTime: string, at: Date): boolean {
  const t = Date.parse(serverTime);
  if (Number.isNaN(t)) return false;
  const last = getSetting(db, 'clockCheck');
  if (last && last.source !== HUB_TIME_SOURCE && at.getTime() - Date.parse(last.observedAt) < SUNAT_PREFERRED_MS) return false;
  return recordClockObservation(db, { offsetMs: t - at.getTime(), observedAt: at.toISOString(), source: HUB_TIME_SOURCE });
}

/** What an answer's HTTP `Date`, read at `at` (the PC's clock), says of the clock; false when unreadable or nothing new. */
export function recordHttpDate(db: Db, httpDate: string | undefined, at: Date, source: string): boolean {
  const offsetMs = offsetFromHttpDate(httpDate, at);
  return offsetMs !== null && recordClockObservation(db, { offsetMs, observedAt: at.toISOString(), source });
}

/** The verdict of the PC's clock alone (the status bar): without a series, the date order is not asked. */
export function clockStatus(db: Db, now: Date): ClockVerdict {
  return clockVerdict({ now, ...clockState(db) });
}

/**
 * An admin says the PC's clock is right although it is more than a day off the trusted time (e.g. the trusted source
 * is the one that is wrong): the checkout issues again while the offset stays within minutes of the confirmed one.
 */
export function confirmClock(db: Db, now: Date, user: { id: number; name: string }): void {
  const observation = getSetting(db, 'clockCheck');
  if (!observation) throw ruleError('La hora de esta PC aún no se ha comparado con la de SUNAT: no hay nada que confirmar.');
  db.tx(() => {
    setSetting(db, 'clockConfirmed', { offsetMs: observation.offsetMs, at: now.toISOString(), by: user.name });
    audit(db, now, user.id, 'clock.confirm', 'settings', 'clockConfirmed', { offsetMs: observation.offsetMs, source: observation.source });
  });
}
