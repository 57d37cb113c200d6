// A user and PIN as typed at the counter, one way everywhere: the login, the lock screen and a supervisor's approval.
// Enter in the user field goes to the PIN (a barcode-scanner habit); the PIN field keeps digits only.
import type { RefObject } from 'react';

interface Props {
  /** data-testid of the two inputs: `${testId}-username` and `${testId}-pin`. */
  testId: string;
  username: string;
  pin: string;
  onUsername: (v: string) => void;
  onPin: (v: string) => void;
  /** Without it only the PIN is asked (the locked cashier unlocking). */
  showUser?: boolean;
  userLabel?: string;
  userRef: RefObject<HTMLInputElement | null>;
  pinRef: RefObject<HTMLInputElement | null>;
  autoFocusUser?: boolean;
}

export function UserPinFields({ testId, username, pin, onUsername, onPin, showUser = true, userLabel = 'Usuario', userRef, pinRef, autoFocusUser }: Props) {
  return (
    <>
      {showUser && (
        <label className="field">
          <span>{userLabel}</span>
          <input
            ref={userRef}
            data-testid={`${testId}-username`}
            autoFocus={autoFocusUser}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => onUsername(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !pin) {
                e.preventDefault();
                pinRef.current?.focus();
              }
            }}
          />
        </label>
      )}
      <label className="field">
        <span>PIN</span>
        <input
          ref={pinRef}
          data-testid={`${testId}-pin`}
          type="password"
          inputMode="numeric"
          autoComplete="current-password"
          maxLength={8}
          value={pin}
          onChange={(e) => onPin(e.target.value.replace(/\D/g, ''))}
        />
      </label>
    </>
  );
}

/** What is missing in a user and PIN as typed, with that field focused; null when both can be sent. */
export function userPinProblem(username: string, pin: string, refs: Pick<Props, 'userRef' | 'pinRef'>): string | null {
  if (!username.trim()) {
    refs.userRef.current?.focus();
    return 'Ingrese su usuario.';
  }
  if (!/^\d{4,8}$/.test(pin)) {
    refs.pinRef.current?.focus();
    return 'El PIN tiene de 4 a 8 dígitos. Escríbalo y presione Enter.';
  }
  return null;
}
