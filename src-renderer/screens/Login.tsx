// PIN login: username, numeric PIN, Enter submits.
import { useRef, useState, type FormEvent } from 'react';
import { UserPinFields, userPinProblem } from '../components/UserPinFields';
import type { UserView } from '../../src-shared/contract';
import { api, errorMessage } from '../api';

export function Login({ onLogin, notice }: { onLogin: (u: UserView) => void; notice: string | null }) {
  const [username, setUsername] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const problem = userPinProblem(username, pin, { userRef, pinRef });
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onLogin(await api.login(username.trim(), pin));
    } catch (err) {
      setError(errorMessage(err));
      setPin('');
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="center-screen">
      <form className="card login" onSubmit={submit} noValidate>
        <h1 className="brand">
          izi<span>Sales</span>
        </h1>
        <p className="muted">Ingrese su usuario y PIN</p>
        {notice && !error && <p className="notice">{notice}</p>}
        <UserPinFields testId="login" username={username} pin={pin} onUsername={setUsername} onPin={setPin} userRef={userRef} pinRef={pinRef} autoFocusUser />
        {error && (
          <p className="alert" role="alert" data-testid="error-alert">
            {error}
          </p>
        )}
        <button className="btn primary big" type="submit" data-testid="login-submit" disabled={busy}>
          {busy ? 'Ingresando…' : 'Ingresar'}
        </button>
      </form>
    </div>
  );
}
