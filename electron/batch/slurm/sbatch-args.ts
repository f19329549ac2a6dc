// sbatch's options for a request, one argument each (`--name=value` in one word, so a value can
// never be taken for an option of its own). The script's path comes last.
import type { SlurmRequest } from '../../../shared/batch';

export function sbatchArgs(request: SlurmRequest, files: { scriptPath: string; outputPattern: string; workdir: string; tasks: number }): string[] {
  const args = ['--parsable', `--job-name=${request.jobName}`];
  if (request.partition !== null) args.push(`--partition=${request.partition}`);
  if (request.timeLimitMinutes !== null) args.push(`--time=${request.timeLimitMinutes}`);
  args.push(`--cpus-per-task=${request.cpus}`);
  if (request.memoryMb !== null) args.push(`--mem=${request.memoryMb}M`);
  if (request.gpus > 0) args.push(`--gres=gpu:${request.gpus}`);
  if (files.tasks > 1) args.push(`--array=0-${files.tasks - 1}`);
  // stdout and stderr in one file, as a terminal shows them; "%" patterns are Slurm's (see outputPathOf).
  args.push(`--output=${files.outputPattern}`, `--chdir=${files.workdir}`, files.scriptPath);
  return args;
}

/** Slurm's file name pattern: one file per job, or per array task. */
export function outputPattern(dir: string, tasks: number): string {
  return `${dir.replace(/\/+$/, '')}/${tasks > 1 ? 'slurm-%A_%a.out' : 'slurm-%j.out'}`;
}

/** The file Slurm writes for one job or task, the pattern filled in. */
export function outputPathOf(pattern: string, jobId: string, taskIndex: number | null): string {
  return pattern.replaceAll('%A', jobId).replaceAll('%a', String(taskIndex ?? 0)).replaceAll('%j', jobId);
}
