// 010: the audit entries of one thing, found without reading the whole log: the prints of a document (the reprint
// limit counts them at every print, pos/prints.ts) and the void of a sale (the sale's detail shows who and why).
export const sql = `
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, action);
`;
