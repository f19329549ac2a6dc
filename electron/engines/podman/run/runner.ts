// The podman CLI route's JobRunner: `podman run` as a local process (spawnJob), under a container
// name Crossdock picks, so that stop, kill, exec and clean-up can name the container. Stopping or
// killing goes to the container (`podman stop`, `podman kill`): signalling the podman client alone
// would leave the container running. Once the job ended, a container that was to be removed is
// removed even where the client did not live to do it (`podman rm --force --ignore`).
import { constants as osConstants } from 'node:os';
import { ApiError } from '../../../../shared/errors';
import type { JobHandle, TerminalSize } from '../../../../shared/jobs';
import type { RunCapabilities } from '../../../../shared/run';
import { spawnJob } from '../../../jobs/process/spawn-job';
import type { BatchSteps, CommandLine, JobExit, JobRunner, RunningJob, RunTarget } from '../../../jobs/runner';
import { runPodman, type PodmanCli } from '../cli';
import {
  classifyPodmanExit,
  newContainerName,
  PODMAN_CLI_RUN_CAPABILITIES,
  podmanExecArgs,
  podmanRunArgs,
  podmanRunProblems,
} from './command';

export interface PodmanCliRunnerOptions {
  engineId: string;
  cli: PodmanCli;
  /** Container names (tests pass a fixed one). */
  nameContainer?: () => string;
}

export class PodmanCliRunner implements JobRunner {
  /** The name commandLine() showed, used by the start() that follows for the same spec. */
  private readonly names = new WeakMap<object, string>();

  constructor(private readonly options: PodmanCliRunnerOptions) {}

  capabilities(): RunCapabilities {
    return PODMAN_CLI_RUN_CAPABILITIES;
  }

  commandLine(target: Omit<RunTarget, 'size'>): CommandLine {
    return { argv: [this.options.cli.podmanPath, ...podmanRunArgs(target.spec, this.nameFor(target.spec))], isEquivalent: false };
  }

  /** `podman run` under the given name; a batch system's signal removes the container by it. */
  async batchSteps(target: Omit<RunTarget, 'size'>, name: string): Promise<BatchSteps> {
    const podman = this.options.cli.podmanPath;
    return { env: {}, prepare: [], run: [podman, ...podmanRunArgs(target.spec, name)], stop: [[podman, 'rm', '--force', '--ignore', name]], cleanup: [] };
  }

  async start(target: RunTarget, signal: AbortSignal): Promise<RunningJob> {
    const problems = podmanRunProblems(target.spec);
    if (problems.length > 0) throw new ApiError('invalid-request', problems.join(' '), { engineId: this.options.engineId });
    signal.throwIfAborted();
    const name = this.nameFor(target.spec);
    const remove = target.spec.remove;
    const job = await spawnJob({
      file: this.options.cli.podmanPath,
      args: podmanRunArgs(target.spec, name),
      env: this.options.cli.env,
      tty: target.spec.tty,
      size: target.size,
      classifyExit: classifyPodmanExit,
      containerId: name,
      ...(remove ? { cleanup: () => this.removeContainer(name) } : {}),
    });
    const running = this.controlled(job, name);
    if (signal.aborted) {
      await running.kill();
      await running.dispose();
      signal.throwIfAborted();
    }
    return running;
  }

  async exec(handle: JobHandle, command: string[], size: TerminalSize, signal: AbortSignal): Promise<RunningJob> {
    const container = handle.containerId;
    if (!container) throw new ApiError('not-found', 'This job has no container to open a shell in.', { engineId: this.options.engineId });
    signal.throwIfAborted();
    return spawnJob({
      file: this.options.cli.podmanPath,
      args: podmanExecArgs(container, command),
      env: this.options.cli.env,
      tty: true,
      size,
      classifyExit: classifyPodmanExit,
    });
  }

  private nameFor(spec: object): string {
    let name = this.names.get(spec);
    if (!name) {
      name = (this.options.nameContainer ?? newContainerName)();
      this.names.set(spec, name);
    }
    return name;
  }

  private async removeContainer(name: string): Promise<void> {
    await runPodman(this.options.cli, ['rm', '--force', '--ignore', '--', name], { timeoutMs: 60_000 });
  }

  /** The job with stop and kill sent to the container, and a stop's or kill's signal named in the exit. */
  private controlled(job: RunningJob, name: string): RunningJob {
    const cli = this.options.cli;
    let asked = false;
    const exit: Promise<JobExit> = job.exit.then((ended) => {
      // podman run reports a container killed by a signal as 128 + n, without naming it.
      if (!asked || ended.outcome !== 'exited' || ended.signal !== null || ended.exitCode === null || ended.exitCode <= 128) return ended;
      const signalName = Object.entries(osConstants.signals).find(([, number]) => number === ended.exitCode! - 128)?.[0] ?? null;
      return { ...ended, signal: signalName };
    });
    return {
      handle: job.handle,
      output: job.output,
      exit,
      async stop(graceMs: number) {
        asked = true;
        const seconds = String(Math.max(0, Math.ceil(graceMs / 1000)));
        // `podman stop` waits for the container: it is not awaited. Where it fails (the container
        // is not created yet, or already gone), the client's process group is stopped instead.
        void runPodman(cli, ['stop', '--time', seconds, '--', name], { timeoutMs: graceMs + 60_000 }).then((outcome) => {
          if (outcome.exitCode !== 0) void job.stop(graceMs);
        });
      },
      async kill() {
        asked = true;
        const outcome = await runPodman(cli, ['kill', '--signal', 'KILL', '--', name], { timeoutMs: 30_000 });
        if (outcome.exitCode !== 0) await job.kill();
      },
      ...(job.write ? { write: (data: string) => job.write!(data) } : {}),
      ...(job.resize ? { resize: (size: TerminalSize) => job.resize!(size) } : {}),
      dispose: () => job.dispose(),
      // No watchMemory: the container runs under conmon, outside the podman client's session, so
      // sampling the job's processes would measure the client, not the container.
    };
  }
}
