// 011: exchanges (issue 15 item 1). A sale that takes what a cash refund gave back (return + new sale in one flow)
// names that credit note; each note pays for at most one sale.
export const sql = `
ALTER TABLE sales ADD COLUMN exchange_note_id INTEGER REFERENCES notes(id);
CREATE UNIQUE INDEX sales_exchange_note ON sales(exchange_note_id) WHERE exchange_note_id IS NOT NULL;
`;
