// Cuentas por cobrar (Ventas del día → C): the facturas sold on credit with something left to collect, by customer,
// each with its instalments, due dates, paid and pending amounts; what is past its due date is marked "Vencida".
// ↑/↓ choose a factura, C or Enter registers a collection ("Registrar cobro"): an amount by method (E, T, Y, P), never
// more than is pending; cash goes into the cashier's drawer as a paid-in with the factura's number.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CollectionResult, CustomerReceivables, ReceivableView } from '../../src-shared/contract';
import { PAYMENT_METHODS, type PaymentMethod } from '../../src-shared/documents';
import { formatDatePe } from '../../src-shared/time';
import { Dec } from '../../src-shared/decimal';
import { readMoney } from '../../src-shared/number-input';
import { api, errorMessage } from '../api';
import { formatDateTime, soles } from '../format';
import { moveSelection } from '../list-keys';
import { ErrorAlert } from '../components/ErrorAlert';
import { Modal } from '../components/Modal';

const METHODS = Object.keys(PAYMENT_METHODS) as PaymentMethod[];
const METHOD_KEYS: Record<PaymentMethod, string> = { cash: 'E', card: 'T', yape: 'Y', plin: 'P' };
const isPlainKey = (e: KeyboardEvent | React.KeyboardEvent) => !e.ctrlKey && !e.altKey && !e.metaKey;

export function ReceivablesScreen() {
  const [list, setList] = useState<CustomerReceivables[] | null>(null);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [collecting, setCollecting] = useState<ReceivableView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const docs = list?.flatMap((c) => c.documents) ?? [];

  const load = useCallback((q: string) => {
    api.call('receivables.list', { query: q || undefined }).then(
      (r) => {
        setList(r);
        setError(null);
        setSelected((i) => Math.min(i, Math.max(0, r.flatMap((c) => c.documents).length - 1)));
      },
      (e) => setError(errorMessage(e)),
    );
  }, []);
  useEffect(() => load(''), [load]);

  // The keys read the latest rows through a ref (as Ventas del día does).
  const onKeyRef = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKeyRef.current = (e: KeyboardEvent) => {
    if (document.querySelector('[role="dialog"]')) return;
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
    if (moveSelection(e.key, docs.length, setSelected)) e.preventDefault();
    else if ((e.key === 'Enter' || ((e.key === 'c' || e.key === 'C') && isPlainKey(e))) && docs[selected]) {
      e.preventDefault();
      setNotice(null);
      setCollecting(docs[selected]);
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => onKeyRef.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  let index = -1;
  return (
    <section className="panel sales-panel" data-testid="receivables">
      <header className="panel-head">
        <h1>Cuentas por cobrar</h1>
        <input
          className="search"
          data-testid="receivables-query"
          placeholder="Cliente, RUC o número (Enter)"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              load(query.trim());
              (e.target as HTMLInputElement).blur();
            }
          }}
        />
      </header>
      <p className="muted">
        Facturas al crédito con saldo. <kbd>↑</kbd>/<kbd>↓</kbd> elige una factura, <kbd>C</kbd> o <kbd>Enter</kbd> registra un cobro.{' '}
        <kbd>Esc</kbd> vuelve a la venta.
      </p>
      {notice && (
        <p className="notice" role="status" data-testid="receivables-notice">
          {notice}
        </p>
      )}
      <ErrorAlert message={error} />
      <table className="list-table" data-testid="receivables-list">
        <thead>
          <tr>
            <th>Factura / cuota</th>
            <th>Emisión / vence</th>
            <th className="num">Importe</th>
            <th className="num">Cobrado</th>
            <th className="num">Pendiente</th>
            <th />
          </tr>
        </thead>
        {list?.map((c) => (
          <tbody key={`${c.docType}-${c.docNumber}`} data-testid="receivables-customer">
            <tr className={c.overdue ? 'group overdue' : 'group'}>
              <td colSpan={4} className="strong">
                {c.name} · RUC {c.docNumber}
              </td>
              <td className="num strong" data-testid="receivables-customer-pending">
                {soles(c.pending)}
              </td>
              <td>{c.overdue ? 'Con cuotas vencidas' : ''}</td>
            </tr>
            {c.documents.map((d) => {
              index += 1;
              const i = index;
              return [
                <tr
                  key={d.saleId}
                  data-testid="receivable-row"
                  data-number={d.number}
                  aria-selected={i === selected}
                  className={['receivable-doc', i === selected ? 'selected' : '', d.overdue ? 'overdue' : ''].filter(Boolean).join(' ')}
                  onClick={() => setSelected(i)}
                >
                  <td className="mono strong">{d.number}</td>
                  <td>{formatDatePe(d.issueDate)}</td>
                  <td className="num">{soles(d.credit)}</td>
                  <td className="num">
                    {soles(d.collected)}
                    {/* Returns on it lowered the debt (credit notes): said beside what was collected. */}
                    {Number(d.returned) > 0 && <span className="muted" data-testid="receivable-returned"> · devuelto {soles(d.returned)}</span>}
                  </td>
                  <td className="num strong" data-testid="receivable-pending">
                    {soles(d.pending)}
                  </td>
                  <td>
                    <button type="button" className="btn" tabIndex={-1} data-testid="collect" onClick={() => { setSelected(i); setNotice(null); setCollecting(d); }}>
                      Registrar cobro <kbd>C</kbd>
                    </button>
                  </td>
                </tr>,
                ...d.instalments.map((q) => (
                  <tr key={`${d.saleId}-${q.number}`} data-testid="receivable-instalment" className={q.overdue ? 'overdue' : undefined}>
                    <td className="indent">Cuota {q.number}</td>
                    <td>{formatDatePe(q.dueDate)}{q.overdue ? ' · Vencida' : ''}</td>
                    <td className="num">{soles(q.amount)}</td>
                    <td className="num">{soles(q.paid)}</td>
                    <td className="num">{soles(q.pending)}</td>
                    <td />
                  </tr>
                )),
              ];
            })}
          </tbody>
        ))}
        {list && list.length === 0 && (
          <tbody>
            <tr className="empty">
              <td colSpan={6}>No hay facturas al crédito por cobrar{query.trim() ? ' con esa búsqueda' : ''}.</td>
            </tr>
          </tbody>
        )}
      </table>
      {collecting && (
        <CollectDialog
          doc={collecting}
          onClose={(done) => {
            setCollecting(null);
            if (done) {
              setNotice(`Cobro registrado en ${done.number}: ${soles(done.amount)} (${PAYMENT_METHODS[done.method as PaymentMethod] ?? done.method}). Queda por cobrar ${soles(done.pending)}.`);
              load(query.trim());
            }
          }}
        />
      )}
    </section>
  );
}

/** "Registrar cobro": the amount (by default what is left of the next instalment) and how it is paid. */
function CollectDialog({ doc, onClose }: { doc: ReceivableView; onClose: (done: CollectionResult | null) => void }) {
  const next = doc.instalments.find((q) => Dec.of(q.pending).gt(0));
  const [amount, setAmount] = useState(next?.pending ?? doc.pending);
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const amountRef = useRef<HTMLInputElement | null>(null);
  useEffect(() => {
    amountRef.current?.focus();
    amountRef.current?.select();
  }, []);

  function submit() {
    if (busy) return;
    const m = readMoney(amount);
    if (m.value === null) {
      setError(m.error);
      return;
    }
    if (Dec.of(m.value).gt(doc.pending)) {
      setError(`El cobro de ${soles(m.value)} supera lo pendiente de ${doc.number} (${soles(doc.pending)}). Cobre como máximo lo pendiente.`);
      return;
    }
    setBusy(true);
    api.call('receivables.collect', { saleId: doc.saleId, amount: m.value, method, ...(method !== 'cash' && reference.trim() ? { reference: reference.trim() } : {}) }).then(
      (r) => onClose(r),
      (e) => {
        setBusy(false);
        setError(errorMessage(e));
      },
    );
  }

  return (
    <Modal title={`Registrar cobro · ${doc.number}`} onCancel={() => onClose(null)} wide testId="collect-dialog">
      <div
        className="pay"
        onKeyDown={(e) => {
          const t = e.target as HTMLElement;
          const picked = !e.ctrlKey && !e.metaKey && e.key.length === 1 ? METHODS.find((k) => METHOD_KEYS[k] === e.key.toUpperCase()) : undefined;
          if (picked && (e.altKey || t.dataset.field !== 'reference')) {
            e.preventDefault();
            setMethod(picked);
            setError(null);
          } else if (e.key === 'Enter' && t.tagName !== 'BUTTON') {
            e.preventDefault();
            submit();
          }
        }}
      >
        <dl className="done-grid">
          <dt>Pendiente</dt>
          <dd data-testid="collect-pending">{soles(doc.pending)}</dd>
          {next && (
            <>
              <dt>Próxima cuota</dt>
              <dd>
                Cuota {next.number}: {soles(next.pending)} · vence {formatDatePe(next.dueDate)}
                {next.overdue ? ' (vencida)' : ''}
              </dd>
            </>
          )}
          {doc.collections.length > 0 && (
            <>
              <dt>Último cobro</dt>
              <dd>
                {soles(doc.collections[doc.collections.length - 1].amount)} · {formatDateTime(doc.collections[doc.collections.length - 1].at)}
              </dd>
            </>
          )}
        </dl>
        <div className="methods" role="radiogroup" aria-label="Medio de pago (teclas E, T, Y, P)" data-testid="collect-method" data-method={method}>
          {METHODS.map((m) => (
            <button type="button" key={m} role="radio" aria-checked={method === m} tabIndex={-1} className={method === m ? 'method on' : 'method'} onClick={() => setMethod(m)}>
              <kbd>{METHOD_KEYS[m]}</kbd> {PAYMENT_METHODS[m]}
            </button>
          ))}
        </div>
        <div className="pay-fields">
          <label className="field">
            <span>Monto cobrado (S/)</span>
            <input
              ref={amountRef}
              data-autofocus
              className="money-input"
              data-testid="collect-amount"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onChange={(e) => {
                setAmount(e.target.value);
                setError(null);
              }}
            />
          </label>
          {method !== 'cash' && (
            <label className="field">
              <span>N° de operación{method === 'yape' || method === 'plin' ? '' : ' (opcional)'}</span>
              <input data-testid="collect-reference" data-field="reference" autoComplete="off" maxLength={60} value={reference} onChange={(e) => setReference(e.target.value)} />
            </label>
          )}
        </div>
        {method === 'cash' && <p className="hint">El efectivo entra en su caja como ingreso «Cobro {doc.number}».</p>}
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => onClose(null)}>
            Volver (Esc)
          </button>
          <button type="button" className="btn pay big" data-testid="collect-confirm" onClick={submit} disabled={busy}>
            {busy ? 'Registrando…' : 'Registrar cobro (Enter)'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
