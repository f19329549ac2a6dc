// Apptainer's JobRunner: one `apptainer exec|run` process per job (see command.ts), started by
// spawnJob with the host's environment. Nothing outlives the process: no container to remove,
// re-attach or enter.
import { ApiError } from '../../../../shared/errors';
import type { RunCapabilities } from '../../../../shared/run';
import { spawnJob } from '../../../jobs/process/spawn-job';
import type { CommandLine, JobRunner, RunningJob, RunTarget } from '../../../jobs/runner';
import { apptainerArgv, apptainerRunCapabilities, apptainerRunProblems, classifyApptainerExit } from './command';

export interface ApptainerRunnerOptions {
  engineId: string;
  /** The apptainer (or singularity) binary; null where none is installed. */
  binaryPath: string | null;
  /** How the binary is called when none was found (for the command line shown). */
  binaryName: string;
  env: NodeJS.ProcessEnv;
  asRoot: boolean;
}

export class ApptainerRunner implements JobRunner {
  constructor(private readonly options: ApptainerRunnerOptions) {}

  capabilities(): RunCapabilities {
    return apptainerRunCapabilities(this.options.asRoot);
  }

  commandLine(target: Omit<RunTarget, 'size'>): CommandLine {
    return { argv: apptainerArgv(this.options.binaryPath ?? this.options.binaryName, target.spec, target.image.location ?? ''), isEquivalent: false };
  }

  async start(target: RunTarget, signal: AbortSignal): Promise<RunningJob> {
    const binary = this.options.binaryPath;
    if (!binary) throw new ApiError('engine-unavailable', `${this.options.binaryName} is not installed (not on PATH).`, { engineId: this.options.engineId });
    const location = target.image.location;
    const problems = apptainerRunProblems(target.spec, location, this.options.asRoot);
    if (problems.length > 0 || !location) throw new ApiError('invalid-request', problems.join(' '), { engineId: this.options.engineId });
    signal.throwIfAborted();
    const [file, ...args] = apptainerArgv(binary, target.spec, location);
    const job = await spawnJob({
      file: file!,
      args,
      env: this.options.env,
      tty: target.spec.tty,
      size: target.size,
      classifyExit: classifyApptainerExit,
    });
    if (signal.aborted) {
      await job.kill();
      await job.dispose();
      signal.throwIfAborted();
    }
    return job;
  }
}
