// 001: the first schema. Money in integer céntimos (*_cents); quantities and unit values as decimal strings;
// times as ISO-8601 UTC; issue_date as the Lima calendar date.
export const sql = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'cashier')),
  pin_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  barcode TEXT UNIQUE,
  name TEXT NOT NULL,
  unit_code TEXT NOT NULL DEFAULT 'NIU',
  price TEXT NOT NULL,
  tax_affectation TEXT NOT NULL DEFAULT '10',
  is_bag INTEGER NOT NULL DEFAULT 0,
  stock TEXT NOT NULL DEFAULT '0',
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Accent- and case-insensitive word search served by SQLite (FTS5, diacritics removed).
CREATE VIRTUAL TABLE products_fts USING fts5(
  name, sku, barcode, content='products', content_rowid='id', tokenize="unicode61 remove_diacritics 2"
);
CREATE TRIGGER products_ai AFTER INSERT ON products BEGIN
  INSERT INTO products_fts(rowid, name, sku, barcode) VALUES (new.id, new.name, new.sku, coalesce(new.barcode, ''));
END;
CREATE TRIGGER products_ad AFTER DELETE ON products BEGIN
  INSERT INTO products_fts(products_fts, rowid, name, sku, barcode) VALUES ('delete', old.id, old.name, old.sku, coalesce(old.barcode, ''));
END;
CREATE TRIGGER products_au AFTER UPDATE OF name, sku, barcode ON products BEGIN
  INSERT INTO products_fts(products_fts, rowid, name, sku, barcode) VALUES ('delete', old.id, old.name, old.sku, coalesce(old.barcode, ''));
  INSERT INTO products_fts(rowid, name, sku, barcode) VALUES (new.id, new.name, new.sku, coalesce(new.barcode, ''));
END;

CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  doc_type TEXT NOT NULL,
  doc_number TEXT NOT NULL,
  name TEXT NOT NULL,
  address TEXT,
  email TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (doc_type, doc_number)
);

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  document_type TEXT NOT NULL,
  series TEXT NOT NULL UNIQUE,
  next_number INTEGER NOT NULL DEFAULT 1,
  UNIQUE (terminal_id, document_type)
);

CREATE TABLE cash_sessions (
  id INTEGER PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  opened_at TEXT NOT NULL,
  opening_float_cents INTEGER NOT NULL,
  closed_at TEXT,
  closed_by INTEGER REFERENCES users(id),
  counted_cents INTEGER,
  expected_cents INTEGER,
  difference_cents INTEGER,
  z_number INTEGER UNIQUE
);
-- At most one open session per terminal.
CREATE UNIQUE INDEX cash_sessions_open ON cash_sessions(terminal_id) WHERE closed_at IS NULL;

CREATE TABLE cash_moves (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES cash_sessions(id),
  kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  reason TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
);

CREATE TABLE sales (
  id INTEGER PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  session_id INTEGER NOT NULL REFERENCES cash_sessions(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  customer_id INTEGER REFERENCES customers(id),
  customer_doc_type TEXT NOT NULL,
  customer_doc_number TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  customer_address TEXT,
  document_type TEXT NOT NULL,
  series TEXT NOT NULL,
  correlative INTEGER NOT NULL,
  number TEXT NOT NULL UNIQUE,
  issued_at TEXT NOT NULL,
  issue_date TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'PEN',
  igv_rate TEXT NOT NULL,
  gravado_cents INTEGER NOT NULL,
  exonerado_cents INTEGER NOT NULL,
  inafecto_cents INTEGER NOT NULL,
  gratuito_cents INTEGER NOT NULL,
  igv_cents INTEGER NOT NULL,
  icbper_cents INTEGER NOT NULL,
  discount_cents INTEGER NOT NULL,
  total_cents INTEGER NOT NULL,
  paid_cents INTEGER NOT NULL,
  change_cents INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'cancelled')),
  negative_stock INTEGER NOT NULL DEFAULT 0,
  UNIQUE (series, correlative)
);
CREATE INDEX sales_issue_date ON sales(issue_date);
CREATE INDEX sales_user_date ON sales(user_id, issue_date);
CREATE INDEX sales_session ON sales(session_id);

CREATE TABLE sale_lines (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  line_no INTEGER NOT NULL,
  product_id INTEGER REFERENCES products(id),
  description TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit_price TEXT NOT NULL,
  unit_value TEXT NOT NULL,
  tax_affectation TEXT NOT NULL,
  discount_cents INTEGER NOT NULL,
  value_cents INTEGER NOT NULL,
  igv_cents INTEGER NOT NULL,
  icbper_cents INTEGER NOT NULL,
  bags INTEGER NOT NULL DEFAULT 0,
  total_cents INTEGER NOT NULL,
  UNIQUE (sale_id, line_no)
);

CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'yape', 'plin')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  tendered_cents INTEGER,
  reference TEXT
);
CREATE INDEX payments_sale ON payments(sale_id);

CREATE TABLE stock_moves (
  id INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products(id),
  sale_id INTEGER REFERENCES sales(id),
  quantity TEXT NOT NULL,
  reason TEXT NOT NULL,
  stock_after TEXT NOT NULL,
  negative INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX stock_moves_product ON stock_moves(product_id);
CREATE INDEX stock_moves_sale ON stock_moves(sale_id);

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER REFERENCES sales(id),
  document_type TEXT NOT NULL,
  series TEXT NOT NULL,
  correlative INTEGER NOT NULL,
  file_name TEXT NOT NULL UNIQUE,
  issue_date TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'accepted', 'observed', 'rejected', 'error', 'voided')),
  xml TEXT,
  digest_value TEXT,
  qr TEXT,
  signed_at TEXT,
  ticket TEXT,
  cdr_zip BLOB,
  cdr_code TEXT,
  cdr_description TEXT,
  cdr_notes TEXT,
  last_error TEXT,
  last_attempt_at TEXT,
  accepted_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX documents_sale ON documents(sale_id);
CREATE INDEX documents_status ON documents(status);
CREATE INDEX documents_issue_date ON documents(issue_date);
-- The signed XML is immutable once created: what SUNAT receives is what was printed.
CREATE TRIGGER documents_xml_immutable BEFORE UPDATE OF xml ON documents
  WHEN old.xml IS NOT NULL AND new.xml IS NOT old.xml
BEGIN
  SELECT RAISE(ABORT, 'el XML firmado de un comprobante no se puede modificar');
END;

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'running', 'waiting_network', 'retrying', 'succeeded', 'failed', 'cancelled')),
  priority INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3,
  run_at TEXT NOT NULL,
  lease_until TEXT,
  last_error TEXT,
  result TEXT,
  idempotency_key TEXT UNIQUE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX jobs_due ON jobs(state, run_at);

CREATE TABLE job_runs (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  attempt INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  outcome TEXT,
  error TEXT
);
CREATE INDEX job_runs_job ON job_runs(job_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id),
  action TEXT NOT NULL,
  entity TEXT,
  entity_id TEXT,
  details TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
`;
