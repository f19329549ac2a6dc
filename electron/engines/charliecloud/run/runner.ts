// Charliecloud's JobRunner: one `ch-run IMAGE -- CMD` process per job (see command.ts for the
// translation), started by spawnJob with the host's environment and $USER, which ch-run needs.
// Nothing outlives the process: there is no container to remove, to re-attach or to exec into.
// A SIF file (listed by the Apptainer adapter) runs from Crossdock's unpacked copy of it
// (electron/sif/cache.ts), held for the job's duration; with no command, its run action runs, as
// `apptainer run` would.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../../shared/errors';
import type { RunCapabilities } from '../../../../shared/run';
import { spawnJob } from '../../../jobs/process/spawn-job';
import type { CommandLine, JobRunner, RunningJob, RunTarget } from '../../../jobs/runner';
import type { RunSpec } from '../../../../shared/run';
import { sharedSifCache, type SifLease } from '../../../sif/cache';
import { RUN_ACTION } from '../../../sif/metadata';
import { childEnv } from '../cli';
import { CHARLIECLOUD_RUN_CAPABILITIES, CH_RUN, chRunArgs, chRunProblems, classifyChRunExit } from './command';
import { entryExists } from '../../../storage/path-exists';

export interface CharliecloudRunnerOptions {
  engineId: string;
  /** The host's environment (PATH finds ch-run; ch-run passes it on to the program). */
  env: () => NodeJS.ProcessEnv;
}

export class CharliecloudRunner implements JobRunner {
  readonly runsSif = { rootfsOf: (sifPath: string) => sharedSifCache(this.options.env()).entryOf(sifPath) };

  constructor(private readonly options: CharliecloudRunnerOptions) {}

  capabilities(): RunCapabilities {
    return CHARLIECLOUD_RUN_CAPABILITIES;
  }

  commandLine(target: Omit<RunTarget, 'size'>): CommandLine {
    return { argv: [CH_RUN, ...chRunArgs(runSpecOf(target), target.sif?.rootfs ?? target.image.location ?? '')], isEquivalent: false };
  }

  async start(target: RunTarget, signal: AbortSignal): Promise<RunningJob> {
    const spec = runSpecOf(target);
    let location = target.sif?.rootfs ?? target.image.location;
    const problems = chRunProblems(spec, location);
    if (problems.length > 0 || !location) throw this.refusal(problems);
    let lease: SifLease | null = null;
    try {
      if (target.sif) {
        lease = await sharedSifCache(this.options.env()).lease(target.sif.path, signal);
        location = lease.rootfs;
        if (spec.command[0] === RUN_ACTION && target.spec.command.length === 0 && !(await entryExists(join(location, RUN_ACTION)))) {
          throw this.refusal([`This SIF file has no run action (${RUN_ACTION}): give the program to run, for example /bin/sh.`]);
        }
      }
      await this.checkBindTargets({ ...target, spec }, location);
      signal.throwIfAborted();
      const job = await spawnJob({
        file: CH_RUN,
        args: chRunArgs(spec, location),
        env: childEnv(this.options.env()),
        tty: spec.tty,
        size: target.size,
        classifyExit: classifyChRunExit,
      });
      if (signal.aborted) {
        await job.kill();
        await job.dispose();
        signal.throwIfAborted();
      }
      const held = lease;
      if (held) void job.exit.finally(() => held.release());
      return job;
    } catch (error) {
      lease?.release();
      throw error;
    }
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

/** A SIF run with no command runs the image's run action, as `apptainer run` does. */
function runSpecOf(target: Omit<RunTarget, 'size'>): RunSpec {
  return target.sif && target.spec.command.length === 0 ? { ...target.spec, command: [RUN_ACTION] } : target.spec;
}

/** lstat, not stat: a link in the image points into the image, not into the host. */
