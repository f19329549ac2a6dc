// A job this host process is running or following: its record, its log being written, the
// runner's controls, and the windows watching its output (for an interactive job, they set the pace).
import type { JobRecord } from '../../shared/jobs';
import { TapPoint } from './job-tap';
import type { OutputLog } from './output-log';
import type { RunningJob } from './runner';

/** An interactive job pauses once a watching window is this far behind, as a terminal would. */
const TTY_HIGH_WATER = 1024 * 1024;

export class LiveJob {
  running: RunningJob | null = null;
  /** Set by stop and kill: the job's end is then "killed", whatever code it ended with. */
  stopRequested = false;
  /** Set when Crossdock quits: the pump lets go without ending the job (daemon engines keep it). */
  detaching = false;
  /** The pump's current wait, which detach() cuts short. One at a time, replaced each chunk. */
  private detachWaiter: (() => void) | null = null;
  readonly startAbort = new AbortController();
  /** Who else follows this job's start, first output and end (a comparison); nobody by default. */
  tap: TapPoint = TapPoint.none;
  /** Ends when the pump finished (record final, log closed). */
  finished: Promise<void> = Promise.resolve();
  private readonly viewers = new Map<symbol, number>();
  private progressWaiters: Array<() => void> = [];

  constructor(
    public record: JobRecord,
    readonly log: OutputLog,
  ) {}

  detach(): void {
    this.detaching = true;
    this.detachWaiter?.();
    this.wakeProgress();
  }

  /**
   * `work`, or null as soon as the job is detached. Not Promise.race against one long-lived
   * promise: every race would leave a reaction on it holding that chunk, and a job that prints
   * gigabytes would keep them all.
   */
  untilDetached<T>(work: Promise<T>): Promise<T | null> {
    if (this.detaching) return Promise.resolve(null);
    return new Promise<T | null>((resolve, reject) => {
      this.detachWaiter = () => resolve(null);
      work.then(resolve, reject).finally(() => {
        this.detachWaiter = null;
      });
    });
  }

  get tty(): boolean {
    return this.record.spec.tty;
  }

  addViewer(): { token: symbol; sent: (offset: number) => void; remove: () => void } {
    const token = Symbol('viewer');
    this.viewers.set(token, 0);
    return {
      token,
      sent: (offset) => {
        this.viewers.set(token, offset);
        this.wakeProgress();
      },
      remove: () => {
        this.viewers.delete(token);
        this.wakeProgress();
      },
    };
  }

  /**
   * Interactive jobs only: waits while the slowest watching window is more than TTY_HIGH_WATER
   * behind. Not pulling the runner's output is what pauses the pty or the attach socket.
   */
  async waitForViewers(): Promise<void> {
    while (this.tty && !this.detaching && this.lag() > TTY_HIGH_WATER) {
      await new Promise<void>((resolve) => this.progressWaiters.push(resolve));
    }
  }

  private lag(): number {
    if (this.viewers.size === 0) return 0;
    return this.log.flushed - Math.min(...this.viewers.values());
  }

  wakeProgress(): void {
    const waiting = this.progressWaiters;
    this.progressWaiters = [];
    for (const resolve of waiting) resolve();
  }
}
