// 013: selling on credit (issue 15 item 9). `sales.credit_cents` is the part of a factura left to pay later (SUNAT's
// "Monto neto pendiente de pago"; 0 for a sale paid at the counter); `sale_instalments` its instalments (cuotas) as
// the signed XML states them; `collections` every payment received later against it (a cash one also enters the
// drawer as a cash-in, `cash_move_id`). Nothing here is ever updated or deleted: what is pending is computed.
export const sql = `
ALTER TABLE sales ADD COLUMN credit_cents INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sales_credit ON sales(customer_id) WHERE credit_cents > 0;
CREATE TABLE sale_instalments (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  instalment_no INTEGER NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  due_date TEXT NOT NULL,
  UNIQUE (sale_id, instalment_no)
);
CREATE TABLE collections (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  session_id INTEGER REFERENCES cash_sessions(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'yape', 'plin')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  reference TEXT,
  cash_move_id INTEGER REFERENCES cash_moves(id),
  created_at TEXT NOT NULL
);
CREATE INDEX collections_sale ON collections(sale_id);
CREATE INDEX collections_session ON collections(session_id);
CREATE INDEX collections_created ON collections(created_at);
`;
