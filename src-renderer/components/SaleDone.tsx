// The sale is committed: its number is final and the document waits for SUNAT. Enter starts the next sale.
import type { CheckoutResult } from '../../src-shared/contract';
import { SUNAT_STATUS_LABELS } from '../../src-shared/documents';
import { soles } from '../format';
import { Modal } from './Modal';

export function SaleDone({ result, onNewSale }: { result: CheckoutResult; onNewSale: () => void }) {
  const status = SUNAT_STATUS_LABELS[result.sunatStatus as keyof typeof SUNAT_STATUS_LABELS] ?? result.sunatStatus;
  const hasChange = !Dec0(result.change);
  return (
    <Modal title="Venta registrada" onCancel={onNewSale} testId="sale-done">
      <div className="done">
        <p className="muted">{result.documentType === '01' ? 'Factura electrónica' : 'Boleta de venta electrónica'}</p>
        <p className="sale-number" data-testid="sale-number">
          {result.number}
        </p>
        <dl className="done-grid">
          <dt>Total</dt>
          <dd data-testid="sale-total">{soles(result.total)}</dd>
          <dt>Pagado</dt>
          <dd>{soles(result.paid)}</dd>
          <dt>Vuelto</dt>
          <dd className={hasChange ? 'change big-change' : 'change'} data-testid="sale-change">
            {soles(result.change)}
          </dd>
        </dl>
        <p className="notice" data-testid="sale-sunat-status">
          {status}
          {result.signed ? '' : ' · Firma pendiente (falta el certificado digital): la venta está guardada.'}
        </p>
        {result.negativeStock && (
          <p className="notice warn">Algún producto quedó con stock negativo: avise al encargado para revisar el inventario.</p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn primary big" data-testid="new-sale" autoFocus onClick={onNewSale}>
            Nueva venta (Enter)
          </button>
        </div>
      </div>
    </Modal>
  );
}

function Dec0(v: string): boolean {
  return /^0+(\.0+)?$/.test(v.trim());
}
