// A caller's view of one job's life as the job manager sees it, for measurements the job record
// does not hold: when the first byte of output arrived, when the job ended, and the running job's
// own controls (a comparison watches its memory through them). Times are performance.now(), so
// they can be subtracted from a time the caller took just before it asked for the run.
import type { RunningJob } from './runner';

export interface JobTap {
  /** The engine started the job. Not called for a job that never started (refused, failed). */
  started?(running: RunningJob): void;
  /** The first piece of output (stdout, stderr or the terminal's stream) came from the engine. */
  firstOutput?(at: number): void;
  /** The output ended and the engine reported the exit: the job is over, its record not final yet. */
  ended?(at: number): void;
}

/**
 * What the job manager calls: each event at most once, and a tap that throws cannot break the
 * job it watches (it only loses its measurement).
 */
export class TapPoint {
  static readonly none = new TapPoint(undefined);
  private sawOutput = false;
  private sawEnd = false;

  constructor(private readonly tap: JobTap | undefined) {}

  started(running: RunningJob): void {
    this.call(() => this.tap?.started?.(running));
  }

  /** Called for every piece of output; cheap after the first. */
  output(): void {
    if (this.sawOutput || !this.tap) return;
    this.sawOutput = true;
    const at = performance.now();
    this.call(() => this.tap?.firstOutput?.(at));
  }

  ended(): void {
    if (this.sawEnd || !this.tap) return;
    this.sawEnd = true;
    const at = performance.now();
    this.call(() => this.tap?.ended?.(at));
  }

  private call(notify: () => void): void {
    try {
      notify();
    } catch {
      // A measurement gone wrong must not change how the job runs or ends.
    }
  }
}
