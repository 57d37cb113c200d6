// 015: returns on sales sold on credit (issue 15 item 9). A credit note on a factura on credit lowers first what the
// customer still owes: `notes.debt_cents` is the part of the note taken off the debt (the rest, `refund_cents`, went
// back as money). What is pending stays computed from rows: credit − collections − the notes' debt_cents.
// The restated instalments go to SUNAT in a credit note of catalog 09 code 13 ("Ajustes – montos y/o fechas de
// pago"), whose total must be zero (SUNAT 3315): `notes.total_cents` had CHECK (> 0), so the table is rebuilt with
// the check relaxed for code 13 only, and `note_instalments` keeps the instalments that note states.
// The rebuild keeps every id; the tables that point at notes (note_lines, documents, stock_moves, sales) resolve to
// the new table by name, and deferred foreign keys are checked when the migration's transaction commits.
export const sql = `
PRAGMA defer_foreign_keys = ON;
CREATE TABLE notes_before_015 AS SELECT * FROM notes;
DROP TABLE notes;
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
  total_cents INTEGER NOT NULL CHECK (total_cents > 0 OR (document_type = '07' AND reason_code = '13' AND total_cents = 0)),
  refund_method TEXT CHECK (refund_method IN ('cash', 'card', 'yape', 'plin')),
  refund_cents INTEGER NOT NULL DEFAULT 0 CHECK (refund_cents >= 0),
  charge_method TEXT CHECK (charge_method IN ('cash', 'card', 'yape', 'plin')),
  charge_cents INTEGER NOT NULL DEFAULT 0 CHECK (charge_cents >= 0),
  charge_tendered_cents INTEGER CHECK (charge_tendered_cents >= 0),
  charge_reference TEXT,
  debt_cents INTEGER NOT NULL DEFAULT 0 CHECK (debt_cents >= 0 AND debt_cents + refund_cents <= total_cents),
  UNIQUE (series, correlative)
);
INSERT INTO notes (id, sale_id, terminal_id, session_id, user_id, document_type, series, correlative, number, reason_code,
  reason, issued_at, issue_date, currency, igv_rate, gravado_cents, exonerado_cents, inafecto_cents, gratuito_cents,
  igv_cents, icbper_cents, discount_cents, total_cents, refund_method, refund_cents, charge_method, charge_cents,
  charge_tendered_cents, charge_reference)
SELECT id, sale_id, terminal_id, session_id, user_id, document_type, series, correlative, number, reason_code,
  reason, issued_at, issue_date, currency, igv_rate, gravado_cents, exonerado_cents, inafecto_cents, gratuito_cents,
  igv_cents, icbper_cents, discount_cents, total_cents, refund_method, refund_cents, charge_method, charge_cents,
  charge_tendered_cents, charge_reference
FROM notes_before_015 ORDER BY id;
DROP TABLE notes_before_015;
CREATE INDEX notes_sale ON notes(sale_id);
CREATE INDEX notes_session ON notes(session_id);
CREATE INDEX notes_issue_date ON notes(issue_date);

CREATE TABLE note_instalments (
  id INTEGER PRIMARY KEY,
  note_id INTEGER NOT NULL REFERENCES notes(id),
  instalment_no INTEGER NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  due_date TEXT NOT NULL,
  UNIQUE (note_id, instalment_no)
);
`;
