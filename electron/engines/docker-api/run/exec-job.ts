// A shell (or any command) opened in a running job's container: POST /containers/{id}/exec and
// /exec/{id}/start, always with a terminal. Its exit code is read from the exec's inspect once
// its stream ended.
//
// The API has no call that signals an exec'd process (there is no /exec/{id}/kill, and the Pid
// exec inspect gives is the host's, which a remote or rootless engine does not let Crossdock
// signal). So stop and kill go through the terminal, as a person would: Ctrl-C for whatever runs
// in the foreground, then `exit` for the shell; the stream is closed after the grace period
// (stop) or at once after that (kill). A program that ignores all of that keeps running in the
// container until the container itself ends; the exit then says so.
import { setTimeout as delay } from 'node:timers/promises';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type { JobHandle, TerminalSize } from '../../../../shared/jobs';
import type { JobExit, OutputChunk, RunningJob } from '../../../jobs/runner';
import { toEngineError, type ErrorContext } from '../errors';
import { engineLost, exitedWith } from './exit';
import { chunksOf, guarded } from './output';
import { writeQuietly } from './streams';

/** How long an exec's end may lag behind its stream's end before it is taken as still running. */
const EXIT_SETTLE_MS = 5_000;
const EXIT_POLL_MS = 50;
/** How long after Ctrl-C the next input is typed (see interrupt()). */
const INPUT_FLUSH_MS = 250;

export class ExecJob implements RunningJob {
  readonly handle: JobHandle;
  readonly output: AsyncIterable<OutputChunk>;
  readonly exit: Promise<JobExit>;
  private resolveStreamEnd!: (error: unknown) => void;
  private disposed = false;

  constructor(
    containerId: string,
    private readonly exec: Dockerode.Exec,
    private readonly stream: Duplex,
    private readonly errors: ErrorContext,
  ) {
    this.handle = { containerId, pid: null };
    const streamEnded = new Promise<unknown>((resolve) => {
      this.resolveStreamEnd = resolve;
    });
    // The stream also ends when nobody reads it any more (disposed): the exit is still read.
    stream.once('close', () => this.resolveStreamEnd(null));
    this.output = guarded(chunksOf(stream, true), (error) => this.resolveStreamEnd(error));
    this.exit = streamEnded.then((error) => this.readExit(error));
  }

  write(data: string): void {
    writeQuietly(this.stream, data);
  }

  resize(size: TerminalSize): void {
    this.exec.resize({ h: size.rows, w: size.cols }).catch(() => undefined);
  }

  /** Ctrl-C, then `exit` for the shell; the stream is closed after the grace period. */
  async stop(graceMs: number): Promise<void> {
    this.interrupt();
    const timer = setTimeout(() => this.stream.destroy(), Math.max(graceMs, INPUT_FLUSH_MS * 2));
    timer.unref();
    void this.exit.then(() => clearTimeout(timer));
  }

  /** Ctrl-C, `exit`, and the stream closed soon after. */
  async kill(): Promise<void> {
    this.interrupt();
    const timer = setTimeout(() => this.stream.destroy(), INPUT_FLUSH_MS * 2);
    timer.unref();
    void this.exit.then(() => clearTimeout(timer));
  }

  /**
   * The terminal discards its pending input when Ctrl-C interrupts (the line discipline flushes
   * it with the SIGINT), so `exit` is typed a moment later, once the shell is back at its prompt.
   */
  private interrupt(): void {
    this.write('\x03');
    const timer = setTimeout(() => this.write('exit\r'), INPUT_FLUSH_MS);
    timer.unref();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stream.destroy();
  }

  private async readExit(streamError: unknown): Promise<JobExit> {
    const deadline = Date.now() + EXIT_SETTLE_MS;
    try {
      for (;;) {
        const info = await this.exec.inspect();
        if (!info.Running && typeof info.ExitCode === 'number') return exitedWith(info.ExitCode);
        if (Date.now() > deadline) {
          return {
            outcome: 'exited',
            exitCode: null,
            signal: null,
            message: 'The terminal was closed, but the command did not end; it may still run in the container: ' +
              `${this.errors.product} has no call that signals a command started with exec.`,
          };
        }
        await delay(EXIT_POLL_MS);
      }
    } catch (error) {
      const mapped = toEngineError(streamError ?? error, this.errors);
      if (mapped.kind === 'engine-unavailable') return engineLost(mapped.message);
      // The exec went with its container (removed, or the engine forgot it once the container ended).
      return { outcome: 'exited', exitCode: null, signal: null, message: `The exit code is not known: ${mapped.message}` };
    }
  }
}
