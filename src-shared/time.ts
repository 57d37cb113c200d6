// Peru keeps UTC-5 all year (no daylight saving), so Lima's calendar is a fixed offset from UTC.
const LIMA_OFFSET_MS = -5 * 60 * 60 * 1000;

/** YYYY-MM-DD in Lima for an instant. */
export function limaDate(at: Date): string {
  return new Date(at.getTime() + LIMA_OFFSET_MS).toISOString().slice(0, 10);
}

/** HH:MM:SS in Lima for an instant. */
export function limaTime(at: Date): string {
  return new Date(at.getTime() + LIMA_OFFSET_MS).toISOString().slice(11, 19);
}

/** The UTC instants [start, end) of a Lima calendar day. */
export function limaDayRange(date: string): { start: string; end: string } {
  const start = new Date(`${date}T05:00:00.000Z`);
  const end = new Date(start.getTime() + 24 * 60 * 60 * 1000);
  return { start: start.toISOString(), end: end.toISOString() };
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** What a person typed as dd/mm/aaaa (or d/m/aaaa), as YYYY-MM-DD; null when it is no date. */
export function parseDatePe(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  const iso = m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : '';
  return isIsoDate(iso) ? iso : null;
}

/** dd/mm/aaaa, as Peru writes dates. */
export function formatDatePe(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}
