// Dates and times as Peru reads them (dd/mm/aaaa, 24 h), always in Lima time whatever the PC's zone.
import { formatSoles } from '../src-shared/decimal';
import { formatDatePe, limaDate, limaTime } from '../src-shared/time';

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${formatDatePe(limaDate(d))} ${limaTime(d).slice(0, 5)}`;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : limaTime(d).slice(0, 5);
}

export function todayLima(): string {
  return limaDate(new Date());
}

/** "S/ 1,234.50" for an amount that came from the main process; shows it as is if it is not a plain decimal. */
export function soles(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  try {
    return formatSoles(value);
  } catch {
    return String(value);
  }
}
