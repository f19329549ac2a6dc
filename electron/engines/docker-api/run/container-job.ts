// A job that is one container: its output (the attach stream of a fresh run, or the daemon's log
// after a re-attach), its exit from the engine's wait, and stop, kill, input and resize through
// the container's own calls. The container is removed here, once its exit code was read.
import type { Readable, Writable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { JobHandle, TerminalSize } from '../../../../shared/jobs';
import type { JobExit, MemoryWatch, OutputChunk, RunningJob } from '../../../jobs/runner';
import type { ErrorContext } from '../errors';
import { containerError, isAlreadyGone, wordsOf } from './errors';
import { engineLost } from './exit';
import { watchContainerMemory } from './memory-stats';
import { chunksOf, guarded } from './output';
import { exitFromInspect } from './wait';

/** How long the wait may lag behind the end of the output before the engine is asked directly. */
const WATCHDOG_MS = 2_000;
import { writeQuietly } from './streams';

export interface ContainerJobParts {
  container: Dockerode.Container;
  tty: boolean;
  /** Where output comes from; null when nothing ran (the program could not be started). */
  output: Readable | null;
  /** The terminal's input (the hijacked attach); null for a job without a terminal. */
  input: Writable | null;
  /** Computed by the runner (wait, inspect); must never reject. */
  exit: (waitSignal: AbortSignal) => Promise<JobExit>;
  replaysFromStart: boolean;
  /** Remove the container once the job ended (spec.remove). */
  remove: boolean;
  errors: ErrorContext;
  log: (message: string) => void;
}

export class ContainerJob implements RunningJob {
  readonly handle: JobHandle;
  readonly output: AsyncIterable<OutputChunk>;
  readonly exit: Promise<JobExit>;
  readonly replaysFromStart: boolean;
  readonly write?: (data: string) => void;
  readonly resize?: (size: TerminalSize) => void;
  /** Aborts the pending wait when the job is let go while it still runs. */
  private readonly waiting = new AbortController();
  private ended = false;
  private disposed = false;

  constructor(private readonly parts: ContainerJobParts) {
    this.handle = { containerId: parts.container.id, pid: null };
    this.replaysFromStart = parts.replaysFromStart;
    let fromWatchdog: (exit: JobExit) => void = () => {};
    const watchdog = new Promise<JobExit>((resolve) => (fromWatchdog = resolve));
    this.output = parts.output ? guarded(chunksOf(parts.output, parts.tty), () => this.watchAfterOutput(fromWatchdog)) : emptyOutput();
    this.exit = Promise.race([parts.exit(this.waiting.signal), watchdog]).then((exit) => {
      this.ended = true;
      return exit;
    });
    if (parts.tty) {
      this.write = (data) => writeQuietly(parts.input, data);
      this.resize = (size) => {
        // A resize that races the end of the job has nothing left to resize.
        parts.container.resize({ h: size.rows, w: size.cols }).catch(() => undefined);
      };
    }
  }

  /**
   * The engine's own stop: the image's stop signal (SIGTERM unless it says otherwise), SIGKILL
   * after the grace period, rounded up to whole seconds because that is what the API takes. Not
   * awaited: the engine answers only once the container is gone, and the caller wants to know
   * the stop was asked. Note that the program is PID 1 of its container, which the kernel does not
   * let a signal end unless the program handles it: such a program only ends at the SIGKILL.
   */
  async stop(graceMs: number): Promise<void> {
    const t = Math.max(0, Math.ceil(graceMs / 1000));
    this.parts.container.stop({ t }).catch((error: unknown) => {
      if (!this.ended && !isAlreadyGone(error)) this.parts.log(`stopping container ${this.shortId}: ${wordsOf(error)}`);
    });
  }

  async kill(): Promise<void> {
    try {
      await this.parts.container.kill();
    } catch (error) {
      if (this.ended || isAlreadyGone(error)) return;
      throw containerError(error, this.parts.errors, this.parts.container.id);
    }
  }

  /** The engine's container stats, for comparisons (see memory-stats.ts). */
  watchMemory(): MemoryWatch {
    return watchContainerMemory(this.parts.container, this.parts.errors.product);
  }

  /** Crossdock quits: close the sockets and stop waiting; the container keeps running. */
  detach(): void {
    this.parts.output?.destroy();
    this.parts.input?.destroy();
    this.waiting.abort();
  }

  /**
   * The output ended; the wait should answer now. It does not when the daemon died: the wait's
   * connection closes without an answer and docker-modem never settles it. So, while the job has
   * not ended, ask the engine directly every few seconds: an engine that does not answer is lost,
   * a container that no longer runs has its exit code in its state.
   */
  private watchAfterOutput(settle: (exit: JobExit) => void): void {
    const check = async () => {
      if (this.ended || this.disposed) return;
      try {
        const { State } = await this.parts.container.inspect();
        if (!State.Running) {
          settle(await exitFromInspect(this.parts.container, this.parts.errors));
          return;
        }
      } catch (error) {
        settle(
          isAlreadyGone(error)
            ? { outcome: 'exited', exitCode: null, signal: null, message: 'The container was removed outside Crossdock; its exit code is unknown.' }
            : engineLost(`${this.parts.errors.product} stopped answering while the job ran: ${wordsOf(error)}`),
        );
        return;
      }
      setTimeout(() => void check(), WATCHDOG_MS).unref();
    };
    setTimeout(() => void check(), WATCHDOG_MS).unref();
  }

  /**
   * Closes the sockets. The container goes only once the job ended and spec.remove asked for it: a
   * job let go while it runs (Crossdock quits) keeps running in the engine, to be re-attached.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.parts.output?.destroy();
    this.parts.input?.destroy();
    if (!this.ended) {
      this.waiting.abort();
      return;
    }
    if (!this.parts.remove) return;
    try {
      // v: also the anonymous volumes the image declared, as `docker run --rm` removes them.
      await this.parts.container.remove({ force: true, v: true });
    } catch (error) {
      if (!isAlreadyGone(error)) this.parts.log(`could not remove container ${this.shortId}: ${wordsOf(error)}`);
    }
  }

  private get shortId(): string {
    return this.parts.container.id.slice(0, 12);
  }
}

async function* emptyOutput(): AsyncGenerator<OutputChunk, void, undefined> {
  // Nothing ran, so nothing was written.
}
