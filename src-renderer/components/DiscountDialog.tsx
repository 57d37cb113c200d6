// Discounts and price changes at the counter: / a discount on the selected line, Alt+P its price, Alt+G a discount on
// the whole sale. The cashier types "10%" or an amount ("2,50"); the dialog shows the new amounts as the checkout will
// charge them. Beyond the seller's limit a supervisor or an admin approves in the same dialog with their user, PIN and
// the reason (sales.approve); the approval stays with the cart until it is paid. With `mode: 'approve'` the dialog
// only asks for the approval (a recalled cart whose discounts need one again).
import { useRef, useState, type FormEvent } from 'react';
import { UserPinFields, userPinProblem } from './UserPinFields';
import type { TaxRatesView } from '../../src-shared/contract';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { readDiscount, readMoney } from '../../src-shared/number-input';
import type { Discount } from '../../src-shared/tax';
import { api, errorMessage } from '../api';
import { approvalNeeded, cartAmounts, type CartApproval, type CartLine } from '../cart';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';

export type DiscountMode = 'line' | 'price' | 'global' | 'approve';

export interface DiscountCart {
  lines: CartLine[];
  selected: number;
  globalDiscount: Discount | null;
  approval: CartApproval | null;
}

interface Props {
  mode: DiscountMode;
  cart: DiscountCart;
  rates: TaxRatesView;
  /** The signed-in user's limit (percent below the catalog), from sales.discountPolicy. */
  limit: string;
  onApply: (cart: DiscountCart) => void;
  onCancel: () => void;
}

const TITLES: Record<DiscountMode, string> = {
  line: 'Descuento en la línea',
  price: 'Cambiar precio de la línea',
  global: 'Descuento global de la venta',
  approve: 'Autorización de descuento',
};

/** "15.00" → "15", "12.50" → "12,5": a percent as the cashier writes it. */
const pct = (p: string) => Dec.of(p).toString().replace('.', ',');

function discountText(d: Discount | null | undefined): string {
  if (!d) return '';
  return d.kind === 'percent' ? `${d.value.replace('.', ',')}%` : d.value.replace('.', ',');
}

export function DiscountDialog({ mode, cart, rates, limit, onApply, onCancel }: Props) {
  const line = cart.selected >= 0 ? cart.lines[cart.selected] : undefined;
  const [value, setValue] = useState(() =>
    mode === 'line' ? discountText(line?.discount) : mode === 'price' ? (line?.unitPrice ?? line?.product.price ?? '').replace('.', ',') : mode === 'global' ? discountText(cart.globalDiscount) : '',
  );
  const [who, setWho] = useState({ username: '', pin: '', reason: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  // The cart as it would be with what is typed; null with the reason when it cannot be read.
  const next = ((): { cart: DiscountCart; error: null } | { cart: null; error: string } => {
    if (mode === 'approve') return { cart, error: null };
    if (mode === 'price') {
      if (!line) return { cart: null, error: 'Elija una línea.' };
      const m = readMoney(value);
      if (m.value === null) return { cart: null, error: m.error };
      if (!Dec.of(m.value).gt(0)) return { cart: null, error: 'El precio debe ser mayor que cero.' };
      const lines = cart.lines.slice();
      lines[cart.selected] = { ...line, unitPrice: Dec.of(m.value).eq(line.product.price) ? undefined : m.value };
      return { cart: { ...cart, lines }, error: null };
    }
    const d = readDiscount(value);
    if (d.error) return { cart: null, error: d.error };
    if (mode === 'global') return { cart: { ...cart, globalDiscount: d.value }, error: null };
    if (!line) return { cart: null, error: 'Elija una línea.' };
    const lines = cart.lines.slice();
    lines[cart.selected] = { ...line, discount: d.value };
    return { cart: { ...cart, lines }, error: null };
  })();
  const amounts = next.cart ? cartAmounts(next.cart.lines, rates, next.cart.globalDiscount) : null;
  const problem = next.error ?? amounts?.error ?? null;
  const need = amounts && !problem ? approvalNeeded(amounts, limit, cart.approval) : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (problem || !next.cart) {
      setError(problem);
      return;
    }
    if (!need) {
      onApply(next.cart);
      return;
    }
    const missing = userPinProblem(who.username, who.pin, { userRef, pinRef });
    if (missing || who.reason.trim().length < 3) {
      setError(`Un supervisor o administrador debe autorizar con su usuario, su PIN y el motivo. ${missing ?? 'Indique el motivo.'}`);
      return;
    }
    setBusy(true);
    try {
      const a = await api.call('sales.approve', { username: who.username.trim(), pin: who.pin.trim(), reason: who.reason.trim(), percent: need.percent });
      onApply({ ...next.cart, approval: a });
    } catch (err) {
      setError(errorMessage(err));
      setWho((w) => ({ ...w, pin: '' }));
      setBusy(false);
    }
  }

  const lineIndex = cart.selected;
  return (
    <Modal title={TITLES[mode]} onCancel={onCancel} testId="discount-dialog">
      <form onSubmit={submit} noValidate>
        {mode !== 'global' && mode !== 'approve' && line && (
          <>
            <p className="strong">{line.product.name}</p>
            <p className="muted">
              Precio de lista {formatSoles(line.product.price)} · cantidad {Dec.of(line.quantity).toString()}
            </p>
          </>
        )}
        {mode !== 'approve' && (
          <label className="field">
            <span>{mode === 'price' ? 'Nuevo precio unitario (S/)' : 'Descuento: un porcentaje (10%) o un monto (2,50); 0 lo quita'}</span>
            <input
              data-testid="discount-input"
              className="money-input"
              inputMode="decimal"
              data-autofocus
              autoFocus
              onFocus={(e) => e.target.select()}
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                setError(null);
              }}
            />
          </label>
        )}
        {amounts?.lines && (
          <p className="muted" data-testid="discount-preview">
            {mode !== 'global' && mode !== 'approve' && lineIndex >= 0 ? `Importe de la línea: ${formatSoles(amounts.lines[lineIndex].total)} · ` : ''}
            {!amounts.globalDiscount.isZero() ? `Descuento global: ${formatSoles(amounts.globalDiscount)} · ` : ''}
            Total de la venta: <span className="strong">{formatSoles(amounts.totals.payable)}</span>
          </p>
        )}
        {need && (
          <fieldset className="approval" data-testid="approval">
            <legend>Autorización</legend>
            <p className="notice warn" data-testid="approval-needed">
              Línea {need.line}: {pct(need.percent)}% bajo el precio de lista supera su límite de {pct(limit)}%.
              {cart.approval ? ` Lo autorizado por ${cart.approval.approverName} (${pct(cart.approval.percent)}%) no alcanza.` : ''} Un supervisor o administrador lo autoriza aquí.
            </p>
            <UserPinFields testId="approval" userLabel="Usuario del supervisor" username={who.username} pin={who.pin} onUsername={(v) => setWho({ ...who, username: v })} onPin={(v) => setWho({ ...who, pin: v })} userRef={userRef} pinRef={pinRef} autoFocusUser={mode === 'approve'} />
            <label className="field">
              <span>Motivo</span>
              <input data-testid="approval-reason" value={who.reason} onChange={(e) => setWho({ ...who, reason: e.target.value })} />
            </label>
          </fieldset>
        )}
        <ErrorAlert message={error ?? (value.trim() ? problem : null)} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancelar (Esc)
          </button>
          <button type="submit" className="btn primary" data-testid="discount-save" disabled={busy}>
            {need ? 'Autorizar y aplicar (Enter)' : 'Aplicar (Enter)'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
