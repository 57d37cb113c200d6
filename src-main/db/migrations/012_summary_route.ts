// 012: a boleta or a note on one that SUNAT refused alone with 1079 ("Solo puede enviar el comprobante en un resumen
// diario") is informed in the daily summary (RC) instead. `documents.by_summary` = 1 marks it: it stays `pending`
// (not `error`, so the periodic retry never sends it alone again) until the summary that carries it is accepted.
export const sql = `
ALTER TABLE documents ADD COLUMN by_summary INTEGER NOT NULL DEFAULT 0;
`;
