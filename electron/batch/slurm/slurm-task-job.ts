// One Slurm job (or array task) as the job manager follows any job: its state from the shared
// squeue poll, its output file read as Slurm writes it (from where Crossdock left off, at the pace
// the job manager takes it), cancel through scancel. It outlives Crossdock: quitting only stops
// following it, and the next start makes a new one from the record (output re-read from the start).
import { open } from 'node:fs/promises';
import type { BatchJob } from '../../../shared/batch';
import type { JobRecord } from '../../../shared/jobs';
import type { JobExit, OutputChunk, RunningJob } from '../../jobs/runner';
import { runSlurm, slurmWords, type SlurmCli } from './slurm-cli';
import type { QueuedJob } from './slurm-parse';
import type { QueueReport, SlurmQueue } from './slurm-queue';
import { phaseOf } from './slurm-states';

type Patch = Partial<Pick<JobRecord, 'state' | 'startedAt' | 'message' | 'batch'>>;

/** How often the output file is looked at while the job runs, and while it waits in the queue. */
const READ_EVERY_MS = 200;
const READ_EVERY_PENDING_MS = 1_000;
const READ_BYTES = 1024 * 1024;

export interface SlurmTaskJobOptions {
  cli: SlurmCli;
  queue: SlurmQueue;
  batch: BatchJob;
  /** What the record said last (a job found again after a restart may have been running). */
  knownState: 'pending' | 'running';
  log: (message: string) => void;
}

export class SlurmTaskJob implements RunningJob {
  readonly handle = { containerId: null, pid: null };
  readonly replaysFromStart = true;
  readonly exit: Promise<JobExit>;
  readonly batch: NonNullable<RunningJob['batch']>;
  private resolveExit!: (exit: JobExit) => void;
  private ended: JobExit | null = null;
  private detached = false;
  private cancelRequested = false;
  private running: boolean;
  private batchInfo: BatchJob;
  private report: ((patch: Patch) => void) | null = null;
  private readonly unwatch: () => void;
  private wake: (() => void) | null = null;
  private unreachable = false;

  constructor(private readonly options: SlurmTaskJobOptions) {
    this.batchInfo = options.batch;
    this.running = options.knownState === 'running';
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
    this.batch = {
      replayNotice: `following Slurm job ${options.batch.jobId} again after Crossdock restarted; its output file is read from the start`,
      watch: (report) => {
        this.report = report;
      },
    };
    this.unwatch = options.queue.watch(options.batch.jobId, (report) => void this.onQueue(report));
  }

  get output(): AsyncIterable<OutputChunk> {
    return { [Symbol.asyncIterator]: () => this.readOutput() };
  }

  async stop(): Promise<void> {
    await this.cancel();
  }

  async kill(): Promise<void> {
    await this.cancel();
  }

  detach(): void {
    this.detached = true;
    this.unwatch();
    this.wake?.();
  }

  async dispose(): Promise<void> {
    this.unwatch();
  }

  private async cancel(): Promise<void> {
    this.cancelRequested = true;
    const outcome = await runSlurm(this.options.cli, 'scancel', [this.batchInfo.jobId]);
    if (outcome.exitCode !== 0) this.options.log(`slurm job ${this.batchInfo.jobId}: scancel said ${slurmWords(outcome)}`);
    this.options.queue.pollSoon();
  }

  private async onQueue(report: QueueReport): Promise<void> {
    if (this.ended) return;
    if (report.type === 'unreachable') {
      this.unreachable = true;
      this.report?.({ message: `Slurm cannot be asked about this job now: ${report.message} Crossdock keeps asking.` });
      return;
    }
    if (report.type === 'gone') {
      this.end(await this.fromAccounting());
      return;
    }
    const { job } = report;
    this.batchInfo = { ...this.batchInfo, slurmState: job.state, reason: job.reason, nodes: job.nodes ?? this.batchInfo.nodes, partition: job.partition ?? this.batchInfo.partition };
    const phase = phaseOf(job, { cancelRequested: this.cancelRequested });
    const message = this.unreachable ? { message: null } : {};
    this.unreachable = false;
    if (!phase.ended) {
      const startedAt = phase.state === 'running' ? (job.startTime ?? new Date().toISOString()) : null;
      if (phase.state === 'running' && !this.running) this.wake?.();
      this.running = phase.state === 'running';
      this.report?.({ state: phase.state, batch: this.batchInfo, ...(startedAt ? { startedAt } : {}), ...message });
      return;
    }
    this.report?.({ batch: this.batchInfo, ...(job.startTime ? { startedAt: job.startTime } : {}) });
    this.end(phase.exit);
  }

  /** A job Slurm's controller forgot: accounting may still know how it ended (sacct). */
  private async fromAccounting(): Promise<JobExit> {
    const id = this.batchInfo.jobId;
    try {
      const outcome = await runSlurm(this.options.cli, 'sacct', ['--jobs', id, '--noheader', '--parsable2', '--format=JobID,State,ExitCode,Reason']);
      const line = outcome.exitCode === 0 ? outcome.stdout.split('\n').find((row) => row.startsWith(`${id}|`)) : undefined;
      if (line) {
        const [, state = '', exitCode = ''] = line.split('|');
        const [code, signal] = exitCode.split(':').map((part) => Number.parseInt(part, 10));
        const job: QueuedJob = {
          id,
          state: state.split(' ')[0] ?? state,
          reason: null,
          startTime: null,
          endTime: null,
          nodes: null,
          partition: null,
          exitCode: Number.isFinite(code) ? code! : null,
          signal: Number.isFinite(signal) ? signal! : null,
        };
        this.batchInfo = { ...this.batchInfo, slurmState: job.state };
        this.report?.({ batch: this.batchInfo });
        const phase = phaseOf(job, { cancelRequested: this.cancelRequested });
        if (phase.ended) return phase.exit;
      }
      const why = outcome.exitCode === 0 ? 'accounting does not list it' : `accounting says: ${slurmWords(outcome)}`;
      return this.lost(why);
    } catch (error) {
      return this.lost(error instanceof Error ? error.message : String(error));
    }
  }

  private lost(why: string): JobExit {
    return {
      outcome: 'engine-lost',
      exitCode: null,
      signal: null,
      message: `Slurm no longer knows job ${this.batchInfo.jobId} (it ended more than MinJobAge ago while Crossdock was not following it) and ${why}: how it ended is unknown. Its output file is kept: ${this.batchInfo.outputPath}`,
      state: 'engine-lost',
    };
  }

  private end(exit: JobExit): void {
    if (this.ended) return;
    this.ended = exit;
    this.unwatch();
    this.wake?.();
    this.resolveExit(exit);
  }

  /** The output file from its start, as it grows; ends once the job ended and all of it was read. */
  private async *readOutput(): AsyncGenerator<OutputChunk> {
    let offset = 0;
    const buffer = Buffer.alloc(READ_BYTES);
    for (;;) {
      if (this.detached) return;
      const endedBeforeRead = this.ended !== null;
      try {
        const file = await open(this.batchInfo.outputPath, 'r');
        try {
          for (;;) {
            const { bytesRead } = await file.read(buffer, 0, READ_BYTES, offset);
            if (bytesRead === 0) break;
            offset += bytesRead;
            // Output means the job started: ask Slurm now rather than at the next tick.
            if (!this.running && this.ended === null) this.options.queue.pollSoon();
            // A copy: the buffer is reused for the next read while the log still writes this one.
            yield { stream: 'stdout', data: Buffer.from(buffer.subarray(0, bytesRead)) };
            if (this.detached) return;
          }
        } finally {
          await file.close();
        }
      } catch (error) {
        // Not there yet (still queued), or never written (the node could not open it).
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log(`slurm job ${this.batchInfo.jobId}: reading its output: ${String(error)}`);
      }
      // What Slurm wrote last is on disk once the job ended: one read after the end finishes it.
      if (endedBeforeRead) return;
      if (this.ended === null) await this.pause(this.running ? READ_EVERY_MS : READ_EVERY_PENDING_MS);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(this: void): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
