// 018: the cash drawer's openings (issue 17). Every time the till opens the drawer by itself — "Abrir cajón" without a
// sale (a supervisor or an admin, with a reason), or the pulse after a paid-in / paid-out — one row, so the X and Z
// count them per session with one indexed query. Why a table and not the audit log: the count is a figure of the Z
// (typed columns, an index on the session), and a pulse's outcome is written later (the printer refused: `error`),
// which the append-only audit log never is. The manager's action is audited as well (`cash.drawerOpen`).
export const sql = `
CREATE TABLE drawer_openings (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES cash_sessions(id),
  terminal_id TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('no_sale', 'move')),
  reason TEXT,
  move_id INTEGER REFERENCES cash_moves(id),
  error TEXT
);
CREATE INDEX drawer_openings_session ON drawer_openings(session_id, kind);
`;
