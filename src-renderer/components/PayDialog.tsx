// F8: how the customer pays. It opens on the cash amount with the total selected, so "20" for a S/ 20 note, Enter is
// the whole payment. Methods have letter keys (E, T, Y, P, R; Alt+letter in the operation number field) that can never
// be part of an amount; + adds a payment. R is "Crédito" (a factura to a RUC customer): the amount left to pay later,
// in instalments — one at 30 days by default; the number of instalments splits it, and each amount and due date can be
// typed; another row paid now is the down payment. The main process recomputes the total, the change and SUNAT's
// credit rules; its refusal (e.g. a boleta over S/ 700 without a customer) is shown as is, and nothing was recorded.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CheckoutInput, CheckoutResult } from '../../src-shared/contract';
import { creditTermsError, MAX_INSTALMENTS, readDatePe, splitInstalments } from '../../src-shared/credit';
import { formatDatePe } from '../../src-shared/time';
import { todayLima } from '../format';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { BOLETA_ANONYMOUS_LIMIT, PAYMENT_METHODS, type PaymentMethod } from '../../src-shared/documents';
import { api, errorMessage } from '../api';
import { readMoney } from '../../src-shared/number-input';
import { lineInputs, type CartApproval, type CartLine, type ExchangeCredit } from '../cart';
import type { Discount } from '../../src-shared/tax';
import type { CustomerChoice } from './CustomerPicker';
import { Modal } from './Modal';

/** A payment now, or 'credit': the part left to pay later (a factura on credit). */
type PayMethod = PaymentMethod | 'credit';
const METHODS: PayMethod[] = [...(Object.keys(PAYMENT_METHODS) as PaymentMethod[]), 'credit'];
const METHOD_LABELS: Record<PayMethod, string> = { ...PAYMENT_METHODS, credit: 'Crédito' };
/** The key that picks each method: letters, because digits, comma and point belong to amounts. */
const METHOD_KEYS: Record<PayMethod, string> = { cash: 'E', card: 'T', yape: 'Y', plin: 'P', credit: 'R' };
const methodOfKey = (key: string): PayMethod | undefined => METHODS.find((m) => METHOD_KEYS[m] === key.toUpperCase());
/** Yape and Plin are only traceable by their operation number (the main process requires it too). */
const needsReference = (m: PayMethod) => m === 'yape' || m === 'plin';

/** An instalment as typed: the amount and the due date as the cashier writes them ("125,50", "27/12/2026"). */
interface InstalmentRow {
  amount: string;
  date: string;
}

interface Row {
  method: PayMethod;
  amount: string;
  reference: string;
}

/** Equal instalments of `amount` (céntimos left over on the last one), due every 30 days from today. */
function defaultInstalments(amount: Dec, count: number): InstalmentRow[] {
  return splitInstalments(amount, count, todayLima()).map((c) => ({ amount: c.amount, date: formatDatePe(c.dueDate) }));
}

interface Props {
  total: Dec;
  documentType: '01' | '03';
  customer: CustomerChoice | null;
  lines: CartLine[];
  globalDiscount: Discount | null;
  approval: CartApproval | null;
  /** An exchange: the cash a return just gave back stays for this sale (paid as cash referencing the note). */
  exchange?: ExchangeCredit | null;
  onDone: (r: CheckoutResult) => void;
  onCancel: () => void;
  onCustomer: () => void;
}

export function PayDialog({ total, documentType, customer, lines, globalDiscount, approval, exchange, onDone, onCancel, onCustomer }: Props) {
  const exchangeAmount = exchange ? Dec.of(exchange.amount) : Dec.ZERO;
  const toPay = total.minus(exchangeAmount);
  const [rows, setRows] = useState<Row[]>([{ method: 'cash', amount: toPay.gt(0) ? toPay.toFixed(2) : '', reference: '' }]);
  const [instalments, setInstalments] = useState<InstalmentRow[]>([]);
  const [countText, setCountText] = useState('1');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const methodRefs = useRef<(HTMLDivElement | null)[]>([]);
  const amountRefs = useRef<(HTMLInputElement | null)[]>([]);
  const referenceRefs = useRef<(HTMLInputElement | null)[]>([]);
  const focusAfter = useRef<{ row: number; field: 'method' | 'amount' } | null>({ row: 0, field: 'amount' });

  useEffect(() => {
    const f = focusAfter.current;
    if (!f) return;
    focusAfter.current = null;
    if (f.field === 'method') methodRefs.current[f.row]?.focus();
    else {
      const el = amountRefs.current[f.row];
      el?.focus();
      el?.select();
    }
  });

  const reads = rows.map((r) => (r.amount.trim() === '' ? null : readMoney(r.amount)));
  const parsed: (Dec | null)[] = reads.map((m) => (m === null ? Dec.ZERO : m.value === null ? null : Dec.of(m.value)));
  const invalidRow = parsed.findIndex((p) => p === null);
  const paid = parsed.reduce<Dec>((a, p) => (p === null ? a : a.plus(p)), exchangeAmount);
  const cashPaid = rows.reduce<Dec>((a, r, i) => (r.method === 'cash' && parsed[i] ? a.plus(parsed[i]!) : a), exchangeAmount);
  const missing = total.minus(paid);
  const change = paid.minus(total);
  const hasCash = rows.some((r) => r.method === 'cash');
  const creditRow = rows.findIndex((r) => r.method === 'credit');
  const creditAmount = creditRow >= 0 ? parsed[creditRow] : null;

  let blocker: string | null = null;
  if (documentType === '01' && customer?.docType !== '6') {
    blocker = 'La factura requiere el RUC del cliente. Presione F4 para ingresarlo, o cierre con Esc y presione F6 para emitir boleta.';
  } else if (documentType === '03' && !customer && total.gt(BOLETA_ANONYMOUS_LIMIT)) {
    blocker = `Una boleta mayor a ${formatSoles(BOLETA_ANONYMOUS_LIMIT)} debe identificar al cliente. Presione F4 para ingresar su DNI.`;
  }
  if (creditRow >= 0 && documentType !== '01') {
    blocker = 'La venta al crédito solo se emite con factura a una empresa: cierre con Esc, presione F6 para factura e ingrese el RUC del cliente (F4).';
  }

  /** The instalments as the contract takes them, or the first one that cannot be read. */
  function readInstalments(): { ok: true; list: { amount: string; dueDate: string }[] } | { ok: false; error: string } {
    const list: { amount: string; dueDate: string }[] = [];
    for (const [i, c] of instalments.entries()) {
      const m = readMoney(c.amount);
      if (m.value === null) return { ok: false, error: `Cuota ${i + 1}: ${m.error}` };
      const d = readDatePe(c.date);
      if (!d) return { ok: false, error: `Cuota ${i + 1}: escriba la fecha de vencimiento como dd/mm/aaaa, por ejemplo ${formatDatePe(todayLima()).replace(/^\d\d/, '15')}.` };
      list.push({ amount: m.value, dueDate: d });
    }
    return { ok: true, list };
  }

  function validate(): string | null {
    if (blocker) return blocker;
    if (invalidRow >= 0) {
      amountRefs.current[invalidRow]?.focus();
      return `Pago ${invalidRow + 1}: ${reads[invalidRow]?.error ?? ''}`;
    }
    const noRef = rows.findIndex((r, i) => needsReference(r.method) && parsed[i]?.gt(0) && !r.reference.trim());
    if (noRef >= 0) {
      referenceRefs.current[noRef]?.focus();
      return `Ingrese el número de operación de ${METHOD_LABELS[rows[noRef].method]} (pago ${noRef + 1}).`;
    }
    if (missing.gt(0)) return `Falta cobrar ${formatSoles(missing)}. Aumente el monto o agregue otro pago con la tecla +.`;
    if (creditAmount) {
      if (change.gt(0) && change.gte(cashPaid)) {
        return `El pago a cuenta y el crédito (${formatSoles(creditAmount)}) suman más que el total de ${formatSoles(total)}: ajuste el monto al crédito.`;
      }
      const read = readInstalments();
      if (!read.ok) return read.error;
      return creditTermsError({ amount: creditAmount.toFixed(2), instalments: read.list }, total, todayLima());
    }
    if (change.gt(0) && change.gt(cashPaid)) return 'Solo el pago en efectivo puede exceder el total (vuelto). Ajuste los montos con tarjeta, Yape o Plin.';
    return null;
  }

  async function confirm() {
    if (busy) return;
    const problem = validate();
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    const input: CheckoutInput = {
      documentType,
      customer: customer ? { ...customer } : null,
      lines: lineInputs(lines),
      ...(globalDiscount ? { globalDiscount } : {}),
      ...(approval ? { approval: approval.token } : {}),
      payments: rows
        .map((r, i) => ({ r, amount: parsed[i]! }))
        .filter((p): p is { r: Row & { method: PaymentMethod }; amount: Dec } => p.r.method !== 'credit' && p.amount.gt(0))
        .map(({ r, amount }) => ({
          method: r.method,
          // Cash: the amount handed over; the main process computes the change as paid − total.
          amount: amount.toFixed(2),
          ...(r.method !== 'cash' && r.reference.trim() ? { reference: r.reference.trim() } : {}),
        }))
        // Last, so the change comes out of what the customer handed over first.
        .concat(exchange ? [{ method: 'cash' as const, amount: exchangeAmount.toFixed(2), reference: `Cambio ${exchange.number}` }] : []),
      ...(exchange ? { exchangeNoteId: exchange.noteId } : {}),
    };
    if (creditAmount) {
      const read = readInstalments();
      if (read.ok) input.credit = { amount: creditAmount.toFixed(2), instalments: read.list };
    }
    try {
      onDone(await api.call('sales.checkout', input));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  function setRow(i: number, patch: Partial<Row>) {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    setError(null);
    // The instalments follow the amount on credit (equal parts, the count kept).
    if (patch.amount !== undefined && rows[i]?.method === 'credit') resplit(patch.amount, countText);
  }

  function resplit(amountText: string, count: string) {
    const m = amountText.trim() === '' ? null : readMoney(amountText);
    const n = Number(count);
    if (!m?.value || !Number.isInteger(n) || n < 1 || n > MAX_INSTALMENTS) return;
    setInstalments((old) => defaultInstalments(Dec.of(m.value), n).map((c, k) => (old[k] && old.length === n ? { ...c, date: old[k].date } : c)));
  }

  function setMethod(i: number, method: PayMethod, focusAmount = true) {
    if (method === 'credit' && creditRow >= 0 && creditRow !== i) {
      setError('La venta ya tiene su parte al crédito: una sola por venta. Use otro medio para el pago a cuenta.');
      return;
    }
    if (method === 'credit' && rows[i].method !== 'credit') {
      // What is left after the other rows goes on credit, in one instalment at 30 days unless the cashier says otherwise.
      const others = rows.reduce<Dec>((a, r, j) => (j !== i && parsed[j] ? a.plus(parsed[j]!) : a), Dec.ZERO);
      const rest = total.minus(others).gt(0) ? total.minus(others) : (parsed[i]?.gt(0) ? parsed[i]! : total);
      setRows((rs) => rs.map((r, j) => (j === i ? { ...r, method, amount: rest.toFixed(2) } : r)));
      setCountText('1');
      setInstalments(defaultInstalments(rest, 1));
      setError(null);
    } else {
      setRows((rs) => rs.map((r, j) => (j === i ? { ...r, method } : r)));
      setError(null);
    }
    if (focusAmount) focusAfter.current = { row: i, field: 'amount' };
  }

  function setCount(text: string) {
    setCountText(text);
    setError(null);
    if (creditRow >= 0) resplit(rows[creditRow].amount, text);
  }

  function setInstalment(k: number, patch: Partial<InstalmentRow>) {
    setInstalments((list) => list.map((c, j) => (j === k ? { ...c, ...patch } : c)));
    setError(null);
  }

  function addRow() {
    if (rows.length >= 10) return;
    const remaining = total.minus(paid);
    const used = new Set(rows.map((r) => r.method));
    const method = METHODS.find((m) => !used.has(m) && m !== 'credit') ?? 'card';
    setRows((rs) => [...rs, { method, amount: remaining.gt(0) ? remaining.toFixed(2) : '', reference: '' }]);
    focusAfter.current = { row: rows.length, field: 'amount' };
  }

  function removeRow(i: number) {
    if (rows.length <= 1) return;
    if (rows[i].method === 'credit') setInstalments([]);
    setRows((rs) => rs.filter((_, j) => j !== i));
    focusAfter.current = { row: Math.max(0, i - 1), field: 'amount' };
  }

  function rowOf(el: EventTarget | null): number {
    const row = (el as HTMLElement | null)?.closest?.('[data-row]')?.getAttribute('data-row');
    return row ? Number(row) : 0;
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const target = e.target as HTMLElement;
    if (e.key === 'F4') {
      e.preventDefault();
      onCustomer();
      return;
    }
    // Letters pick the method; in the operation number field (which takes letters) only with Alt.
    const picked = !e.ctrlKey && !e.metaKey && e.key.length === 1 ? methodOfKey(e.key) : undefined;
    if (picked && (e.altKey || target.dataset.field !== 'reference')) {
      e.preventDefault();
      setMethod(rowOf(target), picked);
      return;
    }
    if (e.key === '+' && !e.altKey) {
      e.preventDefault();
      addRow();
      return;
    }
    if (e.key === 'Enter' && target.tagName !== 'BUTTON') {
      e.preventDefault();
      void confirm();
    }
  }

  function onMethodKey(e: KeyboardEvent<HTMLDivElement>, i: number) {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const cur = METHODS.indexOf(rows[i].method);
      const next = (cur + (e.key === 'ArrowRight' ? 1 : METHODS.length - 1)) % METHODS.length;
      setMethod(i, METHODS[next], false);
    } else if (/^[0-9.,]$/.test(e.key)) {
      // Typing an amount straight away: go to the amount field and start it over.
      e.preventDefault();
      setRow(i, { amount: e.key });
      amountRefs.current[i]?.focus();
    }
  }

  const shownError = error ?? (blocker && rows.length > 0 ? blocker : null);

  return (
    <Modal title="Cobrar" onCancel={onCancel} wide testId="pay-dialog">
      <div className="pay" onKeyDown={onKeyDown}>
        <div className="pay-total">
          <span>Total a pagar</span>
          <strong data-testid="pay-total">{formatSoles(total)}</strong>
          <span className="muted">
            {documentType === '01' ? 'Factura' : 'Boleta'} · {customer ? customer.name : 'Clientes varios'}
          </span>
          {exchange && (
            <span className="notice" data-testid="pay-exchange">
              Cambio: {formatSoles(exchange.amount)} a favor del cliente (nota {exchange.number}) ·{' '}
              {toPay.gt(0) ? `falta pagar ${formatSoles(toPay)}` : `devuelva ${formatSoles(toPay.neg())}`}
            </span>
          )}
        </div>

        {rows.map((r, i) => (
          <div className="pay-row" key={i} data-row={i}>
            <div
              className="methods five"
              role="radiogroup"
              aria-label={`Medio de pago ${i + 1} (teclas ${METHODS.map((m) => METHOD_KEYS[m]).join(', ')})`}
              tabIndex={0}
              data-testid={`pay-method-${i}`}
              data-method={r.method}
              ref={(el) => {
                methodRefs.current[i] = el;
              }}
              onKeyDown={(e) => onMethodKey(e, i)}
            >
              {METHODS.map((m) => (
                <button
                  type="button"
                  key={m}
                  role="radio"
                  aria-checked={r.method === m}
                  tabIndex={-1}
                  className={r.method === m ? 'method on' : 'method'}
                  onClick={() => setMethod(i, m)}
                  data-testid={`pay-method-${i}-${m}`}
                >
                  <kbd>{METHOD_KEYS[m]}</kbd> {METHOD_LABELS[m]}
                </button>
              ))}
            </div>
            <div className="pay-fields">
              <label className="field">
                <span>{r.method === 'cash' ? 'Recibido (S/)' : r.method === 'credit' ? 'Al crédito (S/)' : 'Monto (S/)'}</span>
                <input
                  className="money-input"
                  data-testid={`pay-amount-${i}`}
                  inputMode="decimal"
                  autoComplete="off"
                  value={r.amount}
                  ref={(el) => {
                    amountRefs.current[i] = el;
                  }}
                  onChange={(e) => setRow(i, { amount: e.target.value })}
                  aria-invalid={parsed[i] === null}
                />
              </label>
              {r.method === 'credit' && (
                <label className="field">
                  <span>N° de cuotas</span>
                  <input
                    className="count-input"
                    data-testid="pay-credit-count"
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={2}
                    value={countText}
                    onChange={(e) => setCount(e.target.value.replace(/\D/g, ''))}
                    onFocus={(e) => e.target.select()}
                  />
                </label>
              )}
              {r.method !== 'cash' && r.method !== 'credit' && (
                <label className="field">
                  <span>N° de operación{needsReference(r.method) ? '' : ' (opcional)'}</span>
                  <input
                    ref={(el) => {
                      referenceRefs.current[i] = el;
                    }}
                    data-testid={`pay-reference-${i}`}
                    data-field="reference"
                    autoComplete="off"
                    maxLength={60}
                    value={r.reference}
                    onChange={(e) => setRow(i, { reference: e.target.value })}
                  />
                </label>
              )}
              {rows.length > 1 && (
                <button type="button" className="btn small remove" onClick={() => removeRow(i)} aria-label={`Quitar pago ${i + 1}`}>
                  Quitar
                </button>
              )}
            </div>
            {r.method === 'credit' && (
              <table className="instalments" data-testid="pay-instalments">
                <thead>
                  <tr>
                    <th>Cuota</th>
                    <th>Monto (S/)</th>
                    <th>Vence (dd/mm/aaaa)</th>
                  </tr>
                </thead>
                <tbody>
                  {instalments.map((c, k) => (
                    <tr key={k} data-testid="pay-instalment">
                      <td>{k + 1}</td>
                      <td>
                        <input
                          className="money-input"
                          data-testid={`pay-instalment-amount-${k}`}
                          aria-label={`Monto de la cuota ${k + 1}`}
                          inputMode="decimal"
                          autoComplete="off"
                          value={c.amount}
                          onChange={(e) => setInstalment(k, { amount: e.target.value })}
                          onFocus={(e) => e.target.select()}
                        />
                      </td>
                      <td>
                        <input
                          data-testid={`pay-instalment-date-${k}`}
                          aria-label={`Vencimiento de la cuota ${k + 1}`}
                          autoComplete="off"
                          maxLength={10}
                          value={c.date}
                          onChange={(e) => setInstalment(k, { date: e.target.value })}
                          onFocus={(e) => e.target.select()}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        ))}

        <p className="hint" data-testid="pay-keys">
          Escriba lo que entrega el cliente (20, 15,50) · <kbd>E</kbd> efectivo · <kbd>T</kbd> tarjeta · <kbd>Y</kbd> Yape ·{' '}
          <kbd>P</kbd> Plin · <kbd>R</kbd> crédito (factura, en cuotas) (en N° de operación: <kbd>Alt</kbd>+letra) · <kbd>Enter</kbd> confirmar
        </p>
        <button type="button" className="btn" onClick={addRow} data-testid="pay-add">
          + Agregar otro medio de pago (tecla +)
        </button>

        <div className="pay-summary">
          <span>
            Pagado: <strong>{formatSoles(creditAmount ? paid.minus(creditAmount) : paid)}</strong>
          </span>
          <span
            className={missing.gt(0) ? 'pay-change missing' : 'pay-change'}
            data-testid="pay-change"
            data-change={change.gt(0) ? change.toFixed(2) : '0.00'}
          >
            {missing.gt(0) ? `Falta: ${formatSoles(missing)}` : hasCash ? `Vuelto: ${formatSoles(change)}` : `Vuelto: ${formatSoles(Dec.ZERO)}`}
          </span>
          {creditAmount?.gt(0) && (
            <span data-testid="pay-credit-summary">
              Al crédito: <strong>{formatSoles(creditAmount)}</strong> en {instalments.length} {instalments.length === 1 ? 'cuota' : 'cuotas'}
            </span>
          )}
        </div>

        {shownError && (
          <p className="alert" role="alert" data-testid="error-alert">
            {shownError}
          </p>
        )}

        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Volver (Esc)
          </button>
          <button type="button" className="btn pay big" data-testid="pay-confirm" onClick={() => void confirm()} disabled={busy}>
            {busy ? 'Registrando…' : 'Confirmar pago (Enter)'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
