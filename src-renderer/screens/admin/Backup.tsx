// Administración → Copia de seguridad: a copy now, and restoring one (RestorePanel).
import { useState } from 'react';
import { api, errorMessage } from '../../api';
import { RestorePanel } from '../../components/RestorePanel';

export function BackupSection() {
  const [file, setFile] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function backup() {
    setBusy(true);
    setError(null);
    try {
      setFile((await api.call('db.backupNow', {})).file);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="admin-backup">
      <p>La copia diaria se hace sola. Puede hacer una ahora, por ejemplo antes de un cambio grande.</p>
      <button className="btn primary" onClick={() => void backup()} disabled={busy} data-testid="backup-now">
        {busy ? 'Copiando…' : 'Copiar ahora'}
      </button>
      {file && <p className="notice" data-testid="backup-file">Copia guardada en <span className="mono">{file}</span></p>}
      {error && <p className="alert" role="alert">{error}</p>}
      <RestorePanel key={file ?? ''} />
    </div>
  );
}
