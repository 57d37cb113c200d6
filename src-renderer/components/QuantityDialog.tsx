// F3 or *: type the quantity of the selected line (up to 3 decimals for goods sold by weight).
import { useState, type FormEvent } from 'react';
import type { TaxRatesView } from '../../src-shared/contract';
import { formatSoles } from '../../src-shared/decimal';
import { readQuantity } from '../../src-shared/number-input';
import { cartAmounts, type CartLine } from '../cart';
import { Modal } from './Modal';

interface Props {
  line: CartLine;
  rates: TaxRatesView | null;
  onSave: (q: string) => void;
  onCancel: () => void;
}

export function QuantityDialog({ line, rates, onSave, onCancel }: Props) {
  const [value, setValue] = useState(line.quantity);
  const [error, setError] = useState<string | null>(null);
  const q = readQuantity(value).value;
  // The line as it would be charged (bags' ICBPER included), by the same code as the cart and the checkout.
  const preview = q !== null && rates ? cartAmounts([{ ...line, quantity: q }], rates) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    const read = readQuantity(value);
    if (read.value === null) {
      setError(`${read.error} Para quitar la línea use Supr.`);
      return;
    }
    if (preview?.error) {
      setError(preview.error);
      return;
    }
    onSave(read.value);
  }

  return (
    <Modal title="Cambiar cantidad" onCancel={onCancel} testId="qty-dialog">
      <form onSubmit={submit} noValidate>
        <p className="strong">{line.product.name}</p>
        <p className="muted">Precio unitario {formatSoles(line.product.price)}</p>
        <label className="field">
          <span>Cantidad</span>
          <input
            data-testid="qty-input"
            className="money-input"
            inputMode="decimal"
            autoFocus
            onFocus={(e) => e.target.select()}
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setError(null);
            }}
          />
        </label>
        {preview?.totals && <p className="muted">Importe: {formatSoles(preview.totals.payable)}</p>}
        {error && (
          <p className="alert" role="alert" data-testid="error-alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancelar (Esc)
          </button>
          <button type="submit" className="btn primary" data-testid="qty-save">
            Aceptar (Enter)
          </button>
        </div>
      </form>
    </Modal>
  );
}
