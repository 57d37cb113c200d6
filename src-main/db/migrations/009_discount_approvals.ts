// 009: discounts and price overrides with approval (issue 15 item 5). `sale_lines.list_price` keeps the catalog's
// price of a line whose price was changed at the counter (NULL otherwise); `sale_approvals` records who approved a sale
// charged below the seller's limit, for whom, how far below the catalog (percent) and why.
export const sql = `
ALTER TABLE sale_lines ADD COLUMN list_price TEXT;
CREATE TABLE sale_approvals (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER NOT NULL UNIQUE REFERENCES sales(id),
  approver_id INTEGER NOT NULL REFERENCES users(id),
  cashier_id INTEGER NOT NULL REFERENCES users(id),
  percent TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;
