// F4: who the receipt is for. Validates the document number as it is typed (identityDocError), looks the customer up
// once the number is complete and prefills the name; Enter saves. A factura needs a RUC.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CheckoutInput } from '../../src-shared/contract';
import { identityDocError } from '../../src-shared/identity';
import { api, errorMessage } from '../api';
import { Modal } from './Modal';

type CustomerDocType = NonNullable<CheckoutInput['customer']>['docType'];
export interface CustomerChoice {
  docType: CustomerDocType;
  docNumber: string;
  name: string;
  address?: string;
}

const DOC_OPTIONS: { value: CustomerDocType; label: string; length?: number }[] = [
  { value: '1', label: 'DNI', length: 8 },
  { value: '6', label: 'RUC', length: 11 },
  { value: '4', label: 'Carné de extranjería' },
  { value: '7', label: 'Pasaporte' },
  { value: '-', label: 'Clientes varios (sin documento)' },
];

interface Props {
  documentType: '01' | '03';
  initial: CustomerChoice | null;
  onSave: (c: CustomerChoice | null) => void;
  onCancel: () => void;
}

export function CustomerPicker({ documentType, initial, onSave, onCancel }: Props) {
  const factura = documentType === '01';
  const [docType, setDocType] = useState<CustomerDocType>(initial?.docType ?? (factura ? '6' : '1'));
  const [docNumber, setDocNumber] = useState(initial?.docNumber ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [address, setAddress] = useState(initial?.address ?? '');
  const [submitted, setSubmitted] = useState(false);
  const [apiError, setApiError] = useState<string | null>(null);
  const [lookupNote, setLookupNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const numberRef = useRef<HTMLInputElement>(null);
  const prefilled = useRef<string | null>(null);

  const anonymous = docType === '-';
  const expectedLength = DOC_OPTIONS.find((o) => o.value === docType)?.length;
  const number = docNumber.trim();
  const docError = anonymous ? null : identityDocError(docType, number);
  const complete = expectedLength ? number.length >= expectedLength : number.length > 0;
  let error: string | null = null;
  if (factura && docType !== '6') error = 'La factura requiere el RUC del cliente: elija RUC, o cierre con Esc y presione F6 para emitir boleta.';
  else if (docError && (submitted || complete)) error = docError;
  else if (submitted && !anonymous && !name.trim()) error = 'Ingrese el nombre o razón social del cliente.';

  // Once the number is complete and valid, look the customer up and prefill the name (unless the cashier typed one).
  useEffect(() => {
    if (anonymous || docError) return;
    let cancelled = false;
    const timer = window.setTimeout(() => {
      api.call('customers.lookup', { docType, docNumber: number }).then(
        (c) => {
          if (cancelled) return;
          if (c) {
            if (!name.trim() || name === prefilled.current) {
              setName(c.name);
              setAddress(c.address ?? '');
              prefilled.current = c.name;
            }
            setLookupNote('Cliente registrado: se completaron sus datos.');
          } else setLookupNote('Cliente nuevo: escriba el nombre o razón social.');
        },
        () => {
          if (!cancelled) setLookupNote(null);
        },
      );
    }, 150);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
    // Only when the document changes: name is read, not a trigger.
  }, [docType, number, anonymous, docError]);

  async function submit(e: FormEvent | React.KeyboardEvent) {
    e.preventDefault();
    setSubmitted(true);
    setApiError(null);
    if (busy) return;
    if (anonymous) {
      if (factura) return;
      onSave(null);
      return;
    }
    if (factura && docType !== '6') return;
    if (docError) {
      numberRef.current?.focus();
      return;
    }
    if (!name.trim()) {
      nameRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const saved = await api.call('customers.save', {
        docType,
        docNumber: number,
        name: name.trim(),
        address: address.trim() || undefined,
      });
      onSave({
        docType: saved.docType as CustomerDocType,
        docNumber: saved.docNumber,
        name: saved.name,
        address: saved.address ?? undefined,
      });
    } catch (err) {
      setApiError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={factura ? 'Cliente de la factura' : 'Cliente de la boleta'} onCancel={onCancel} testId="customer-dialog">
      <form onSubmit={submit} noValidate className="form-grid">
        <label className="field">
          <span>Tipo de documento</span>
          <select
            data-testid="customer-doctype"
            value={docType}
            onChange={(e) => {
              setDocType(e.target.value as CustomerDocType);
              setSubmitted(false);
              setLookupNote(null);
              numberRef.current?.focus();
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                if (anonymous) void submit(e);
                else numberRef.current?.focus();
              }
            }}
          >
            {DOC_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {!anonymous && (
          <>
            <label className="field">
              <span>Número de {DOC_OPTIONS.find((o) => o.value === docType)?.label ?? 'documento'}</span>
              <input
                ref={numberRef}
                data-testid="customer-docnumber"
                autoFocus
                inputMode={docType === '1' || docType === '6' ? 'numeric' : 'text'}
                maxLength={docType === '6' ? 11 : docType === '1' ? 8 : 15}
                autoComplete="off"
                spellCheck={false}
                value={docNumber}
                aria-invalid={Boolean(error && docError)}
                onChange={(e) => {
                  const v = docType === '1' || docType === '6' ? e.target.value.replace(/\D/g, '') : e.target.value.toUpperCase();
                  setDocNumber(v);
                  setApiError(null);
                  setLookupNote(null);
                }}
              />
            </label>
            <label className="field">
              <span>{docType === '6' ? 'Razón social' : 'Nombre completo'}</span>
              <input
                ref={nameRef}
                data-testid="customer-name"
                autoComplete="off"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            <label className="field">
              <span>Dirección (opcional{docType === '6' ? ', recomendada en factura' : ''})</span>
              <input data-testid="customer-address" autoComplete="off" value={address} onChange={(e) => setAddress(e.target.value)} />
            </label>
          </>
        )}
        {error && (
          <p className="alert" role="alert" data-testid="customer-error">
            {error}
          </p>
        )}
        {apiError && (
          <p className="alert" role="alert" data-testid="error-alert">
            {apiError}
          </p>
        )}
        {!error && !apiError && lookupNote && <p className="notice">{lookupNote}</p>}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancelar (Esc)
          </button>
          <button type="submit" className="btn primary" data-testid="customer-save" disabled={busy}>
            {busy ? 'Guardando…' : 'Guardar cliente (Enter)'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
