// Administración → Impresora (issue 17): the terminal's thermal printer — its address as the store types it
// (tcp://192.168.1.50:9100, /dev/usb/lp0, lp://COLA), code page, paper width, QR and cut — or none (the PDF goes to the
// system printer). "Imprimir prueba" prints a test ticket to the address typed, saved or not, and says what happened
// with the printer's status; the logo (PNG) prints at the top of every ticket. Saving goes through settings.update.
import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import type { CodePage, PrinterAdminView, PrinterTestView } from '../../../src-shared/printer';
import { BAD_PRINTER_URI, printerTargetOf } from '../../../src-shared/printer';
import { api, errorMessage } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FieldError, Messages, splitErrors } from './parts';

type Form = { thermal: boolean; uri: string; codePage: CodePage; paperWidth: 80 | 58; qr: 'native' | 'raster'; cut: 'full' | 'partial' };

function formOf(v: PrinterAdminView): Form {
  const e = v.escpos;
  return { thermal: !!e, uri: e?.uri ?? '', codePage: e?.codePage ?? 'pc850', paperWidth: v.paperWidth, qr: e?.qr ?? 'native', cut: e?.cut ?? 'partial' };
}

export function PrinterSection() {
  const [view, setView] = useState<PrinterAdminView | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [uriError, setUriError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [test, setTest] = useState<PrinterTestView | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.call('printer.get', {}).then((v) => {
      setView(v);
      setForm(formOf(v));
    }, (e) => setError(errorMessage(e)));
  }, []);

  if (!form || !view) return error ? <ErrorAlert message={error} /> : <p className="muted">Cargando…</p>;
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  // The same grammar the main process checks: said at once, next to the field.
  const checkUri = () => (form.uri.trim() && !printerTargetOf(form.uri) ? BAD_PRINTER_URI(form.uri.trim()) : undefined);

  async function printTest() {
    const bad = checkUri() ?? (form!.uri.trim() ? undefined : 'Escriba la dirección de la impresora.');
    setUriError(bad);
    setTest(null);
    setError(null);
    if (bad) return;
    setBusy(true);
    try {
      setTest(await api.call('printer.test', { uri: form!.uri.trim(), codePage: form!.codePage, qr: form!.qr, cut: form!.cut, paperWidth: form!.paperWidth }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const bad = form!.thermal ? checkUri() ?? (form!.uri.trim() ? undefined : 'Escriba la dirección de la impresora.') : undefined;
    setUriError(bad);
    setError(null);
    setNotice(null);
    if (bad) return;
    setBusy(true);
    try {
      const f = form!;
      await api.call('settings.update', {
        printer: { paperWidth: f.paperWidth, escpos: f.thermal ? { uri: f.uri.trim(), codePage: f.codePage, qr: f.qr, cut: f.cut } : null },
      });
      const v = await api.call('printer.get', {});
      setView(v);
      setForm(formOf(v));
      setNotice(f.thermal ? 'Impresora guardada: los tickets se imprimen en ella y abre el cajón con los pagos en efectivo.' : 'Sin impresora térmica: los tickets se imprimen como PDF en la impresora del sistema.');
    } catch (err) {
      const r = splitErrors(err, (p) => (p.endsWith('uri') ? 'uri' : null));
      setUriError(r.fields.uri);
      setError(r.other);
    } finally {
      setBusy(false);
    }
  }

  async function uploadLogo(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const v = await api.call('printer.logo', { pngBase64: btoa(bin) });
      setView(v);
      setNotice('Logo guardado: se imprime arriba de cada ticket.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function removeLogo() {
    setBusy(true);
    try {
      setView(await api.call('printer.logo', { pngBase64: null }));
      setNotice('Logo quitado.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="admin-form" onSubmit={save} noValidate data-testid="printer-section">
      <h2>Impresora de tickets</h2>
      <fieldset>
        <label className="check">
          <input type="radio" name="thermal" checked={form.thermal} onChange={() => set({ thermal: true })} data-testid="printer-thermal" />
          Impresora térmica (ESC/POS): imprime al cobrar y abre el cajón con los pagos en efectivo
        </label>
        <label className="check">
          <input type="radio" name="thermal" checked={!form.thermal} onChange={() => set({ thermal: false })} data-testid="printer-none" />
          Sin impresora térmica (PDF a la impresora del sistema)
        </label>
      </fieldset>
      {form.thermal && (
        <>
          <label>
            Dirección de la impresora
            <input
              value={form.uri} onChange={(e) => set({ uri: e.target.value })} onBlur={() => setUriError(checkUri())}
              placeholder="tcp://192.168.1.50:9100" aria-invalid={!!uriError} data-testid="printer-uri" autoFocus
            />
            <small className="muted">Red: tcp://IP:9100 · USB o serie: /dev/usb/lp0, COM3 · CUPS: lp://COLA</small>
            <FieldError id="printer-uri-error" text={uriError} />
          </label>
          <label>
            Página de códigos
            <select value={form.codePage} onChange={(e) => set({ codePage: e.target.value as CodePage })} data-testid="printer-codepage">
              <option value="pc850">PC850 (la mayoría de Epson y compatibles)</option>
              <option value="wpc1252">WPC1252</option>
            </select>
          </label>
          <label>
            Código QR
            <select value={form.qr} onChange={(e) => set({ qr: e.target.value as Form['qr'] })} data-testid="printer-qr">
              <option value="native">Con el comando de la impresora</option>
              <option value="raster">Como imagen (impresoras sin QR propio)</option>
            </select>
          </label>
          <label>
            Corte
            <select value={form.cut} onChange={(e) => set({ cut: e.target.value as Form['cut'] })} data-testid="printer-cut">
              <option value="partial">Parcial</option>
              <option value="full">Total</option>
            </select>
          </label>
        </>
      )}
      <label>
        Ancho del papel
        <select value={form.paperWidth} onChange={(e) => set({ paperWidth: Number(e.target.value) === 58 ? 58 : 80 })} data-testid="printer-width">
          <option value={80}>80 mm (48 columnas)</option>
          <option value={58}>58 mm (32 columnas)</option>
        </select>
      </label>
      <div className="actions">
        {form.thermal && (
          <button type="button" className="btn" disabled={busy} onClick={() => void printTest()} data-testid="printer-test">
            {busy ? 'Imprimiendo…' : 'Imprimir prueba'}
          </button>
        )}
        <button type="submit" className="btn primary" disabled={busy} data-testid="printer-save">Guardar</button>
      </div>
      {test && (
        <p className={test.ok ? 'notice' : 'alert'} role={test.ok ? 'status' : 'alert'} data-testid="printer-test-result">
          {test.message}{test.status ? ` · Estado de la impresora: ${test.status}` : ''}
        </p>
      )}
      <Messages error={error} notice={notice} />
      <h2>Logo del ticket</h2>
      <p className="muted" data-testid="printer-logo">
        {view.logo ? `Logo de ${view.logo.width} × ${view.logo.height} puntos, en blanco y negro.` : 'Sin logo.'} Suba una imagen PNG (un JPEG
        guárdelo antes como PNG); se ajusta al ancho del rollo.
      </p>
      <div className="actions">
        <label className="btn">
          Subir logo (PNG)
          <input type="file" accept="image/png" hidden onChange={(e) => void uploadLogo(e)} data-testid="printer-logo-file" />
        </label>
        {view.logo && <button type="button" className="btn" disabled={busy} onClick={() => void removeLogo()} data-testid="printer-logo-remove">Quitar logo</button>}
      </div>
    </form>
  );
}
