// The locked POS (issue 15, sessions): after the store's idle minutes, Ctrl+L, or when the main process ended the
// session. It names who is locked and takes that cashier's PIN at once (Enter unlocks, the sale in progress is as it
// was); F2 lets another user log in instead (the locked cashier's sale then waits in F5's list). Wrong PINs count
// towards the lockout like at the login; the message says how long to wait.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { UserPinFields, userPinProblem } from './UserPinFields';
import type { UserView } from '../../src-shared/contract';
import { errorMessage } from '../api';
import { ErrorAlert } from './ErrorAlert';

interface Props {
  user: UserView;
  /** Why it locked when it was not the idle time or Ctrl+L (the main process's message). */
  notice: string | null;
  /** Whether a sale in progress is kept for this cashier. */
  holdsSale: boolean;
  /** Logs `username` in with `pin`; rejects with the main process's refusal. */
  onUnlock: (username: string, pin: string) => Promise<void>;
}

export function LockScreen({ user, notice, holdsSale, onUnlock }: Props) {
  const [other, setOther] = useState(false);
  const [username, setUsername] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const userRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (other ? userRef : pinRef).current?.focus();
  }, [other]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const who = other ? username.trim() : user.username;
    const problem = userPinProblem(who, pin, { userRef, pinRef });
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onUnlock(who, pin);
    } catch (err) {
      setError(errorMessage(err));
      setPin('');
      setBusy(false);
      pinRef.current?.focus();
    }
  }

  function switchTo(next: boolean) {
    setOther(next);
    setPin('');
    setError(null);
  }

  return (
    <div
      className="overlay lock-screen"
      onKeyDown={(e) => {
        if (e.key === 'F2' && !other) {
          e.preventDefault();
          switchTo(true);
        } else if (e.key === 'Escape' && other) {
          e.preventDefault();
          switchTo(false);
        }
      }}
    >
      <form role="dialog" aria-modal="true" aria-labelledby="lock-title" className="dialog lock-card" onSubmit={submit} noValidate data-testid="lock-screen">
        <h2 id="lock-title" className="dialog-title" data-testid="lock-title">
          Caja bloqueada — {user.name}
        </h2>
        {notice && !error && <p className="notice">{notice}</p>}
        {!other ? (
          <p className="muted">
            {user.name}: escriba su PIN y presione Enter para seguir{holdsSale ? ' con la venta en curso, que está tal como la dejó' : ''}.
          </p>
        ) : (
          <p className="muted">
            Otro usuario.{holdsSale ? ` La venta en curso de ${user.name} quedará en espera (F5) para retomarla después.` : ''}
          </p>
        )}
        <UserPinFields testId="lock" username={username} pin={pin} onUsername={setUsername} onPin={setPin} showUser={other} userRef={userRef} pinRef={pinRef} />
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          {other ? (
            <button type="button" className="btn" onClick={() => switchTo(false)}>
              Volver a {user.name} (Esc)
            </button>
          ) : (
            <button type="button" className="btn" data-testid="lock-other" onClick={() => switchTo(true)}>
              Otro usuario (F2)
            </button>
          )}
          <button type="submit" className="btn primary" data-testid="lock-submit" disabled={busy}>
            {busy ? 'Ingresando…' : other ? 'Ingresar (Enter)' : 'Desbloquear (Enter)'}
          </button>
        </div>
      </form>
    </div>
  );
}
