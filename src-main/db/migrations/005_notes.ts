// 005: credit and debit notes (issue 15). A note corrects one sale's document: it has its own series per terminal
// and reference type (BC01 for notes on boletas, FC01 on facturas; the series row's document_type is '07-03',
// '07-01', '08-03', '08-01'), its own lines — each pointing at the sale line it credits — and its own document row
// (documents.note_id), signed, queued and sent like a sale's. Goods that come back are stock moves of the note;
// money that goes back is the note's refund (cash leaves the drawer of the session it was refunded in).
export const sql = `
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  terminal_id TEXT NOT NULL,
  session_id INTEGER REFERENCES cash_sessions(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  document_type TEXT NOT NULL CHECK (document_type IN ('07', '08')),
  series TEXT NOT NULL,
  correlative INTEGER NOT NULL,
  number TEXT NOT NULL UNIQUE,
  reason_code TEXT NOT NULL,
  reason TEXT NOT NULL,
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
  total_cents INTEGER NOT NULL CHECK (total_cents > 0),
  refund_method TEXT CHECK (refund_method IN ('cash', 'card', 'yape', 'plin')),
  refund_cents INTEGER NOT NULL DEFAULT 0 CHECK (refund_cents >= 0),
  UNIQUE (series, correlative)
);
CREATE INDEX notes_sale ON notes(sale_id);
CREATE INDEX notes_session ON notes(session_id);
CREATE INDEX notes_issue_date ON notes(issue_date);

CREATE TABLE note_lines (
  id INTEGER PRIMARY KEY,
  note_id INTEGER NOT NULL REFERENCES notes(id),
  line_no INTEGER NOT NULL,
  sale_line_id INTEGER REFERENCES sale_lines(id),
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
  UNIQUE (note_id, line_no)
);
CREATE INDEX note_lines_sale_line ON note_lines(sale_line_id);

ALTER TABLE documents ADD COLUMN note_id INTEGER REFERENCES notes(id);
CREATE INDEX documents_note ON documents(note_id);
ALTER TABLE stock_moves ADD COLUMN note_id INTEGER REFERENCES notes(id);
`;
