// Slurm's job states (squeue(1), "JOB STATE CODES") in Crossdock's terms: queued, running, or how
// it ended. Slurm's own word and reason stay in the record (batch.slurmState, batch.reason).
import { constants } from 'node:os';
import type { JobState } from '../../../shared/jobs';
import type { JobExit } from '../../jobs/runner';
import type { QueuedJob } from './slurm-parse';

const PENDING = new Set(['PENDING', 'CONFIGURING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'RESV_DEL_HOLD', 'SPECIAL_EXIT']);
const RUNNING = new Set(['RUNNING', 'SUSPENDED', 'COMPLETING', 'SIGNALING', 'STAGE_OUT', 'STOPPED', 'RESIZING']);

export type SlurmPhase = { ended: false; state: Extract<JobState, 'pending' | 'running'> } | { ended: true; exit: JobExit & { state: JobState } };

export function phaseOf(job: QueuedJob, context: { cancelRequested: boolean }): SlurmPhase {
  if (PENDING.has(job.state)) return { ended: false, state: 'pending' };
  if (RUNNING.has(job.state)) return { ended: false, state: 'running' };
  const because = job.reason ? ` (${job.reason})` : '';
  const signalName = job.signal ? signalNameOf(job.signal) : null;
  switch (job.state) {
    case 'COMPLETED':
      return ended('exited', job.exitCode ?? 0, null, null);
    case 'FAILED':
      if (signalName) return ended('exited', 128 + job.signal!, signalName, `Slurm: FAILED${because}, ended by ${signalName}`);
      if (job.exitCode !== null && job.exitCode !== 0) return ended('exited', job.exitCode, null, null);
      return ended('failed', null, null, failedWords(job));
    case 'TIMEOUT':
      return ended('timeout', null, null, `Slurm: TIMEOUT${because}; the job ran past its time limit and was ended.`);
    case 'DEADLINE':
      return ended('timeout', null, null, `Slurm: DEADLINE${because}; the job reached its deadline.`);
    case 'CANCELLED':
      return ended(
        'cancelled',
        null,
        null,
        context.cancelRequested ? 'Cancelled from Crossdock (scancel).' : `Slurm: CANCELLED${because}; cancelled outside Crossdock (scancel by hand, or by an administrator).`,
      );
    case 'PREEMPTED':
    case 'REVOKED':
      return ended('cancelled', null, null, `Slurm: ${job.state}${because}.`);
    case 'OUT_OF_MEMORY':
      return ended('failed', null, null, `Slurm: OUT_OF_MEMORY${because}; the job used more memory than it asked for.`);
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
      return ended('engine-lost', null, null, `Slurm: ${job.state}${because}; the node running the job failed.`);
    default:
      return ended('failed', job.exitCode, null, `Slurm: ${job.state}${because}.`);
  }
}

function failedWords(job: QueuedJob): string {
  if (job.reason === 'JobLaunchFailure') {
    return 'Slurm: FAILED (JobLaunchFailure); Slurm could not launch the batch script on the node. Its output file could not be opened there, or the script could not be run.';
  }
  return `Slurm: FAILED${job.reason ? ` (${job.reason})` : ''}.`;
}

function ended(state: JobState, exitCode: number | null, signal: string | null, message: string | null): SlurmPhase {
  const outcome = state === 'exited' ? 'exited' : state === 'engine-lost' ? 'engine-lost' : 'failed';
  return { ended: true, exit: { outcome, exitCode, signal, message, state } };
}

function signalNameOf(signal: number): string | null {
  const entry = Object.entries(constants.signals).find(([, number]) => number === signal);
  return entry ? entry[0] : null;
}
