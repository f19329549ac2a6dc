// udocker's JobRunner. A job is its own container: created, set to the execution mode and read
// back (container.ts) before `udocker run` starts as the job's process through spawnJob, in a
// session of its own so that stop and kill reach proot, runc or fakechroot and everything under
// them; removed when the job is disposed, when the spec asks for it. The record's command line is
// the run step only (argv.ts says which calls come before it).
// A SIF file another engine lists runs with no container at all: `udocker run --location` on
// Crossdock's unpacked copy (sif-run.ts).
import { ApiError } from '../../../../shared/errors';
import type { RunCapabilities } from '../../../../shared/run';
import { spawnJob } from '../../../jobs/process/spawn-job';
import type { BatchSteps, CommandLine, JobRunner, RunningJob, RunTarget } from '../../../jobs/runner';
import type { UdockerCli } from '../cli';
import type { ModeResult } from '../modes';
import { createArgs, removeArgs, runArgs, setupModeArgs, withRootFlag } from './argv';
import { udockerCapabilities } from './capabilities';
import { prepareContainer, removeContainer } from './container';
import { chooseMode, needsTerminal } from './exec-mode';
import { classifyUdockerExit } from './exit';
import { ContainerNames } from './names';
import { refusal } from './refusals';
import { sifMode, sifRunArgs, startSifRun } from './sif-run';
import { sharedSifCache } from '../../../sif/cache';
import { foreignPidNamespaces, reapingRuncContainer } from './runc-reaper';

export interface UdockerRunnerDeps {
  engineId: string;
  /** The udocker found on PATH (what the command line shows). */
  binaryPath: string;
  asRoot: boolean;
  /** udocker with its environment (UDOCKER_DIR, the system's tools), ready to run containers. */
  cli(): Promise<UdockerCli | null>;
  /** The last probe's results per mode; null before the first probe. */
  modes(): readonly ModeResult[] | null;
  log(message: string): void;
  /** Per create/setup/rm call. */
  stepTimeoutMs?: number;
}

const DEFAULT_STEP_TIMEOUT_MS = 120_000;

export class UdockerRunner implements JobRunner {
  private readonly names = new ContainerNames();

  /** SIF files run from Crossdock's unpacked copy with `udocker run --location` (sif-run.ts). */
  readonly runsSif = { rootfsOf: async (sifPath: string) => sharedSifCache((await this.deps.cli())?.env ?? process.env).entryOf(sifPath) };

  constructor(private readonly deps: UdockerRunnerDeps) {}

  capabilities(): RunCapabilities {
    return udockerCapabilities(this.deps.modes());
  }

  commandLine(target: Omit<RunTarget, 'size'>): CommandLine {
    if (target.sif) return { argv: [this.deps.binaryPath, ...withRootFlag(this.deps.asRoot, sifRunArgs(target.spec, target.sif.rootfs))], isEquivalent: false };
    const argv = [this.deps.binaryPath, ...withRootFlag(this.deps.asRoot, runArgs(target.spec, this.names.forCommandLine(target.spec)))];
    return { argv, isEquivalent: false };
  }

  /**
   * The three udocker calls of a run as script commands (create, setup of the mode, run), the
   * container removed after it when the spec asks, with the variables udocker needs here (its
   * folder, the system's stand-in tools). GPU setup is left out: a batch node's driver is its own.
   */
  async batchSteps(target: Omit<RunTarget, 'size'>, name: string): Promise<BatchSteps> {
    const { spec } = target;
    const refused = refusal(spec);
    if (refused) throw new ApiError('invalid-request', refused, { engineId: this.deps.engineId });
    const cli = await this.deps.cli();
    if (!cli) throw new ApiError('engine-unavailable', 'udocker is not on PATH, so nothing can be run with it.', { engineId: this.deps.engineId });
    const imageReference = spec.image.reference ?? target.image.repoTags[0];
    if (!imageReference) throw new ApiError('not-found', `udocker has no name for image ${spec.image.imageId}; it runs images by repository:tag only.`);
    const mode = chooseMode(spec.executionMode, this.deps.modes(), this.deps.engineId);
    const udocker = (args: string[]) => [cli.binaryPath, ...withRootFlag(cli.asRoot, args)];
    const env = Object.fromEntries(
      Object.entries(cli.env).filter((entry): entry is [string, string] => entry[0].startsWith('UDOCKER_') && entry[1] !== undefined && process.env[entry[0]] !== entry[1]),
    );
    return {
      env,
      prepare: [udocker(createArgs(name, imageReference)), udocker(setupModeArgs(name, mode))],
      run: udocker(runArgs(spec, name)),
      stop: [],
      cleanup: spec.remove ? [udocker(removeArgs(name))] : [],
    };
  }

  async start(target: RunTarget, signal: AbortSignal): Promise<RunningJob> {
    const { spec } = target;
    const engineId = this.deps.engineId;
    const refused = refusal(spec);
    if (refused) throw new ApiError('invalid-request', refused, { engineId });
    if (target.sif) {
      const sifCli = await this.deps.cli();
      if (!sifCli) throw new ApiError('engine-unavailable', 'udocker is not on PATH, so nothing can be run with it.', { engineId });
      return startSifRun({ ...target, sif: target.sif }, sifCli, sifMode(spec, this.deps.modes(), engineId), engineId, signal);
    }
    const mode = chooseMode(spec.executionMode, this.deps.modes(), engineId);
    const imageReference = spec.image.reference ?? target.image.repoTags[0] ?? null;
    // udocker creates containers from a repository:tag only; every udocker image row has one.
    if (!imageReference) throw new ApiError('not-found', `udocker has no name for image ${spec.image.imageId}; it runs images by repository:tag only.`, { engineId });
    const cli = await this.deps.cli();
    if (!cli) throw new ApiError('engine-unavailable', 'udocker is not on PATH, so nothing can be run with it.', { engineId });

    const steps = { engineId, signal, stepTimeoutMs: this.deps.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS, log: this.deps.log };
    const name = this.names.take(spec);
    const container = await prepareContainer(cli, { name, imageReference, mode, gpu: spec.gpu }, steps);
    const cleanup = spec.remove ? async () => void (await removeContainer(cli, container.id, steps)) : undefined;
    // The runc modes always get a terminal (exec-mode.ts); a job that did not ask for one does
    // not get its controls, and its output is the terminal's one stream.
    const tty = spec.tty || needsTerminal(mode);
    let job: RunningJob;
    try {
      if (signal.aborted) throw new ApiError('cancelled', 'the run was cancelled before udocker started it.', { engineId });
      job = await spawnJob({
        file: cli.binaryPath,
        args: withRootFlag(cli.asRoot, runArgs(spec, container.name)),
        env: cli.env,
        tty,
        size: target.size,
        ...(cleanup ? { cleanup } : {}),
        classifyExit: classifyUdockerExit,
        containerId: container.id,
      });
    } catch (error) {
      await cleanup?.();
      throw error;
    }
    if (needsTerminal(mode)) job = reapingRuncContainer(job);
    if (tty && !spec.tty) return withoutTerminalControls(job);
    return job;
  }
}

/**
 * A job run in a terminal only because its mode needs one. Its stdin is the terminal, so an
 * end-of-file (Ctrl-D) is typed for it: a program reading stdin ends as with the closed stdin of a
 * job without a terminal, instead of waiting for input no one can give. Not at once: until runc
 * has switched the terminal to raw mode, the terminal itself takes the Ctrl-D as end-of-file for
 * runc, which then stops passing input on and the container's stdin never ends. So it is typed
 * once the container is seen running (a process in a PID namespace of its own under udocker),
 * and again a little later in case runc had not yet switched the terminal then; a second Ctrl-D
 * at a program that already saw end-of-file is read as one more end-of-file, harmless.
 */
function withoutTerminalControls(job: RunningJob): RunningJob {
  let ended = false;
  void job.exit.then(() => {
    ended = true;
  });
  void (async () => {
    const pid = job.handle.pid;
    if (pid === null) return;
    const deadline = Date.now() + 60_000;
    while (!ended && Date.now() < deadline && (await foreignPidNamespaces(pid)).size === 0) await delay(50);
    for (const wait of [100, 1000]) {
      await delay(wait);
      if (!ended) job.write?.('\x04');
    }
  })();
  return {
    handle: job.handle,
    output: job.output,
    exit: job.exit,
    stop: (graceMs) => job.stop(graceMs),
    kill: () => job.kill(),
    dispose: () => job.dispose(),
    ...(job.watchMemory ? { watchMemory: () => job.watchMemory!() } : {}),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
