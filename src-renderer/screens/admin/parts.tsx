// What the Administración sections share: field and form messages from the main process's refusals, and the settings
// view they read and replace. Every change goes through the contract; the main process validates it, refuses it to a
// cashier and audits it — the sections only show.
import { useEffect, useState, type ReactNode } from 'react';
import { ApiError, type AdminSettingsView } from '../../../src-shared/contract';
import { hubOwnedMessage, type HubOwned } from '../../../src-shared/hub-owned';
import { api, errorMessage } from '../../api';

/** Per-field messages from an ApiError's issues (by the last part of the path), and the rest as one text. */
export function splitErrors(e: unknown, field: (path: string) => string | null): { fields: Record<string, string>; other: string | null } {
  if (!(e instanceof ApiError) || !e.issues?.length) return { fields: {}, other: errorMessage(e) };
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const i of e.issues) {
    const f = field(i.path);
    if (f) fields[f] = fields[f] ? `${fields[f]} ${i.message}` : i.message;
    else other.push(i.message);
  }
  return { fields, other: other.length > 0 ? other.join(' ') : null };
}

/** The main process's refusal as one text: its issues' messages, or the error's own. */
export function issuesText(e: unknown): string {
  if (e instanceof ApiError && e.issues?.length) return e.issues.map((i) => i.message).join(' ');
  return errorMessage(e);
}

export function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text ? <small className="bad-text" data-testid={id}>{text}</small> : null;
}

export function Messages({ error, notice }: { error: string | null; notice: ReactNode }) {
  return (
    <>
      {error && <p className="alert" role="alert" data-testid="error-alert">{error}</p>}
      {notice && <p className="notice" data-testid="admin-notice">{notice}</p>}
    </>
  );
}

export function useSettings(): [AdminSettingsView | null, (v: AdminSettingsView) => void, string | null] {
  const [view, setView] = useState<AdminSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('settings.get', {}).then(setView, (e) => setError(errorMessage(e)));
  }, []);
  return [view, setView, error];
}

/** Once this till is enrolled in a hub, what it owns is shown read-only with this sentence instead of edit buttons. */
export function HubOwnedNotice({ hubUrl, what }: { hubUrl: string; what: HubOwned }) {
  return <p className="notice" data-testid={`hub-owned-${what}`}>{hubOwnedMessage(hubUrl, what)}</p>;
}
