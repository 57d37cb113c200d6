// 002: the runner's claim reads the due jobs of one kind in claim order (priority, then run_at, then id). With only
// jobs_due(state, run_at), SQLite sorted every due row on each claim — O(backlog) per claim, so a 10,000-document
// backlog after an outage slowed each claim (and the event loop the checkout shares) as it grew. This partial index
// holds only claimable jobs, already in claim order: a claim reads the first few entries and stops.
export const sql = `
CREATE INDEX jobs_claim ON jobs(kind, priority DESC, run_at, id) WHERE state IN ('queued', 'retrying', 'waiting_network');
`;
