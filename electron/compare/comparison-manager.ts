// "Run on all engines": the comparisons of this host. One comparison runs at a time, and within it
// one job at a time (round 0 over every target in order, then round 1, ...), because a timing taken
// while another container starts measures both: a second request while one runs is refused
// (conflict), not queued. Each run is an ordinary job of the job manager. The record is kept on
// disk (comparison-store.ts) and every change of it reaches the windows through the change feed.
import { ApiError } from '../../shared/errors';
import { MAX_DIFF_BYTES, type ComparisonRecord } from '../../shared/compare';
import type { EngineRegistry } from '../engines/registry';
import type { ChangeFeed } from '../host/change-feed';
import type { JobManager } from '../jobs/job-manager';
import { newComparisonId } from './comparison-ids';
import type { ComparisonStore } from './comparison-store';
import { memoryNote, type AttemptMemory } from './memory-note';
import {
  CANCELLED_PENDING,
  CANCELLED_RUNNING,
  ended,
  markInterrupted,
  newRecord,
  withAttempt,
  withTarget,
  type TargetLabels,
} from './record-edits';
import { checkRequest, targetSpec, type CompareRequest } from './request-checks';
import { runAttempt } from './run-attempt';
import { readStdoutStart } from './stdout-log';

export interface ComparisonManagerDeps {
  store: ComparisonStore;
  jobs: JobManager;
  registry: EngineRegistry;
  feed: ChangeFeed;
  log: (message: string) => void;
}

/** How long cancel and quitting wait for the running job to be gone (killed, container removed). */
const SETTLE_MS = 20_000;

/** The comparison being run, and what its loop needs to hear from cancel and quitting. */
interface Active {
  id: string;
  /** Set by cancel or quitting: no further job starts, and the loop leaves the record alone. */
  stopped: boolean;
  /** The job that runs now, to kill on cancel. */
  jobId: string | null;
  /** The loop; resolves once its last job ended. */
  done: Promise<void>;
}

export class ComparisonManager {
  private readonly records = new Map<string, ComparisonRecord>();
  private readonly loaded: Promise<void>;
  private active: Active | null = null;
  private disposed = false;

  constructor(private readonly deps: ComparisonManagerDeps) {
    this.loaded = this.load();
  }

  async list(): Promise<ComparisonRecord[]> {
    await this.loaded;
    return [...this.records.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id.localeCompare(a.id)));
  }

  async get(comparisonId: string): Promise<ComparisonRecord> {
    await this.loaded;
    const record = this.records.get(comparisonId);
    if (!record) throw new ApiError('not-found', `There is no comparison ${comparisonId} (deleted, or from another Crossdock data folder).`);
    return record;
  }

  /** Answers the record at once (running, every attempt pending); the runs follow in the background. */
  async run(request: CompareRequest): Promise<ComparisonRecord> {
    await this.loaded;
    if (this.disposed) throw new ApiError('conflict', 'Crossdock is quitting; no comparison is started.');
    checkRequest(request);
    const previous = this.active;
    // A record not made yet counts as running: its run() is under way.
    if (previous && (this.records.get(previous.id)?.state ?? 'running') === 'running') {
      throw new ApiError('conflict', `Another comparison (${previous.id}) is running: wait for it or cancel it, since two at once would disturb each other's timings.`);
    }
    // Claimed before the first await, so that two requests arriving together cannot both start.
    const active: Active = { id: newComparisonId(), stopped: false, jobId: null, done: Promise.resolve() };
    this.active = active;
    try {
      const record = newRecord(active.id, request, await this.labelsOf(request));
      await this.commit(record);
      // The previous comparison is over (done or cancelled) but its loop may still be letting go
      // of its last job (a killed container being removed): the first job here waits for that.
      active.done = this.execute(active, request, previous?.done).catch(async (error: unknown) => {
        this.deps.log(`comparison ${active.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        // Not left "running" for ever: what did not finish says why.
        const current = this.records.get(active.id);
        const message = `Crossdock could not go on with the comparison: ${error instanceof Error ? error.message : String(error)}`;
        if (current?.state === 'running') await this.commit(ended(current, 'interrupted', { running: message, pending: message }));
      });
      return record;
    } catch (error) {
      if (this.active === active) this.active = null;
      throw error;
    }
  }

  async cancel(comparisonId: string): Promise<ComparisonRecord> {
    const record = await this.get(comparisonId);
    const active = this.active;
    if (record.state !== 'running' || active?.id !== comparisonId) throw new ApiError('conflict', `The comparison is not running (${record.state}).`);
    active.stopped = true;
    await this.commit(ended(record, 'cancelled', { running: CANCELLED_RUNNING, pending: CANCELLED_PENDING }));
    await this.stopActive(active);
    return this.get(comparisonId);
  }

  /** Deletes the record; its jobs stay in the job list, with their output. */
  async remove(comparisonId: string): Promise<void> {
    const record = await this.get(comparisonId);
    if (record.state === 'running') throw new ApiError('conflict', 'The comparison is still running: cancel it first, then delete it.');
    await this.deps.store.remove(comparisonId);
    this.records.delete(comparisonId);
    this.deps.feed.publish({ type: 'comparison-removed', comparisonId });
  }

  /** The start of one attempt's stdout, for the diff view. */
  async stdout(comparisonId: string, target: number, round: number): Promise<{ text: string; truncated: boolean }> {
    const record = await this.get(comparisonId);
    const result = record.results[target];
    if (!result) throw new ApiError('not-found', `The comparison has ${record.results.length} target(s); there is no target ${target}.`);
    const attempt = result.attempts.find((candidate) => candidate.round === round);
    if (!attempt) throw new ApiError('not-found', `The comparison ran ${record.repeat} round(s); there is no round ${round}.`);
    if (attempt.jobId === null) throw new ApiError('not-found', `${result.label}, round ${round + 1}, ran no job${attempt.message ? `: ${attempt.message}` : '.'}`);
    try {
      return await readStdoutStart(this.deps.jobs.outputPath(attempt.jobId), MAX_DIFF_BYTES);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('not-found', `The output of job ${attempt.jobId} is gone (the job was deleted).`);
      throw error;
    }
  }

  /**
   * Quitting, before the jobs: a running comparison is interrupted (its timings cannot go on in the
   * next Crossdock) and its job killed rather than left to a daemon to re-attach.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.loaded.catch(() => undefined);
    const active = this.active;
    if (active) {
      active.stopped = true;
      const record = this.records.get(active.id);
      if (record) await this.commit(markInterrupted(record));
      await this.stopActive(active);
    }
    await this.deps.store.flush();
  }

  // ---- internals -------------------------------------------------------------------------

  private async load(): Promise<void> {
    for (const record of await this.deps.store.loadAll()) {
      // Found running: the Crossdock that ran it stopped (quit or was killed) in the middle.
      const current = markInterrupted(record);
      this.records.set(current.id, current);
      if (current !== record) await this.deps.store.save(current).catch((error: unknown) => this.deps.log(`comparison ${record.id}: could not save: ${String(error)}`));
    }
  }

  private async execute(active: Active, request: CompareRequest, previous: Promise<void> | undefined): Promise<void> {
    const memory: AttemptMemory[][] = request.targets.map(() => []);
    try {
      await previous;
      for (let round = 0; round < request.repeat; round += 1) {
        for (let index = 0; index < request.targets.length; index += 1) {
          if (active.stopped) return;
          await this.edit(active, (record) => withAttempt(record, index, round, { state: 'running' }));
          if (active.stopped) return;
          const outcome = await runAttempt(this.deps.jobs, targetSpec(request.spec, request.targets[index]!), {
            onJob: (job) => {
              active.jobId = job.id;
              // Kept even after a cancel: the job exists, in the job list, with whatever it printed.
              const record = this.records.get(active.id);
              if (record) void this.commit(withAttempt(record, index, round, { jobId: job.id }));
              // A cancel that came while the job was being asked for: it had no job to kill yet.
              if (active.stopped) void this.deps.jobs.kill(job.id).catch(() => undefined);
            },
          });
          active.jobId = null;
          if (outcome.memory) memory[index]!.push(outcome.memory);
          await this.edit(active, (record) =>
            withTarget(withAttempt(record, index, round, { ...outcome.attempt }), index, (result) => ({
              ...result,
              imageLabel: outcome.job?.imageLabel ?? result.imageLabel,
              memoryNote: memoryNote(result.label, memory[index]!),
            })),
          );
        }
      }
      await this.edit(active, (record) => ({ ...record, state: 'done', endedAt: new Date().toISOString() }));
    } finally {
      if (this.active === active) this.active = null;
    }
  }

  /** Changes the running record, unless cancel or quitting has taken it over. */
  private async edit(active: Active, change: (record: ComparisonRecord) => ComparisonRecord): Promise<void> {
    const record = this.records.get(active.id);
    if (active.stopped || !record || record.state !== 'running') return;
    await this.commit(change(record));
  }

  /** Kills the running job and waits (bounded) for the loop to see it end. */
  private async stopActive(active: Active): Promise<void> {
    if (active.jobId) await this.deps.jobs.kill(active.jobId).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([active.done, new Promise((resolve) => (timer = setTimeout(resolve, SETTLE_MS)))]);
    clearTimeout(timer);
  }

  /** The record as the windows and the disk see it from now on. */
  private async commit(record: ComparisonRecord): Promise<void> {
    this.records.set(record.id, record);
    this.deps.feed.publish({ type: 'comparison', comparison: record });
    await this.deps.store.save(record).catch((error: unknown) => this.deps.log(`comparison ${record.id}: could not save its record: ${String(error)}`));
  }

  /** "Docker", "udocker P1": the engine's own label where the registry knows it, and the image's. */
  private async labelsOf(request: CompareRequest): Promise<TargetLabels[]> {
    const statuses = await this.deps.registry.list().catch(() => []);
    return request.targets.map((target) => {
      const engine = statuses.find((status) => status.id === target.engineId)?.label ?? target.engineId;
      return {
        label: target.executionMode ? `${engine} ${target.executionMode}` : engine,
        imageLabel: target.image.reference ?? target.image.imageId.replace(/^sha256:/, '').slice(0, 12),
      };
    });
  }
}
