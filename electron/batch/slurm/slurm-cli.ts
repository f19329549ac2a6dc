// Slurm's command-line programs (sinfo, squeue, scontrol, sbatch, scancel) as argument arrays,
// never through a shell, each with a time limit. A program that is not on PATH and a controller
// that cannot be reached become ApiErrors in Slurm's own words; the rest is for the caller to read.
import { ApiError } from '../../../shared/errors';
import { runCli, type CliOutcome } from '../../engines/cli-runner';

export interface SlurmCli {
  env: NodeJS.ProcessEnv;
  /** Per call; squeue on a busy cluster can take seconds. */
  timeoutMs?: number;
}

export type SlurmProgram = 'sinfo' | 'squeue' | 'scontrol' | 'sbatch' | 'scancel' | 'sacct';

/** Slurm's words for "the controller does not answer" (slurm_errno.c). */
const CONTROLLER_DOWN = /Unable to contact slurm controller|Socket timed out on send\/recv|Zero Bytes were transmitted or received|Connection refused/i;

export async function runSlurm(cli: SlurmCli, program: SlurmProgram, args: readonly string[], signal?: AbortSignal): Promise<CliOutcome> {
  const outcome = await runCli(program, args, { env: cli.env, timeoutMs: cli.timeoutMs ?? 30_000, ...(signal ? { signal } : {}) });
  if (outcome.spawnError === 'ENOENT') {
    throw new ApiError('engine-unavailable', `Slurm is not available here: ${program} is not on PATH (install Slurm's client commands, or run Crossdock on a login node).`);
  }
  if (outcome.spawnError) throw new ApiError('engine-unavailable', `Slurm's ${program} could not be started: ${outcome.spawnError}.`);
  if (outcome.timedOut) throw new ApiError('timeout', `Slurm's ${program} did not answer within ${Math.round((cli.timeoutMs ?? 30_000) / 1000)} s.`);
  if (outcome.cancelled) throw new ApiError('cancelled', `${program} was cancelled.`);
  return outcome;
}

/** Slurm's error lines without the program's prefix ("sbatch: error: "), one sentence per line. */
export function slurmWords(outcome: Pick<CliOutcome, 'stderr' | 'stdout'>): string {
  const lines = (outcome.stderr || outcome.stdout)
    .split(/\r?\n/)
    .map((line) => line.replace(/^\w+: (error|fatal): /, '').trim())
    .filter((line) => line !== '');
  return lines.join(' ').slice(0, 4000) || 'no message';
}

/** An ApiError for a failed Slurm call: "engine-unavailable" when the controller is down. */
export function slurmFailure(program: SlurmProgram, outcome: CliOutcome): ApiError {
  const words = slurmWords(outcome);
  if (CONTROLLER_DOWN.test(words)) return new ApiError('engine-unavailable', `Slurm's controller cannot be reached (${program}: ${words}).`);
  return new ApiError('invalid-request', `Slurm refused it (${program}: ${words}).`);
}

export function isControllerDown(words: string): boolean {
  return CONTROLLER_DOWN.test(words);
}
