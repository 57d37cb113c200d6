import { describe, expect, it } from 'vitest';
import { daysToGenerate } from '../../src-main/reports/daily';

const after = () => new Date('2030-01-01T00:00:00Z'); // every stored report was made after its day ended

describe('which report days a run generates', () => {
  it('generates only the day itself when nothing was missed', () => {
    expect(daysToGenerate(['2026-11-25'], '2026-11-26', after)).toEqual(['2026-11-26']);
  });

  it('fills every day missed since the last stored report', () => {
    expect(daysToGenerate(['2026-11-20'], '2026-11-23', after)).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
  });

  it('refreshes the last stored day when it was stored before the day ended', () => {
    const at = (d: string) => (d === '2026-11-25' ? new Date('2026-11-26T04:00:00Z') : after());
    expect(daysToGenerate(['2026-11-24', '2026-11-25'], '2026-11-26', at)).toEqual(['2026-11-25', '2026-11-26']);
  });

  it('caps a long gap to the most recent days', () => {
    const days = daysToGenerate(['2026-01-01'], '2026-11-26', after, 31);
    expect(days).toHaveLength(31);
    expect(days[0]).toBe('2026-10-27');
    expect(days.at(-1)).toBe('2026-11-26');
  });

  it('starts with the day itself on a fresh data directory, and ignores reports stored for later days', () => {
    expect(daysToGenerate([], '2026-11-26', after)).toEqual(['2026-11-26']);
    expect(daysToGenerate(['2026-11-27'], '2026-11-26', after)).toEqual(['2026-11-26']);
  });
});
