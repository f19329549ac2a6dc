// Files the window downloads rather than calls for (a job's saved output can be a gigabyte: it is
// streamed from disk, never through a contract answer; a comparison's results are a file the user
// keeps). Both transports serve these same paths: the browser host under /api/, the Electron
// window under app://crossdock/api/. An unknown path or id is null (404), never an error.
import { ComparisonIdSchema, type ComparisonRecord } from '../../shared/compare';
import { toCsv, toMarkdown } from '../../shared/compare-export';
import { JobIdSchema } from '../../shared/jobs';
import type { ComparisonManager } from '../compare/comparison-manager';
import type { JobManager } from '../jobs/job-manager';
import { exportOutput } from '../jobs/output-export';

export interface Download {
  fileName: string;
  contentType: string;
  body: AsyncIterable<Buffer>;
}

export interface DownloadSources {
  jobs: JobManager;
  comparisons: ComparisonManager;
}

const JOB_OUTPUT_PATH = /^\/api\/jobs\/([^/]+)\/output\.txt$/;
const COMPARISON_RESULTS_PATH = /^\/api\/comparisons\/([^/]+)\/results\.(csv|md)$/;

/** The comparison exports: the same rows as the window's result table (shared/compare-export.ts). */
const RESULT_FORMATS: Record<'csv' | 'md', { contentType: string; render: (record: ComparisonRecord) => string }> = {
  csv: { contentType: 'text/csv; charset=utf-8', render: toCsv },
  md: { contentType: 'text/markdown; charset=utf-8', render: toMarkdown },
};

export function isDownloadPath(path: string): boolean {
  return JOB_OUTPUT_PATH.test(path) || COMPARISON_RESULTS_PATH.test(path);
}

/** The download at `path`, or null when there is none (unknown path, job or comparison). */
export async function resolveDownload(path: string, sources: DownloadSources): Promise<Download | null> {
  const results = COMPARISON_RESULTS_PATH.exec(path);
  if (results) return comparisonResults(results[1], results[2] as 'csv' | 'md', sources.comparisons);
  const match = JOB_OUTPUT_PATH.exec(path);
  const jobId = JobIdSchema.safeParse(match?.[1]);
  if (!jobId.success) return null;
  const record = await sources.jobs.get(jobId.data).catch(() => null);
  if (!record) return null;
  return {
    fileName: `${record.imageLabel.replace(/[^A-Za-z0-9._-]+/g, '_')}-${record.id}.txt`,
    contentType: 'text/plain; charset=utf-8',
    body: exportOutput(sources.jobs.outputPath(record.id)),
  };
}

async function comparisonResults(rawId: string | undefined, format: 'csv' | 'md', comparisons: ComparisonManager): Promise<Download | null> {
  const comparisonId = ComparisonIdSchema.safeParse(rawId);
  if (!comparisonId.success) return null;
  const record = await comparisons.get(comparisonId.data).catch(() => null);
  if (!record) return null;
  const { contentType, render } = RESULT_FORMATS[format];
  // Rendered when asked: a comparison still running exports what it has so far.
  const text = Buffer.from(render(record), 'utf8');
  return {
    // The id is [a-z0-9-] (its schema), so the name needs no quoting in Content-Disposition.
    fileName: `comparison-${record.id}.${format}`,
    contentType,
    body: (async function* () {
      yield text;
    })(),
  };
}
