// files.archive (Sundays 02:00 Lima, DESIGN §4): old CDRs and exported files into monthly archives, cancelled
// sales' PDFs removed (files/archive-write.ts). A failure retries later; nothing is removed before it is verified.
import { archiveFiles } from '../../files/archive-write';
import type { HandlerSpec, JobContext, JobOutcome } from '../runner';

export async function filesArchiveHandler(ctx: JobContext): Promise<JobOutcome> {
  const r = archiveFiles(ctx);
  return {
    type: 'succeeded',
    result: {
      months: r.months.map((m) => ({ month: m.month, cdrsMoved: m.cdrsMoved, filesMoved: m.filesMoved, bytesFreed: m.bytesFreed })),
      pdfsRemoved: r.pdfsRemoved, bytesFreed: r.bytesFreed,
    },
  };
}

export const filesArchiveSpec: HandlerSpec = { run: filesArchiveHandler };
