// The JobRunner of engines that speak the Docker API (Docker, Podman's compatible service): the
// calls `docker run` makes (create, attach, start, wait), a re-attach through the daemon's log,
// and exec for a shell in a running job's container.
import type { Duplex, Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { ApiError } from '../../../../shared/errors';
import type { JobHandle, TerminalSize } from '../../../../shared/jobs';
import type { RunCapabilities, RunSpec } from '../../../../shared/run';
import type { BatchSteps, CommandLine, JobExit, JobRunner, RunningJob, RunTarget } from '../../../jobs/runner';
import type { DockerEndpoint } from '../endpoint';
import { toEngineError, type ErrorContext } from '../errors';
import { attachForRun, attachInput } from './attach';
import { dockerApiCapabilities } from './capabilities';
import { dockerApiCommandLine } from './command-line';
import { ContainerJob } from './container-job';
import { containerCreateOptions, imageOf } from './create-options';
import type { RunDialect } from './dialect';
import { containerError, createError, statusOf, wordsOf } from './errors';
import { ExecJob } from './exec-job';
import { exitedWith, programFailureCode } from './exit';
import { openStream } from './streams';
import { exitFromInspect, waitForExit } from './wait';

export interface DockerApiRunnerOptions {
  docker: Dockerode;
  /** Where `docker` talks to: hijacked calls are made without dockerode (see hijack.ts). */
  endpoint: DockerEndpoint;
  dialect: RunDialect;
  errors: ErrorContext;
  log: (message: string) => void;
}

export class DockerApiRunner implements JobRunner {
  constructor(private readonly options: DockerApiRunnerOptions) {}

  capabilities(): RunCapabilities {
    return dockerApiCapabilities(this.options.dialect);
  }

  commandLine(target: Omit<RunTarget, 'size'>): CommandLine {
    return dockerApiCommandLine(target.spec, this.options.dialect);
  }

  /** The CLI equivalent under a container name, so a batch system's signal can end the container too. */
  async batchSteps(target: Omit<RunTarget, 'size'>, name: string): Promise<BatchSteps> {
    const [cli, run, ...rest] = dockerApiCommandLine(target.spec, this.options.dialect).argv;
    return { env: {}, prepare: [], run: [cli!, run!, '--name', name, ...rest], stop: [[cli!, 'rm', '--force', name]], cleanup: [] };
  }

  async start(target: RunTarget, signal: AbortSignal): Promise<RunningJob> {
    const { spec } = target;
    const { docker, errors } = this.options;
    const image = imageOf(spec);
    let container: Dockerode.Container;
    try {
      container = await docker.createContainer({ ...containerCreateOptions(spec, this.options.dialect), abortSignal: signal });
    } catch (error) {
      throw createError(error, errors, image);
    }

    let attached = null as Readable | Duplex | null;
    try {
      try {
        // Attached before the start, so that not a byte of a short program's output is missed.
        attached = await openStream(attachForRun(docker, this.options.endpoint, container.id, spec.tty), signal);
        await container.start({ abortSignal: signal });
      } catch (error) {
        // A program that cannot be run is refused at the start (Docker), or already at the
        // attach, where Podman initialises the container (runc create) before it can attach.
        const failure = signal.aborted ? null : await this.programFailure(container, error);
        if (!failure) throw error;
        // Nothing ran: the attach has nothing to give, and would wait for a start that never comes.
        attached?.destroy();
        return this.job(container, spec, { output: null, input: null, exit: async () => failure, replaysFromStart: false });
      }
      signal.throwIfAborted();
    } catch (error) {
      attached?.destroy();
      // Never started (or started and then abandoned by its caller): nothing of it is worth keeping.
      await container.remove({ force: true, v: true }).catch((removal: unknown) => this.options.log(`could not remove container ${container.id.slice(0, 12)}: ${wordsOf(removal)}`));
      throw error instanceof ApiError ? error : toEngineError(error, { ...errors, subject: image });
    }

    if (spec.tty) this.resizeQuietly(container, target.size);
    return this.job(container, spec, {
      output: attached,
      input: spec.tty ? (attached as Duplex) : null,
      exit: (waitSignal) => waitForExit(container, errors, waitSignal),
      replaysFromStart: false,
    });
  }

  async reattach(handle: JobHandle, spec: RunSpec, signal: AbortSignal): Promise<RunningJob | null> {
    if (handle.containerId === null) return null;
    const { docker, errors } = this.options;
    const container = docker.getContainer(handle.containerId);
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await container.inspect({ abortSignal: signal });
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw containerError(error, errors, handle.containerId);
    }
    const tty = info.Config.Tty;
    const { State } = info;

    if (State.Status === 'created') {
      // Crossdock stopped between creating the container and starting it: the job never ran.
      const never: JobExit = { outcome: 'failed', exitCode: null, signal: null, message: 'The job was never started: Crossdock stopped before starting its container.' };
      return this.job(container, spec, { output: null, input: null, exit: async () => never, replaysFromStart: false, tty });
    }

    // The daemon's log holds the whole output from the start; it is multiplexed exactly when the
    // container has no terminal, like the attach stream.
    const output = await openStream(container.logs({ follow: true, stdout: true, stderr: true }) as Promise<Readable>, signal).catch(
      (error: unknown) => {
        throw containerError(error, errors, handle.containerId ?? '');
      },
    );
    const running = State.Running || State.Paused || State.Restarting;
    let input: Duplex | null = null;
    if (running && tty) {
      // Input only: the output already comes from the log, which an attach would repeat.
      input = await openStream(attachInput(this.options.endpoint, container.id), signal).catch((error: unknown) => {
        output.destroy();
        throw containerError(error, errors, handle.containerId ?? '');
      });
    }
    return this.job(container, spec, {
      output,
      input,
      exit: running ? (waitSignal) => waitForExit(container, errors, waitSignal) : async () => exitFromInspect(container, errors),
      replaysFromStart: true,
      tty,
    });
  }

  async exec(handle: JobHandle, command: string[], size: TerminalSize, signal: AbortSignal): Promise<RunningJob> {
    const { docker, errors } = this.options;
    const containerId = handle.containerId;
    if (containerId === null) throw new ApiError('invalid-request', 'This job has no container to open a shell in.', { engineId: errors.engineId });
    const container = docker.getContainer(containerId);
    try {
      const exec = await container.exec({ Cmd: command, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, abortSignal: signal });
      const stream = await openStream(exec.start({ hijack: true, stdin: true, Tty: true, Detach: false }), signal);
      exec.resize({ h: size.rows, w: size.cols }).catch(() => undefined);
      return new ExecJob(containerId, exec, stream, errors);
    } catch (error) {
      throw containerError(error, errors, containerId);
    }
  }

  /**
   * A refused start that is "the program could not be run": an exit with 127 (126), as the
   * engines' CLIs report it, with the engine's words. Anything else is a refusal (null).
   */
  private async programFailure(container: Dockerode.Container, startError: unknown): Promise<JobExit | null> {
    const message = wordsOf(startError);
    if (statusOf(startError) === undefined) return null;
    const exitCode = await container.inspect().then(
      (info) => info.State.ExitCode,
      () => null,
    );
    const code = programFailureCode(exitCode, message);
    return code === null ? null : exitedWith(code, message);
  }

  private job(
    container: Dockerode.Container,
    spec: RunSpec,
    parts: { output: Readable | null; input: Duplex | null; exit: (signal: AbortSignal) => Promise<JobExit>; replaysFromStart: boolean; tty?: boolean },
  ): RunningJob {
    return new ContainerJob({
      container,
      tty: parts.tty ?? spec.tty,
      output: parts.output,
      input: parts.input,
      exit: parts.exit,
      replaysFromStart: parts.replaysFromStart,
      remove: spec.remove,
      errors: this.options.errors,
      log: this.options.log,
    });
  }

  private resizeQuietly(container: Dockerode.Container, size: TerminalSize): void {
    container.resize({ h: size.rows, w: size.cols }).catch(() => undefined);
  }
}
