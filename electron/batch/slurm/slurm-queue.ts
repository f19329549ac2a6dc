// One squeue for every Slurm job Crossdock follows: each poll asks the controller once (the user's
// own jobs, array tasks one a line, finished ones included while Slurm still keeps them) and hands
// each watcher its line. It polls only while someone watches, every couple of seconds; a controller
// that does not answer is asked again less often, and watchers hear Slurm's words meanwhile.
import { ApiError } from '../../../shared/errors';
import { parseQueue, SQUEUE_FORMAT, type QueuedJob } from './slurm-parse';
import { runSlurm, slurmWords, type SlurmCli } from './slurm-cli';

export type QueueReport =
  | { type: 'seen'; job: QueuedJob }
  /** Slurm no longer knows the job (it ended more than MinJobAge ago, or was never this user's). */
  | { type: 'gone' }
  /** squeue failed: the controller is down or unreachable; the job's fate is unknown for now. */
  | { type: 'unreachable'; message: string };

export interface QueueOptions {
  intervalMs?: number;
  /** After a failed poll. */
  retryMs?: number;
  log?: (message: string) => void;
}

/** A job missing from this many polls in a row is gone (one miss may be a job not listed yet). */
const MISSES_BEFORE_GONE = 2;

export class SlurmQueue {
  private readonly watchers = new Map<string, Set<(report: QueueReport) => void>>();
  private readonly misses = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private disposed = false;
  private readonly intervalMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly cli: SlurmCli,
    options: QueueOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 2_000;
    this.retryMs = options.retryMs ?? 5_000;
  }

  /** Reports for one job or array task ("12", "12_3") until the returned function is called. */
  watch(jobId: string, report: (report: QueueReport) => void): () => void {
    let set = this.watchers.get(jobId);
    if (!set) this.watchers.set(jobId, (set = new Set()));
    set.add(report);
    this.schedule(0);
    return () => {
      set.delete(report);
      if (set.size === 0) {
        this.watchers.delete(jobId);
        this.misses.delete(jobId);
      }
    };
  }

  /** Polls now (after a submit or a cancel, so the window need not wait for the next tick). */
  pollSoon(): void {
    this.schedule(100);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watchers.clear();
  }

  private schedule(delayMs: number): void {
    if (this.disposed || this.watchers.size === 0) return;
    if (this.timer) {
      // An earlier poll wins; a later one is brought forward.
      if (delayMs >= this.intervalMs) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (this.polling) return this.schedule(this.intervalMs);
    this.polling = true;
    let next = this.intervalMs;
    try {
      const outcome = await runSlurm(this.cli, 'squeue', ['--me', '--array', '--states=all', '--noheader', `--Format=${SQUEUE_FORMAT}`]);
      if (outcome.exitCode !== 0) {
        next = this.retryMs;
        this.tellAll({ type: 'unreachable', message: `squeue: ${slurmWords(outcome)}` });
      } else {
        const seen = new Map(parseQueue(outcome.stdout).map((job) => [job.id, job]));
        for (const [jobId, set] of [...this.watchers]) {
          const job = seen.get(jobId);
          if (job) {
            this.misses.delete(jobId);
            for (const report of [...set]) report({ type: 'seen', job });
            continue;
          }
          const misses = (this.misses.get(jobId) ?? 0) + 1;
          this.misses.set(jobId, misses);
          if (misses >= MISSES_BEFORE_GONE) for (const report of [...set]) report({ type: 'gone' });
        }
      }
    } catch (error) {
      next = this.retryMs;
      this.tellAll({ type: 'unreachable', message: error instanceof ApiError ? error.message : String(error) });
    } finally {
      this.polling = false;
    }
    this.schedule(next);
  }

  private tellAll(report: QueueReport): void {
    for (const set of [...this.watchers.values()]) for (const watcher of [...set]) watcher(report);
  }
}
