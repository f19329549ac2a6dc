// Charliecloud's JobRunner: one `ch-run IMAGE -- CMD` process per job (see command.ts for the
// translation), started by spawnJob with the host's environment and $USER, which ch-run needs.
// Nothing outlives the process: there is no container to remove, to re-attach or to exec into.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../../shared/errors';
import type { RunCapabilities } from '../../../../shared/run';
import { spawnJob } from '../../../jobs/process/spawn-job';
import type { CommandLine, JobRunner, RunningJob, RunTarget } from '../../../jobs/runner';
import { childEnv } from '../cli';
import { CHARLIECLOUD_RUN_CAPABILITIES, CH_RUN, chRunArgs, chRunProblems, classifyChRunExit } from './command';

export interface CharliecloudRunnerOptions {
  engineId: string;
  /** The host's environment (PATH finds ch-run; ch-run passes it on to the program). */
  env: () => NodeJS.ProcessEnv;
}

export class CharliecloudRunner implements JobRunner {
  constructor(private readonly options: CharliecloudRunnerOptions) {}

  capabilities(): RunCapabilities {
    return CHARLIECLOUD_RUN_CAPABILITIES;
  }

  commandLine(target: Omit<RunTarget, 'size'>): CommandLine {
    return { argv: [CH_RUN, ...chRunArgs(target.spec, target.image.location ?? '')], isEquivalent: false };
  }

  async start(target: RunTarget, signal: AbortSignal): Promise<RunningJob> {
    const problems = chRunProblems(target.spec, target.image.location);
    const location = target.image.location;
    if (problems.length > 0 || !location) throw this.refusal(problems);
    await this.checkBindTargets(target, location);
    signal.throwIfAborted();
    const job = await spawnJob({
      file: CH_RUN,
      args: chRunArgs(target.spec, location),
      env: childEnv(this.options.env()),
      tty: target.spec.tty,
      size: target.size,
      classifyExit: classifyChRunExit,
    });
    if (signal.aborted) {
      await job.kill();
      await job.dispose();
      signal.throwIfAborted();
    }
    return job;
  }

  /**
   * ch-run mounts a bind only onto a path that exists in the image (making one needs -w, which
   * writes into the image): say so before anything runs, rather than relay "can't mkdir".
   */
  private async checkBindTargets(target: RunTarget, location: string): Promise<void> {
    for (const bind of target.spec.binds) {
      try {
        await lstat(join(location, bind.containerPath));
      } catch {
        throw this.refusal([
          `ch-run can bind only onto a folder that exists in the image: ${bind.containerPath} is not in ${location} (pick one that is, such as /mnt).`,
        ]);
      }
    }
  }

  private refusal(problems: string[]): ApiError {
    return new ApiError('invalid-request', problems.join(' '), { engineId: this.options.engineId });
  }
}
