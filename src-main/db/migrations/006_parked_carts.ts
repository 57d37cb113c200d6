// 006: parked sales (issue 15): a cart set aside with its lines, customer and document type while the cashier serves
// the next customer; kept in the database so it survives a restart, deleted when it is recalled.
export const sql = `
CREATE TABLE parked_carts (
  id INTEGER PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  label TEXT NOT NULL,
  cart TEXT NOT NULL,
  items TEXT NOT NULL,
  total_cents INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX parked_carts_terminal ON parked_carts(terminal_id, id);
`;
