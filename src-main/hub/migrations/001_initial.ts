// The hub's first schema: stores and terminals, enrolment codes, the series it allocates, one table per kind of
// record terminals replicate (keyed by terminal and uid, with a version), and the catalog it owns (each change
// numbered by one hub-wide sequence, so a terminal pulls `WHERE seq > after ORDER BY seq`).
export const name = 'initial';

/** Replicated records: the key, the version, the hub's own order of arrival, then the head's fields and `data`. */
const record = (table: string, head: string) => `CREATE TABLE ${table} (
  terminal_id uuid NOT NULL REFERENCES terminals(id),
  uid text NOT NULL,
  version bigint NOT NULL,
  hub_seq bigint NOT NULL DEFAULT nextval('record_seq'),
  received_at timestamptz NOT NULL DEFAULT now(),
  ${head},
  data jsonb NOT NULL,
  PRIMARY KEY (terminal_id, uid)
)`;

export const statements: string[] = [
  `CREATE TABLE stores (
    id serial PRIMARY KEY,
    ruc text NOT NULL,
    establishment text NOT NULL,
    name text NOT NULL,
    address text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (ruc, establishment)
  )`,
  `CREATE TABLE terminals (
    id uuid PRIMARY KEY,
    store_id integer NOT NULL REFERENCES stores(id),
    name text NOT NULL,
    token_hash text UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    enrolled_at timestamptz,
    last_contact timestamptz,
    applied_seq bigint NOT NULL DEFAULT 0,
    app_version text,
    UNIQUE (store_id, name)
  )`,
  `CREATE TABLE enrolment_codes (
    code_hash text PRIMARY KEY,
    terminal_id uuid NOT NULL REFERENCES terminals(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
  )`,
  `CREATE TABLE series_allocations (
    ruc text NOT NULL,
    document_type text NOT NULL,
    series text NOT NULL,
    terminal_id uuid NOT NULL REFERENCES terminals(id),
    kept boolean NOT NULL,
    allocated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ruc, series),
    UNIQUE (terminal_id, document_type)
  )`,

  `CREATE SEQUENCE record_seq`,
  record('sales', `ruc text NOT NULL, issue_date date NOT NULL, issued_at timestamptz NOT NULL, document_type text NOT NULL,
    series text NOT NULL, correlative integer NOT NULL, number text NOT NULL, status text NOT NULL, total_cents bigint NOT NULL,
    user_name text NOT NULL, customer_doc_number text NOT NULL`),
  record('notes', `ruc text NOT NULL, issue_date date NOT NULL, issued_at timestamptz NOT NULL, document_type text NOT NULL,
    series text NOT NULL, correlative integer NOT NULL, number text NOT NULL, total_cents bigint NOT NULL,
    reference text NOT NULL, reason_code text NOT NULL`),
  record('documents', `document_type text NOT NULL, number text NOT NULL, issue_date date NOT NULL, status text NOT NULL,
    owner_uid text, cdr_code text, simulated boolean NOT NULL`),
  record('cash_sessions', `opened_at timestamptz NOT NULL, closed_at timestamptz, cashier_name text, z_number integer`),
  record('cash_moves', `at timestamptz NOT NULL, amount_cents bigint NOT NULL`),
  record('collections', `at timestamptz NOT NULL, amount_cents bigint NOT NULL`),
  record('customers_in', `doc_type text NOT NULL, doc_number text NOT NULL, name text NOT NULL`),
  record('audit', `at timestamptz NOT NULL, action text NOT NULL`),
  // The reports (a day per terminal) and the check (numbers per RUC and series).
  `CREATE INDEX sales_day ON sales (issue_date, terminal_id)`,
  `CREATE INDEX notes_day ON notes (issue_date, terminal_id)`,
  `CREATE INDEX documents_day ON documents (issue_date, terminal_id)`,
  `CREATE INDEX sales_number ON sales (ruc, series, correlative)`,
  `CREATE INDEX notes_number ON notes (ruc, series, correlative)`,
  // own: a terminal's records in the order the hub received them.
  ...['sales', 'notes', 'documents', 'cash_sessions', 'cash_moves', 'collections', 'customers_in', 'audit']
    .map((t) => `CREATE INDEX ${t}_own ON ${t} (terminal_id, hub_seq)`),

  // What the hub owns: every insert or update takes the next number of ONE sequence (the trigger), so a change can
  // never be missed by a terminal that pulls after the last number it saw.
  `CREATE SEQUENCE catalog_seq`,
  `CREATE FUNCTION bump_catalog_seq() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN NEW.seq := nextval('catalog_seq'); NEW.updated_at := now(); RETURN NEW; END $$`,
  `CREATE TABLE products (
    code text PRIMARY KEY, barcode text, name text NOT NULL, unit text NOT NULL, price_cents bigint NOT NULL,
    tax_affectation text NOT NULL, is_bag boolean NOT NULL DEFAULT false, active boolean NOT NULL DEFAULT true,
    seq bigint NOT NULL, updated_at timestamptz NOT NULL
  )`,
  `CREATE TABLE users (
    username text PRIMARY KEY, name text NOT NULL, role text NOT NULL, pin_hash text NOT NULL,
    active boolean NOT NULL DEFAULT true, seq bigint NOT NULL, updated_at timestamptz NOT NULL
  )`,
  `CREATE TABLE customers (
    doc_type text NOT NULL, doc_number text NOT NULL, name text NOT NULL, address text,
    seq bigint NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (doc_type, doc_number)
  )`,
  `CREATE TABLE settings (key text PRIMARY KEY, value jsonb NOT NULL, seq bigint NOT NULL, updated_at timestamptz NOT NULL)`,
  ...['products', 'users', 'customers', 'settings'].flatMap((t) => [
    `CREATE TRIGGER ${t}_seq BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION bump_catalog_seq()`,
    `CREATE INDEX ${t}_seq ON ${t} (seq)`,
  ]),
];
