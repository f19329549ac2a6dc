// One run of a comparison: an ordinary job of the job manager (it shows in the job list like any
// other), measured from the outside. The clock starts just before the job is asked for, so time
// to first output and wall time include what each engine needs to start a container; both come
// from the job manager's tap (jobs/job-tap.ts), not from the record's timestamps, which are
// taken at other moments and in whole milliseconds.
import { ApiError } from '../../shared/errors';
import type { CompareAttempt } from '../../shared/compare';
import type { JobRecord } from '../../shared/jobs';
import type { RunSpec } from '../../shared/run';
import type { JobManager } from '../jobs/job-manager';
import type { JobTap } from '../jobs/job-tap';
import type { MemoryReading, MemoryWatch } from '../jobs/runner';
import type { AttemptMemory } from './memory-note';
import { digestStdout } from './stdout-log';

export interface AttemptOutcome {
  /** Everything of the attempt but its round; state is "done" or "failed". */
  attempt: Omit<CompareAttempt, 'round'>;
  /** Null when no job started (nothing to measure). */
  memory: AttemptMemory | null;
  /** The job's record, when one was made (the image as the job list names it). */
  job: JobRecord | null;
}

export interface AttemptHooks {
  /** The job exists (its id is known); called before it ended. */
  onJob(record: JobRecord): void;
}

export async function runAttempt(jobs: JobManager, spec: RunSpec, hooks: AttemptHooks): Promise<AttemptOutcome> {
  let firstOutputAt: number | null = null;
  let endedAt: number | null = null;
  let started = false;
  let watch: MemoryWatch | null = null;
  let reading: Promise<MemoryReading> | null = null;
  const tap: JobTap = {
    started(running) {
      started = true;
      watch = running.watchMemory?.() ?? null;
    },
    firstOutput(at) {
      firstOutputAt = at;
    },
    ended(at) {
      endedAt = at;
      // Stopped at the job's end, before the manager disposes of it (and removes its container).
      reading = watch?.stop() ?? null;
    },
  };

  const start = performance.now();
  let record: JobRecord;
  try {
    record = await jobs.run(spec, undefined, tap);
  } catch (error) {
    // Refused before any job was made: engine unknown or unavailable, a capability it lacks.
    const message = error instanceof ApiError ? error.message : `The job could not be started: ${String(error)}`;
    return { attempt: failed(message), memory: null, job: null };
  }
  hooks.onJob(record);
  const final = await jobs.whenEnded(record.id);
  // A job that ended without the tap's end (it never started, or was let go) stops its watch here.
  // (The casts: the tap's callbacks assign these, which TypeScript's narrowing does not see.)
  const stopping = (reading as Promise<MemoryReading> | null) ?? (watch as MemoryWatch | null)?.stop() ?? null;
  const measured = stopping ? await stopping : null;
  const memory: AttemptMemory | null = !started ? null : (measured ?? 'not-exposed');
  const since = (at: number | null) => (at === null ? null : Math.max(0, at - start));
  const timings = { firstOutputMs: since(firstOutputAt), wallMs: since(endedAt) };

  if (final.state !== 'exited') {
    const message = final.message ?? `The job ended ${final.state}${final.exitCode === null ? '' : ` with exit code ${final.exitCode}`}.`;
    return { attempt: { ...failed(message), jobId: final.id, exitCode: final.exitCode, ...timings }, memory, job: final };
  }
  const stdout = await digestStdout(jobs.outputPath(final.id)).catch(() => null);
  return {
    attempt: {
      state: 'done',
      jobId: final.id,
      exitCode: final.exitCode,
      ...timings,
      peakMemoryBytes: measured?.peakBytes ?? null,
      stdoutSha256: stdout?.sha256 ?? null,
      stdoutBytes: stdout?.bytes ?? null,
      // The engine's words about an unusual exit (127: command not found), where it gave any.
      message: final.message,
    },
    memory,
    job: final,
  };
}

function failed(message: string): Omit<CompareAttempt, 'round'> {
  return {
    state: 'failed',
    jobId: null,
    exitCode: null,
    firstOutputMs: null,
    wallMs: null,
    peakMemoryBytes: null,
    stdoutSha256: null,
    stdoutBytes: null,
    message: message.slice(0, 8192),
  };
}
