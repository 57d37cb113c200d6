// F3 or *: type the quantity of the selected line (up to 3 decimals for goods sold by weight).
import { useState, type FormEvent } from 'react';
import { formatSoles } from '../../src-shared/decimal';
import { lineAmount, parseQuantity, type CartLine } from '../cart';
import { Modal } from './Modal';

export function QuantityDialog({ line, onSave, onCancel }: { line: CartLine; onSave: (q: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(line.quantity);
  const [error, setError] = useState<string | null>(null);
  const q = parseQuantity(value);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (q === null) {
      setError('Escriba una cantidad mayor que cero, por ejemplo 3 o 0.250, y presione Enter. Para quitar la línea use Supr.');
      return;
    }
    onSave(q);
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
        {q !== null && <p className="muted">Importe: {formatSoles(lineAmount({ ...line, quantity: q }))}</p>}
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
