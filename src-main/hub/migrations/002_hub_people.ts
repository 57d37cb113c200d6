// The hub's own people and what its screens need: managers and admins who log in to the hub's screens (their PIN or
// password hashed like the terminals' PINs), their sessions (only the token's SHA-256 is kept), the audit of every
// change made there, each terminal's upload backlog as it last reported it, and two indexes for the screens (the
// documents SUNAT still owes an answer or refused, per terminal; a sale's document by its owner).
export const name = 'hub_people';

export const statements: string[] = [
  `CREATE TABLE hub_users (
    username text PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('manager', 'admin')),
    secret_hash text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    failed_logins integer NOT NULL DEFAULT 0,
    locked_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE hub_sessions (
    token_hash text PRIMARY KEY,
    username text NOT NULL REFERENCES hub_users(username),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX hub_sessions_user ON hub_sessions (username)`,
  `CREATE TABLE hub_audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    username text NOT NULL,
    action text NOT NULL,
    details jsonb NOT NULL
  )`,
  `CREATE INDEX hub_audit_at ON hub_audit (at)`,
  // Old terminals do not send it: null, "not reported".
  `ALTER TABLE terminals ADD COLUMN backlog integer`,
  `CREATE INDEX documents_open ON documents (terminal_id, status) WHERE status IN ('pending', 'error', 'rejected')`,
  `CREATE INDEX documents_owner ON documents (terminal_id, owner_uid)`,
];
