// The day a report shows, typed as Peruvians write it (dd/mm/aaaa) in a DateFilter and applied with Enter: the
// till's Reportes and the hub's Reporte diario. A day that is none gets the message and the report shown stays;
// the same day again reloads it.
import { useEffect, useRef, useState } from 'react';
import { formatDatePe, parseDatePe } from '../src-shared/time';
import { todayLima } from './format';

export function useTypedDay() {
  const [date, setDate] = useState(todayLima());
  const [dateText, setDateText] = useState(formatDatePe(todayLima()));
  const [dateError, setDateError] = useState<string | null>(null);
  const dateRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    dateRef.current?.focus();
    dateRef.current?.select();
  }, []);

  /** Applies what was typed; `reload` runs when it is the day already shown. */
  function applyDate(reload: () => void) {
    const iso = parseDatePe(dateText);
    if (!iso) {
      setDateError('Escriba la fecha como dd/mm/aaaa, por ejemplo 05/03/2025, y presione Enter.');
      return;
    }
    setDateError(null);
    setDateText(formatDatePe(iso));
    if (iso === date) reload();
    else setDate(iso);
  }
  return { date, dateText, setDateText, dateError, dateRef, applyDate };
}
