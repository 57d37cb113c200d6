// ↑/↓ in a list with a selected row (Ventas del día, the parked sales): the selection stays within the rows.
export function moveSelection(key: string, count: number, setSelected: (f: (i: number) => number) => void): boolean {
  if (count === 0 || (key !== 'ArrowDown' && key !== 'ArrowUp')) return false;
  setSelected((i) => (key === 'ArrowDown' ? Math.min(count - 1, i + 1) : Math.max(0, i - 1)));
  return true;
}
