// 004: the status bar's counts (pos/sales.ts documentCounts) read every pending document and its job. With
// documents_status(status) alone each pending document cost a fetch of its row (for file_name) and of its job's row
// (for state): 24 ms for 10,000 pending on a store of 1,000,000 sales, on the thread that serves the POS. Now the
// status index carries file_name, whether a job exists is read in the idempotency key's own index, and the few
// cancelled jobs have a partial index of their own: the count reads indexes only.
export const sql = `
DROP INDEX documents_status;
CREATE INDEX documents_status ON documents(status, file_name);
CREATE INDEX jobs_cancelled_key ON jobs(idempotency_key) WHERE state = 'cancelled';
`;
