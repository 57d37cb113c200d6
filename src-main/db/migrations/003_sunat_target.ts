// 003: which SUNAT target a document belongs to and which one accepted it (issue 13). `issued_mode` is the SUNAT mode
// in force when the row was written (a trigger reads the setting, so every writer — checkout, summaries, voids — is
// covered without knowing); a demo receipt is never sent to SUNAT later. `sunat_target` is where the runner sent it
// when it got its final answer; `simulated` = 1 when that answer came from the simulator (its CDR says so, or the
// target was demo mode's simulator), so a simulated acceptance can never pass for SUNAT's.
// Rows written before this migration: in a database still in demo mode, they were issued in demo and whatever
// accepted them was the simulator; otherwise nothing is known and they stay NULL / 0.
export const sql = `
ALTER TABLE documents ADD COLUMN issued_mode TEXT;
ALTER TABLE documents ADD COLUMN sunat_target TEXT;
ALTER TABLE documents ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0;
UPDATE documents SET issued_mode = 'demo',
  simulated = CASE WHEN status IN ('accepted', 'observed') THEN 1 ELSE 0 END,
  sunat_target = CASE WHEN status IN ('accepted', 'observed') THEN 'simulator' ELSE NULL END
WHERE coalesce((SELECT json_extract(value, '$') FROM settings WHERE key = 'sunatMode'), 'demo') = 'demo';
CREATE TRIGGER documents_issued_mode AFTER INSERT ON documents WHEN new.issued_mode IS NULL
BEGIN
  UPDATE documents SET issued_mode = coalesce((SELECT json_extract(value, '$') FROM settings WHERE key = 'sunatMode'), 'demo')
  WHERE id = new.id;
END;
`;
