// What an engine adapter implements to run jobs. The job manager (engine-agnostic) owns records,
// the log on disk, stop/kill policy and restarts; a runner only translates a RunSpec into its
// engine's call and hands back the running job's output, exit and controls.
import type { JobHandle, JobRecord, JobState, TerminalSize } from '../../shared/jobs';
import type { ImageSummary } from '../../shared/model';
import type { RunCapabilities, RunSpec } from '../../shared/run';

/** A piece of output as the engine produced it. "tty" is a terminal's merged stream. */
export interface OutputChunk {
  stream: 'stdout' | 'stderr' | 'tty';
  data: Buffer;
}

/**
 * How a job ended, as the runner saw it.
 * - exited: the program ended; exitCode is its status (a signal is reported as 128 + n with `signal` set)
 * - failed: the engine refused to start it (message: the engine's words); exitCode when the engine gives one
 * - engine-lost: the daemon or the connection died while the job ran
 */
export interface JobExit {
  outcome: 'exited' | 'failed' | 'engine-lost';
  exitCode: number | null;
  signal: string | null;
  message: string | null;
  /**
   * The final state, when the runner knows it in its own terms (a batch system's TIMEOUT or
   * CANCELLED): it wins over what the job manager would infer from outcome and stop requests.
   */
  state?: JobState;
}

/** What a memory watch found once it was stopped, in words the comparison table shows. */
export interface MemoryReading {
  /** Null when there was no reading (the job ended before the first one). */
  peakBytes: number | null;
  /** How the figure is obtained on this engine ("Docker's container stats: ..."). */
  method: string;
  /** Why there is no figure, when peakBytes is null. */
  missing: string | null;
}

/** A measurement of a job's memory that runs from watchMemory() until stop(). */
export interface MemoryWatch {
  /** Ends the measurement (closes what it holds) and answers the highest value seen. Never rejects. */
  stop(): Promise<MemoryReading>;
}

export interface RunningJob {
  /** Persisted in the record: what re-attach, stop and exec need after a restart. */
  readonly handle: JobHandle;
  /**
   * Output in arrival order, ending when the job's output ends. The job manager pulls it as fast as
   * the disk takes it; pulling slowly (an interactive terminal that is behind) must back-pressure
   * the job itself: pause the pty, stop reading the attach socket. Never throws: a broken
   * connection ends the iteration and shows in `exit`.
   */
  readonly output: AsyncIterable<OutputChunk>;
  /** Resolves once the job ended. Never rejects. */
  readonly exit: Promise<JobExit>;
  /** When true, `output` replays the job's whole output from its start (a daemon's own log after re-attach). */
  readonly replaysFromStart?: boolean;
  /** SIGTERM (or the engine's stop), then SIGKILL once `graceMs` passed. Resolves when asked, not when ended. */
  stop(graceMs: number): Promise<void>;
  kill(): Promise<void>;
  /** Interactive jobs only: bytes for the terminal's input (keystrokes, paste, Ctrl-C as \x03). */
  write?(data: string): void;
  resize?(size: TerminalSize): void;
  /**
   * Daemon engines: stop following the job without ending it (Crossdock quits; the daemon keeps
   * the container). Must end the `output` iteration promptly, even while it waits for output.
   */
  detach?(): void;
  /** Releases what the runner holds once the job ended (its container when spec.remove, sockets). */
  dispose(): Promise<void>;
  /**
   * Starts measuring the job's peak memory where the engine lets Crossdock see it (the engine's
   * container stats, or the job's own processes in /proc); left out where it does not. Used by
   * comparisons, which call it as soon as the job started and stop it once the job ended.
   */
  watchMemory?(): MemoryWatch;
  /**
   * Batch jobs: the job is queued, not running, when start() answers ("pending"), and keeps going
   * when Crossdock quits (it is detached, and found again at the next start).
   */
  readonly batch?: {
    /** The words of the notice written before a re-read output (after a restart). */
    replayNotice: string;
    /**
     * Called once by the job manager with a function that applies changes the batch system
     * reports while the job is queued or running (pending to running, its words, its node).
     */
    watch(report: (patch: Partial<Pick<JobRecord, 'state' | 'startedAt' | 'message' | 'batch'>>) => void): void;
  };
}

/**
 * An engine's run as shell commands, for a batch script (a Slurm job runs the engine's own CLI on a
 * compute node). Every command is an argument array; the script builder quotes each word.
 */
export interface BatchSteps {
  /** Variables the engine's CLI needs beyond the user's own (udocker's stand-in tools). */
  env: Record<string, string>;
  /** Commands before the run (udocker's create and setup), each must succeed. */
  prepare: string[][];
  /** The job's own command line. */
  run: string[];
  /**
   * What ends the job's container when the batch system signals the job (time limit, scancel):
   * signalling the docker or podman client alone leaves its container running.
   */
  stop: string[][];
  /** Clean-up after the run, whatever its outcome (udocker's container). */
  cleanup: string[][];
}

/** What a runner gets besides the spec: the image row the job manager found in the engine's list. */
export interface RunTarget {
  spec: RunSpec;
  image: ImageSummary;
  /** The terminal's size at start, for interactive jobs. */
  size: TerminalSize;
  /**
   * Set when `image` is a SIF file another engine lists, run by a runner that `runsSif` from
   * Crossdock's unpacked copy (electron/sif/cache.ts): the file, and the folder it unpacks to.
   */
  sif?: { path: string; rootfs: string };
}

export interface CommandLine {
  argv: string[];
  /** True when argv is the engine's CLI equivalent of an API call Crossdock makes itself. */
  isEquivalent: boolean;
}

export interface JobRunner {
  capabilities(): RunCapabilities;
  /**
   * Runs SIF files that another engine lists, from Crossdock's unpacked copy (the engine advertises
   * HasSIF): where a SIF file is (or will be) unpacked, without unpacking it.
   */
  readonly runsSif?: { rootfsOf(sifPath: string): Promise<string> };
  /** The exact command line of this run, for the dialog (copyable) and the record. */
  commandLine(target: Omit<RunTarget, 'size'>): CommandLine;
  /**
   * Starts the job. Throws ApiError when the engine refuses before anything ran (the job becomes
   * "failed" with that message). A program that cannot be found in the image is not a refusal:
   * it is an exit with 127, as the engines' own CLIs report it.
   */
  start(target: RunTarget, signal: AbortSignal): Promise<RunningJob>;
  /** Daemon engines: find a job that kept running while Crossdock was down. Null when it is gone. */
  reattach?(handle: JobHandle, spec: RunSpec, signal: AbortSignal): Promise<RunningJob | null>;
  /** Runs `command` in the running job's container, always with a TTY. */
  exec?(handle: JobHandle, command: string[], size: TerminalSize, signal: AbortSignal): Promise<RunningJob>;
  /**
   * The run as batch-script commands, under the container name `name` (the spec never has a
   * terminal here). Left out where the command line alone is the whole run (ch-run, apptainer).
   */
  batchSteps?(target: Omit<RunTarget, 'size'>, name: string): Promise<BatchSteps>;
}
