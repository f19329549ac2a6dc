// How a job's state reads to a person, and the jobs list kept in the cache. Every state has an
// icon and a word as well as a colour, like the engines' states.
import { isActiveJobState, type JobRecord, type JobState } from '../../shared/jobs';
import type { StatePresentation } from './engine-state';

const statePresentation: Record<JobState, StatePresentation> = {
  starting: { text: 'Starting…', icon: '…', tone: 'warn' },
  pending: { text: 'Pending', icon: '…', tone: 'warn' },
  running: { text: 'Running', icon: '▶', tone: 'good' },
  stopping: { text: 'Stopping…', icon: '■', tone: 'warn' },
  exited: { text: 'Exited', icon: '✓', tone: 'good' },
  killed: { text: 'Killed', icon: '■', tone: 'off' },
  failed: { text: 'Failed', icon: '✕', tone: 'bad' },
  'engine-lost': { text: 'Engine lost', icon: '✕', tone: 'bad' },
  interrupted: { text: 'Interrupted', icon: '!', tone: 'warn' },
  timeout: { text: 'Timeout', icon: '⏱', tone: 'bad' },
  cancelled: { text: 'Cancelled', icon: '■', tone: 'off' },
};

/** What the usual exit codes of a container's program mean. */
export function exitCodeMeaning(code: number): string | null {
  switch (code) {
    case 126:
      return 'cannot execute';
    case 127:
      return 'command not found';
    case 137:
      return 'SIGKILL';
    case 143:
      return 'SIGTERM';
    default:
      return code > 128 && code < 160 ? `signal ${code - 128}` : null;
  }
}

/**
 * "Running", "Exited 0", "Exited 127 (command not found)", "Killed (SIGKILL)"; a batch job speaks
 * its batch system's words: "Completed", "Failed (3)".
 */
export function describeJobState(job: Pick<JobRecord, 'state' | 'exitCode' | 'signal'> & Partial<Pick<JobRecord, 'batch'>>): StatePresentation {
  const base = statePresentation[job.state];
  if (job.batch && job.state === 'exited' && job.exitCode !== null) {
    const meaning = exitCodeMeaning(job.exitCode);
    return job.exitCode === 0
      ? { text: 'Completed', icon: '✓', tone: 'good' }
      : { text: `Failed (${job.exitCode}${meaning ? `, ${meaning}` : ''})`, icon: '!', tone: 'bad' };
  }
  if (job.state === 'exited' && job.exitCode !== null) {
    const meaning = exitCodeMeaning(job.exitCode);
    return {
      ...base,
      text: `Exited ${job.exitCode}${meaning ? ` (${meaning})` : ''}`,
      icon: job.exitCode === 0 ? '✓' : '!',
      tone: job.exitCode === 0 ? 'good' : 'bad',
    };
  }
  if (job.state === 'killed') {
    const how = job.signal ?? (job.exitCode !== null ? `exit ${job.exitCode}` : null);
    return { ...base, text: how ? `Killed (${how})` : base.text };
  }
  return base;
}

/** "0.4 s", "12 s", "3 min 05 s", "2 h 01 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** How long the job ran, or has been running at `now`; null before it started. */
export function jobDurationMs(job: Pick<JobRecord, 'startedAt' | 'endedAt' | 'createdAt' | 'state'>, now: number): number | null {
  const start = job.startedAt;
  if (start === null) return null;
  const end = job.endedAt !== null ? Date.parse(job.endedAt) : isActiveJobState(job.state) ? now : null;
  if (end === null) return null;
  return Math.max(0, end - Date.parse(start));
}

/** Newest first, as jobs.list answers; ties broken by id so the order never flickers. */
export function compareJobs(a: JobRecord, b: JobRecord): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const stateRank = (state: JobState): number =>
  state === 'starting' ? 0 : state === 'pending' ? 0.5 : state === 'running' ? 1 : state === 'stopping' ? 2 : 3;

/**
 * The record to keep of two for the same job. A job only moves forward (starting, running,
 * stopping, ended), so an answer that was on its way while a newer change event arrived (a kill's
 * answer saying "running" after the event saying "killed") must not put the older state back.
 */
export function newerJob(existing: JobRecord | undefined, incoming: JobRecord): JobRecord {
  if (!existing) return incoming;
  return stateRank(incoming.state) >= stateRank(existing.state) ? incoming : existing;
}

/** The cached list with one record replaced or added; undefined stays undefined (not listed yet). */
export function withJob(jobs: readonly JobRecord[] | undefined, job: JobRecord): JobRecord[] | undefined {
  if (!jobs) return undefined;
  const index = jobs.findIndex((existing) => existing.id === job.id);
  if (index >= 0) {
    const kept = newerJob(jobs[index], job);
    if (kept === jobs[index]) return jobs as JobRecord[];
    // Same place: the creation time never changes.
    return jobs.map((existing, i) => (i === index ? kept : existing));
  }
  const next = [...jobs];
  let at = next.findIndex((existing) => compareJobs(job, existing) < 0);
  if (at < 0) at = next.length;
  next.splice(at, 0, job);
  return next;
}

export function withoutJob(jobs: readonly JobRecord[] | undefined, jobId: string): JobRecord[] | undefined {
  if (!jobs) return undefined;
  return jobs.some((job) => job.id === jobId) ? jobs.filter((job) => job.id !== jobId) : (jobs as JobRecord[]);
}
