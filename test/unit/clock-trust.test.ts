// The clock rules (issue 17 item 5) as a table. Why these lines: SUNAT refuses a receipt dated more than two days after
// it receives it (2329, "La fecha de emision se encuentra fuera del limite permitido": Boleta 2.0 and Nota de crédito
// 2.0 validation tables, /Invoice/cbc:IssueDate) and one presented after its deadline (2108 / 2600, "fuera de plazo"),
// so a PC a day or more off would issue receipts SUNAT refuses; a few minutes off only deserve a warning.
import { describe, expect, it } from 'vitest';
import { clockVerdict, offsetFromHttpDate, offsetText, type ClockConfirmation, type ClockObservation } from '../../src-shared/clock-trust';

const NOW = new Date('2026-12-07T15:00:00Z'); // 10:00 in Lima
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const seen = (offsetMs: number): ClockObservation => ({ offsetMs, observedAt: NOW.toISOString(), source: 'SUNAT producción' });
const confirmed = (offsetMs: number): ClockConfirmation => ({ offsetMs, at: NOW.toISOString(), by: 'admin' });

describe('clockVerdict', () => {
  it.each<[string, ClockObservation | null, ClockConfirmation | null, string | null, 'ok' | 'warn' | 'block', RegExp | null]>([
    ['never measured (offline since installed)', null, null, null, 'ok', null],
    ['on time', seen(1200), null, '2026-12-07', 'ok', null],
    ['4 min behind: no one needs to know', seen(4 * MIN), null, null, 'ok', null],
    ['exactly 5 min: still fine', seen(5 * MIN), null, null, 'ok', null],
    ['6 min ahead: shown', seen(-6 * MIN), null, null, 'warn', /adelantada 6 min respecto de SUNAT producción/],
    ['3 h behind (wrong time zone): shown', seen(3 * 60 * MIN), null, null, 'warn', /atrasada 3 h/],
    ['23 h ahead: shown, not refused', seen(-23 * 60 * MIN), null, null, 'warn', /adelantada 23 h/],
    ['3 days ahead: SUNAT 2329 — refused', seen(-3 * DAY), null, null, 'block', /adelantada 3 días.*Corrija la fecha/],
    ['a dead CMOS battery (2019): refused', seen(NOW.getTime() - Date.parse('2019-01-01T00:00:00Z')), null, null, 'block', /atrasada \d{4} días/],
    ['2019 confirmed by an admin: a warning that says so', seen(-3 * DAY), confirmed(-3 * DAY - 2 * MIN), null, 'warn', /confirmada por admin/],
    ['confirmed long ago for another offset: refused again', seen(-5 * DAY), confirmed(-3 * DAY), null, 'block', /Corrija/],
    ['the date runs backwards against the series', seen(0), null, '2026-12-08', 'block', /07\/12\/2026\) es anterior .* \(08\/12\/2026\)/],
    ['backwards even when confirmed', seen(-3 * DAY), confirmed(-3 * DAY), '2026-12-08', 'block', /anterior/],
    ['backwards with nothing measured (offline)', null, null, '2026-12-31', 'block', /anterior/],
    ['same day as the previous receipt', null, null, '2026-12-07', 'ok', null],
  ])('%s', (_, observation, confirmation, previousIssueDate, level, message) => {
    const v = clockVerdict({ now: NOW, observation, confirmation, previousIssueDate });
    expect(v.level).toBe(level);
    if (message) expect(v.message).toMatch(message);
    else expect(v.message).toBeNull();
  });
});

describe('offsetFromHttpDate', () => {
  it.each<[string | undefined, string, number | null]>([
    ['Mon, 07 Dec 2026 15:00:00 GMT', '2026-12-07T15:00:00.000Z', 500],
    ['Mon, 07 Dec 2026 15:07:00 GMT', '2026-12-07T15:00:00.000Z', 7 * MIN + 500],
    ['Tue, 01 Jan 2019 00:00:00 GMT', '2026-12-07T15:00:00.000Z', Date.parse('2019-01-01T00:00:00Z') + 500 - NOW.getTime()],
    [undefined, '2026-12-07T15:00:00.000Z', null],
    ['ayer', '2026-12-07T15:00:00.000Z', null],
  ])('%s at %s', (header, at, expected) => {
    expect(offsetFromHttpDate(header, new Date(at))).toBe(expected);
  });
});

describe('offsetText', () => {
  it.each([[30_000, '1 min'], [5 * MIN, '5 min'], [65 * MIN, '1 h 5 min'], [2 * 60 * MIN, '2 h'], [-3 * DAY, '3 días'], [36 * 60 * MIN, '36 h'],
    // A measured offset is never exact: rounded as a whole, not part by part.
    [3 * DAY - 800, '3 días'], [2 * 60 * MIN - 500, '2 h'], [60 * MIN + 59 * MIN + 45_000, '2 h']])('%d ms → %s', (ms, text) => {
    expect(offsetText(ms)).toBe(text);
  });
});
