// report.daily (23:00 Lima, DESIGN §4): stores the day's report, and every day missed while the PC was off — the
// scheduler's catch-up enqueues one job for the missed firing and this fills the gap (at most 31 days).
import { limaDate } from '../../../src-shared/time';
import { generateDueReports } from '../../reports/daily';
import type { HandlerSpec, JobContext, JobOutcome } from '../runner';

export async function reportDailyHandler(ctx: JobContext): Promise<JobOutcome> {
  const scheduled = typeof ctx.payload.scheduledFor === 'string' ? new Date(ctx.payload.scheduledFor) : null;
  const explicit = typeof ctx.payload.date === 'string' ? ctx.payload.date : null;
  // The day the firing was for, not the day the job happens to run (a catch-up runs the morning after).
  const upTo = explicit ?? limaDate(scheduled && !Number.isNaN(scheduled.getTime()) ? scheduled : ctx.clock.now());
  const days = await generateDueReports(ctx, upTo);
  return { type: 'succeeded', result: { days } };
}

export const reportDailySpec: HandlerSpec = { run: reportDailyHandler };
