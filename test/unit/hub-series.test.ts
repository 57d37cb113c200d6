// The series the hub hands out (hub/enrol.ts): SUNAT's form (B or F and three characters of A–Z, 0–9), never twice,
// the digits first, and more than 99 terminals of a RUC for the notes' series (FC, BC, FD, BD).
import { describe, expect, it } from 'vitest';
import { SERIES_KEYS, seriesCandidates } from '../../src-main/hub/enrol';

describe('series the hub hands out', () => {
  it.each([
    // key, how many, the first, the 100th, the last
    ['01', 999, 'F001', 'F100', 'F999'],
    ['03', 999, 'B001', 'B100', 'B999'],
    ['07-01', 1295, 'FC01', 'FC0A', 'FCZZ'],
    ['07-03', 1295, 'BC01', 'BC0A', 'BCZZ'],
    ['08-01', 1295, 'FD01', 'FD0A', 'FDZZ'],
    ['08-03', 1295, 'BD01', 'BD0A', 'BDZZ'],
  ])('%s: %i series from %s, the 100th %s, the last %s', (type, n, first, hundredth, last) => {
    const key = SERIES_KEYS.find((k) => k.documentType === type)!;
    const all = [...seriesCandidates(key)];
    expect(all).toHaveLength(n);
    expect([all[0], all[99], all.at(-1)]).toEqual([first, hundredth, last]);
    expect(new Set(all).size).toBe(all.length);
    for (const s of all) expect(s).toMatch(type.startsWith('01') || type.endsWith('01') ? /^F[A-Z0-9]{3}$/ : /^B[A-Z0-9]{3}$/);
  });

  it('no two keys share a series, and none ends in 00 or 000', () => {
    const seen = new Map<string, string>();
    for (const key of SERIES_KEYS) {
      for (const s of seriesCandidates(key)) {
        expect(seen.get(s), `${s} of ${key.documentType}`).toBeUndefined();
        expect(s).not.toMatch(/^[BF](C|D)?0+$/);
        seen.set(s, key.documentType);
      }
    }
  });
});
