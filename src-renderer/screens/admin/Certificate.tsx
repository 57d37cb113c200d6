// Administración → Certificado: the signing certificate in use, and importing a new one (.pfx / .p12).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { CertificateView } from '../../../src-shared/contract';
import { api, errorMessage } from '../../api';
import { FieldError, splitErrors } from './parts';

/** The file's bytes in base64, in chunks (a spread of the whole file could overflow the call stack). */
async function fileBase64(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function CertificateFacts({ c }: { c: CertificateView }) {
  return (
    <dl className="facts" data-testid="cert-current">
      <dt>Titular</dt><dd data-testid="cert-subject">{c.subject}</dd>
      <dt>RUC</dt><dd data-testid="cert-ruc">{c.ruc ?? 'no indicado'}</dd>
      <dt>Emitido por</dt><dd>{c.selfSigned ? 'autofirmado (prueba)' : c.issuer}</dd>
      <dt>Válido</dt>
      <dd data-testid="cert-valid-to">
        del {c.validFrom} al {c.validTo} {c.expired ? '(vencido)' : `(${c.daysLeft} días restantes)`}
      </dd>
      <dt>N.º de serie</dt><dd className="mono">{c.serialNumber}</dd>
    </dl>
  );
}

export function CertificateSection({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState<{ certificate: CertificateView | null; warning: string | null } | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [imported, setImported] = useState<CertificateView | null>(null);
  const [busy, setBusy] = useState(false);
  const [inputKey, setInputKey] = useState(0);
  // Shown once the server refused a certificate of another RUC: importing it anyway needs this explicit consent.
  const [rucChange, setRucChange] = useState<{ asked: boolean; confirmed: boolean }>({ asked: false, confirmed: false });

  const reload = useCallback(() => {
    api.call('cert.show', {}).then(setCurrent, (e) => setError(errorMessage(e)));
  }, []);
  useEffect(() => reload(), [reload]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFields({});
    setError(null);
    setImported(null);
    if (!file) {
      setFields({ file: 'Elija el archivo .pfx o .p12 del certificado.' });
      return;
    }
    setBusy(true);
    try {
      const view = await api.call('cert.import', {
        pfxBase64: await fileBase64(file), password, ...(rucChange.confirmed ? { confirmRucChange: true } : {}),
      });
      setImported(view);
      setPassword('');
      setFile(null);
      setInputKey((k) => k + 1);
      setRucChange({ asked: false, confirmed: false });
      reload();
      onChanged();
    } catch (err) {
      const r = splitErrors(err, (p) => (p === 'password' ? 'password' : p === 'file' || p === 'pfxBase64' ? 'file' : p === 'confirmRucChange' ? 'rucChange' : null));
      if (r.fields.rucChange) setRucChange({ asked: true, confirmed: false });
      setFields(r.fields);
      setError(r.other);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="admin-section">
      <h2>Certificado digital actual</h2>
      {current?.warning && <p className="notice warn" role="alert" data-testid="cert-warning">{current.warning}</p>}
      {current?.certificate ? (
        <>
          <CertificateFacts c={current.certificate} />
          {current.certificate.warnings.map((w) => <p key={w} className="notice warn">{w}</p>)}
        </>
      ) : (
        current && (
          <p className="muted" data-testid="cert-none">
            No hay certificado guardado.{current.warning ? '' : ' En modo demo se crea uno de prueba al firmar la primera venta.'}
          </p>
        )
      )}
      <form className="admin-form inline" onSubmit={submit} noValidate>
        <h2>Importar certificado (.pfx / .p12)</h2>
        <p className="muted">
          Se comprueba que tenga la clave privada y esté vigente; se guarda cifrado en este equipo. La contraseña no se muestra ni se
          registra nunca.
        </p>
        <label className="field">
          <span>Archivo del certificado</span>
          <input key={inputKey} type="file" accept=".pfx,.p12,application/x-pkcs12" onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            aria-invalid={fields.file ? 'true' : undefined} data-testid="cert-file" />
          <FieldError id="cert-error-file" text={fields.file} />
        </label>
        <label className="field">
          <span>Contraseña del certificado</span>
          <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)}
            aria-invalid={fields.password ? 'true' : undefined} data-testid="cert-password" />
          <FieldError id="cert-error-password" text={fields.password} />
        </label>
        {fields.rucChange && <p className="alert" role="alert" data-testid="cert-ruc-refused">{fields.rucChange}</p>}
        {rucChange.asked && (
          <label className="field check">
            <input type="checkbox" checked={rucChange.confirmed} onChange={(e) => setRucChange({ asked: true, confirmed: e.target.checked })}
              data-testid="cert-confirm-ruc-change" />
            <span>Confirmo que el RUC de la tienda cambia: usar este certificado de otro RUC</span>
          </label>
        )}
        {error && <p className="alert" role="alert" data-testid="error-alert">{error}</p>}
        {imported && (
          <div className="notice" data-testid="cert-imported">
            Certificado importado: {imported.subject}, válido hasta el {imported.validTo}.
            {imported.warnings.map((w) => <p key={w} className="bad-text" data-testid="cert-import-warning">{w}</p>)}
          </div>
        )}
        <button className="btn primary" type="submit" disabled={busy} data-testid="cert-import">
          {busy ? 'Importando…' : 'Importar certificado'}
        </button>
      </form>
    </div>
  );
}
