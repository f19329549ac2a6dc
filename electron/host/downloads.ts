// Files the window downloads rather than calls for (a job's saved output can be a gigabyte: it is
// streamed from disk, never through a contract answer). Both transports serve these same paths:
// the browser host under /api/, the Electron window under app://crossdock/api/.
import { JobIdSchema } from '../../shared/jobs';
import type { JobManager } from '../jobs/job-manager';
import { exportOutput } from '../jobs/output-export';

export interface Download {
  fileName: string;
  contentType: string;
  body: AsyncIterable<Buffer>;
}

const JOB_OUTPUT_PATH = /^\/api\/jobs\/([^/]+)\/output\.txt$/;

export function isDownloadPath(path: string): boolean {
  return JOB_OUTPUT_PATH.test(path);
}

/** The download at `path`, or null when there is none (unknown path or job). */
export async function resolveDownload(path: string, jobs: JobManager): Promise<Download | null> {
  const match = JOB_OUTPUT_PATH.exec(path);
  const jobId = JobIdSchema.safeParse(match?.[1]);
  if (!jobId.success) return null;
  const record = await jobs.get(jobId.data).catch(() => null);
  if (!record) return null;
  return {
    fileName: `${record.imageLabel.replace(/[^A-Za-z0-9._-]+/g, '_')}-${record.id}.txt`,
    contentType: 'text/plain; charset=utf-8',
    body: exportOutput(jobs.outputPath(record.id)),
  };
}
