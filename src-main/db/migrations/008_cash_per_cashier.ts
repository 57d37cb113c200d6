// 008: cash per cashier and the kept Z (issue 15). A session is either the terminal's shared drawer (cashier_id NULL,
// as before) or one cashier's own drawer on the terminal (cashier_id = that user): at most one open of each. The Z
// report is stored as it was printed when the session closed (z_report: the contract's CashReport as JSON), so a
// later void or an edit elsewhere never changes a closed day's figures; once written it cannot change.
export const sql = `
ALTER TABLE cash_sessions ADD COLUMN cashier_id INTEGER REFERENCES users(id);
ALTER TABLE cash_sessions ADD COLUMN z_report TEXT;
DROP INDEX cash_sessions_open;
CREATE UNIQUE INDEX cash_sessions_open ON cash_sessions(terminal_id, ifnull(cashier_id, 0)) WHERE closed_at IS NULL;
CREATE TRIGGER cash_sessions_z_kept BEFORE UPDATE ON cash_sessions
WHEN OLD.z_report IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'cash_sessions: a closed session and its Z report are kept as they are');
END;
`;
