// The job manager: engine-agnostic. It checks a RunSpec against the engine's capabilities, keeps
// the record and the output on disk, pumps the runner's output into the log as fast as the disk
// takes it, turns stop/kill into a final state, and lets windows read the output at their pace.
// Adapters only translate the spec (electron/jobs/runner.ts).
import { stat } from 'node:fs/promises';
import { ApiError } from '../../shared/errors';
import {
  isActiveJobState,
  type JobOutputEvent,
  type JobRecord,
  type TerminalSize,
} from '../../shared/jobs';
import type { BatchJob } from '../../shared/batch';
import type { RunCapabilities, RunSpec } from '../../shared/run';
import type { ChangeFeed } from '../host/change-feed';
import type { Engine } from '../engines/engine';
import type { EngineRegistry } from '../engines/registry';
import { findImage, imageLabelOf } from './image-lookup';
import { newJobId } from './job-ids';
import type { JobStore } from './job-store';
import { TapPoint, type JobTap } from './job-tap';
import { LiveJob } from './live-job';
import { FrameIndex, OutputLog } from './output-log';
import { readOutput, type LogSource } from './output-reader';
import { recoverJob } from './recovery';
import type { BatchSteps, JobExit, JobRunner, RunningJob, RunTarget } from './runner';
import type { ImageSummary } from '../../shared/model';
import { findSifSource } from '../sif/run-source';
import { specProblems } from './spec-check';
import { finalState, endNotice } from './job-states';

const DEFAULT_SIZE: TerminalSize = { cols: 120, rows: 32 };
/** How often a running job's byte count reaches the windows. */
const PROGRESS_EVERY_MS = 1000;

export interface JobManagerDeps {
  store: JobStore;
  registry: EngineRegistry;
  feed: ChangeFeed;
  log: (message: string) => void;
  /** The batch system that finds its jobs again after a restart (electron/batch/); none by default. */
  batch?: BatchRecovery;
}

/** Finds a batch job again from its record: a job that follows it, or null when it cannot be had. */
export interface BatchRecovery {
  reattach(record: JobRecord): Promise<RunningJob>;
}

/** A spec as a batch script needs it: the engine's commands and the labels its record will carry. */
export interface BatchPlan {
  engineLabel: string;
  imageLabel: string;
  commandLine: string[];
  commandLineIsEquivalent: boolean;
  /** Null when the spec cannot go (problems say why). */
  steps: BatchSteps | null;
  problems: string[];
}

export class JobManager {
  private readonly records = new Map<string, JobRecord>();
  private readonly live = new Map<string, LiveJob>();
  /** Frame indexes of finished logs, built on first need. */
  private readonly indexes = new Map<string, FrameIndex>();
  private readonly loaded: Promise<void>;
  private disposed = false;

  constructor(private readonly deps: JobManagerDeps) {
    this.loaded = this.load();
  }

  async list(): Promise<JobRecord[]> {
    await this.loaded;
    return [...this.records.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id.localeCompare(a.id)));
  }

  async get(jobId: string): Promise<JobRecord> {
    await this.loaded;
    const record = this.records.get(jobId);
    if (!record) throw new ApiError('not-found', `There is no job ${jobId} (deleted, or from another Crossdock data folder).`);
    return record;
  }

  /** The latest distinct specs run on one image: the run dialog's "recent runs". */
  async recent(engineId: string, imageId: string, limit: number): Promise<RunSpec[]> {
    const seen = new Set<string>();
    const specs: RunSpec[] = [];
    for (const record of await this.list()) {
      if (record.kind !== 'run' || record.spec.engineId !== engineId || record.spec.image.imageId !== imageId) continue;
      const key = JSON.stringify(record.spec);
      if (seen.has(key)) continue;
      seen.add(key);
      specs.push(record.spec);
      if (specs.length >= limit) break;
    }
    return specs;
  }

  async options(): Promise<Array<{ engineId: string; capabilities: RunCapabilities }>> {
    const engines = await this.deps.registry.engines();
    return engines.flatMap((engine) => (engine.runner ? [{ engineId: engine.id, capabilities: engine.runner.capabilities() }] : []));
  }

  async preview(spec: RunSpec, signal: AbortSignal) {
    const { runner } = await this.runnerOf(spec.engineId);
    const problems = specProblems(spec, runner.capabilities());
    let found: Awaited<ReturnType<JobManager['runImage']>>;
    try {
      found = await this.runImage(spec, runner, signal);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      problems.push(error.message);
      return { commandLine: [], commandLineIsEquivalent: false, problems };
    }
    const { image, sif } = found;
    if (!image) {
      problems.push(`The engine has no image ${imageLabelOf(spec, null)} any more.`);
      return { commandLine: [], commandLineIsEquivalent: false, problems };
    }
    const line = runner.commandLine({ spec, image, sif });
    return { commandLine: line.argv, commandLineIsEquivalent: line.isEquivalent, problems };
  }

  /**
   * A spec as batch-script commands, under the container name `name`. The spec is checked as a
   * local run would be; an interactive terminal is dropped (a batch job has none).
   */
  async batchPlan(spec: RunSpec, name: string, signal: AbortSignal): Promise<BatchPlan> {
    const { runner, label } = await this.runnerOf(spec.engineId);
    const batchSpec = { ...spec, tty: false };
    const problems = specProblems(batchSpec, runner.capabilities());
    const images = await this.deps.registry.use(spec.engineId, (engine) => engine.listImages(signal));
    const image = findImage(images, spec.image);
    if (!image) {
      problems.push(`${label} has no image ${imageLabelOf(spec, null)} any more.`);
      return { engineLabel: label, imageLabel: imageLabelOf(spec, null), commandLine: [], commandLineIsEquivalent: false, steps: null, problems };
    }
    const line = runner.commandLine({ spec: batchSpec, image });
    const steps = runner.batchSteps
      ? await runner.batchSteps({ spec: batchSpec, image }, name)
      : { env: {}, prepare: [], run: line.argv, stop: [], cleanup: [] };
    return {
      engineLabel: label,
      imageLabel: imageLabelOf(spec, image),
      commandLine: steps.run,
      commandLineIsEquivalent: false,
      steps: problems.length > 0 ? null : steps,
      problems,
    };
  }

  /**
   * A job a batch system accepted: recorded like any other job and followed through `running`
   * (queued, running, its output file, its end). Answers the record at once ("pending").
   */
  async followBatch(spec: RunSpec, fields: Pick<JobRecord, 'engineLabel' | 'imageLabel' | 'commandLine'> & { batch: BatchJob }, running: RunningJob): Promise<JobRecord> {
    await this.loaded;
    this.refuseWhenDisposed();
    const record = await this.createRecord(spec, { ...fields, commandLineIsEquivalent: false, kind: 'run', parentId: null });
    const live = this.track(record);
    live.running = running;
    // Queued, not running: the record says "pending" (on disk) before the caller sees it.
    await this.update(live, { state: 'pending', handle: running.handle }, { persistFirst: true });
    this.watchBatch(live, running);
    live.finished = this.follow(live, running);
    return live.record;
  }

  /**
   * Starts a job and answers its record at once. Requests an engine cannot honour are refused
   * (nothing is recorded); a run that then fails (missing image, missing bind source, the engine's
   * refusal) is recorded as "failed" with the reason, so the attempt is not lost either. `tap`
   * (comparisons) is told when the job started, printed its first output and ended.
   */
  async run(spec: RunSpec, size: TerminalSize = DEFAULT_SIZE, tap?: JobTap): Promise<JobRecord> {
    await this.loaded;
    this.refuseWhenDisposed();
    const { engine, runner, label } = await this.runnerOf(spec.engineId);
    const problems = specProblems(spec, runner.capabilities());
    if (problems.length > 0) throw new ApiError('invalid-request', `${label} cannot run this: ${problems.join('; ')}`, { issues: problems, engineId: engine.id });

    const { image, sif } = await this.runImage(spec, runner, AbortSignal.timeout(60_000));
    const line = image ? runner.commandLine({ spec, image, sif }) : { argv: [], isEquivalent: false };
    const record = await this.createRecord(spec, {
      engineLabel: label,
      imageLabel: imageLabelOf(spec, image),
      commandLine: line.argv,
      commandLineIsEquivalent: line.isEquivalent,
      kind: 'run',
      parentId: null,
    });
    const live = this.track(record);
    if (tap) live.tap = new TapPoint(tap);

    const missing = image ? await missingBindSources(spec) : [];
    if (!image || missing.length > 0) {
      const message = !image
        ? `${label} has no image ${imageLabelOf(spec, null)} (removed since the list was read?).`
        : `Bind source ${missing.map((path) => JSON.stringify(path)).join(', ')} does not exist on this machine; nothing was started (Docker would have created an empty folder).`;
      live.finished = this.finish(live, { outcome: 'failed', exitCode: null, signal: null, message });
      await live.finished;
      return this.records.get(record.id) ?? record;
    }
    live.finished = this.launch(live, () => runner.start({ spec, image, size, sif }, live.startAbort.signal));
    return record;
  }

  /**
   * The image row a run names: from its engine's list, or, for a runner that runs SIF files, a SIF
   * file another engine lists (electron/sif/run-source.ts) with the folder it is run from.
   */
  private async runImage(spec: RunSpec, runner: JobRunner, signal: AbortSignal): Promise<{ image: ImageSummary | null; sif?: RunTarget['sif'] }> {
    const images = await this.deps.registry.use(spec.engineId, (engine) => engine.listImages(signal));
    const image = findImage(images, spec.image);
    if (image || !runner.runsSif) return { image };
    return (await findSifSource(this.deps.registry, spec.image, runner.runsSif, signal)) ?? { image: null };
  }

  /** A shell (or any command) in a running job's container, as a new interactive job. */
  async exec(parentId: string, command: string[], size: TerminalSize = DEFAULT_SIZE): Promise<JobRecord> {
    const parent = await this.get(parentId);
    const parentLive = this.live.get(parentId);
    if (!parentLive || parent.state !== 'running') throw new ApiError('conflict', 'A shell can only be opened in a running job.');
    const { runner, label } = await this.runnerOf(parent.spec.engineId);
    if (!runner.exec || !runner.capabilities().exec.supported) {
      throw new ApiError('conflict', `${label} cannot open a shell in a running job: ${runner.capabilities().exec.note ?? 'not supported'}`);
    }
    const exec = runner.exec.bind(runner);
    const argv = command.length > 0 ? command : ['sh'];
    const record = await this.createRecord(
      { ...parent.spec, command: argv, tty: true, remove: false },
      { engineLabel: label, imageLabel: parent.imageLabel, commandLine: argv, commandLineIsEquivalent: false, kind: 'exec', parentId },
    );
    const live = this.track(record);
    live.finished = this.launch(live, () => exec(parent.handle, argv, size, live.startAbort.signal));
    return record;
  }

  async stop(jobId: string, graceSeconds: number): Promise<JobRecord> {
    const live = await this.activeJob(jobId);
    live.stopRequested = true;
    if (!live.running) live.startAbort.abort();
    else {
      void this.update(live, { state: 'stopping' });
      await live.running.stop(graceSeconds * 1000);
    }
    return live.record;
  }

  async kill(jobId: string): Promise<JobRecord> {
    const live = await this.activeJob(jobId);
    live.stopRequested = true;
    if (!live.running) live.startAbort.abort();
    else await live.running.kill();
    return live.record;
  }

  async remove(jobId: string): Promise<void> {
    const record = await this.get(jobId);
    if (isActiveJobState(record.state)) throw new ApiError('conflict', 'The job is still running: stop it first.');
    await this.deps.store.remove(jobId);
    this.records.delete(jobId);
    this.indexes.delete(jobId);
    this.deps.feed.publish({ type: 'job-removed', jobId });
  }

  async input(jobId: string, data: string): Promise<number> {
    const live = await this.activeJob(jobId);
    if (!live.running?.write || !live.tty) throw new ApiError('conflict', 'This job has no terminal to type into (it was not started as interactive).');
    live.running.write(data);
    return data.length;
  }

  async resize(jobId: string, size: TerminalSize): Promise<void> {
    const live = await this.activeJob(jobId);
    if (!live.tty) throw new ApiError('conflict', 'This job has no terminal to resize.');
    live.running?.resize?.(size);
  }

  /** A job's output for one window, from `fromOffset`, paced by the window. */
  async *output(jobId: string, fromOffset: number, signal: AbortSignal): AsyncGenerator<JobOutputEvent> {
    await this.get(jobId);
    const live = this.live.get(jobId);
    if (live) {
      const viewer = live.addViewer();
      const source: LogSource = {
        path: live.log.path,
        index: live.log.index,
        flushed: () => live.log.flushed,
        live: () => !live.log.isClosed,
        changed: () => live.log.changed(),
      };
      try {
        yield* readOutput(source, fromOffset, signal, { onSent: viewer.sent });
      } finally {
        viewer.remove();
      }
      return;
    }
    const path = this.deps.store.outputPathOf(jobId);
    const size = await this.deps.store.outputSize(jobId);
    let index = this.indexes.get(jobId);
    if (!index) this.indexes.set(jobId, (index = new FrameIndex()));
    yield* readOutput({ path, index, flushed: () => size, live: () => false, changed: async () => undefined }, fromOffset, signal);
  }

  /** The job's record once it is final (at once for a job that already ended). */
  async whenEnded(jobId: string): Promise<JobRecord> {
    await this.live.get(jobId)?.finished;
    return this.get(jobId);
  }

  outputPath(jobId: string): string {
    return this.deps.store.outputPathOf(jobId);
  }

  /** Quitting: daemon engines keep their jobs (re-attached next time); the others' jobs end with us. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.loaded.catch(() => undefined);
    await Promise.all(
      [...this.live.values()].map(async (live) => {
        // Batch jobs belong to their cluster: they go on, and are polled again at the next start.
        const reattachable =
          live.running?.batch !== undefined || (live.running?.handle.containerId != null && (await this.canReattach(live.record.spec.engineId)));
        if (reattachable && live.record.kind === 'run') {
          live.detach();
        } else {
          live.stopRequested = true;
          live.startAbort.abort();
          await live.running?.kill().catch(() => undefined);
        }
        await Promise.race([live.finished, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      }),
    );
  }

  // ---- internals -------------------------------------------------------------------------

  private async load(): Promise<void> {
    for (const record of await this.deps.store.loadAll()) {
      const outputBytes = await this.deps.store.outputSize(record.id);
      this.records.set(record.id, { ...record, outputBytes });
    }
    for (const record of this.records.values()) {
      if (!isActiveJobState(record.state)) continue;
      if (record.batch) {
        this.recoverBatch(record);
        continue;
      }
      // Each recovery goes on in the background: the list must not wait for an engine.
      void recoverJob(record, {
        registry: this.deps.registry,
        log: this.deps.log,
        adopt: (running) => this.adopt(record, running),
        conclude: (patch) => this.conclude(record, patch),
      }).catch((error: unknown) => this.deps.log(`job ${record.id}: recovery failed: ${String(error)}`));
    }
  }

  /** A batch job outlives Crossdock: ask its batch system about it again and follow it. */
  private recoverBatch(record: JobRecord): void {
    const batch = this.deps.batch;
    if (!batch) {
      void this.conclude(record, { state: 'engine-lost', message: 'This Crossdock has no batch system to ask about this job.' });
      return;
    }
    void batch
      .reattach(record)
      .then((running) => this.adopt(record, running))
      .catch((error: unknown) => {
        this.deps.log(`job ${record.id}: batch recovery failed: ${String(error)}`);
        return this.conclude(record, { state: 'engine-lost', message: `Could not find the batch job again: ${error instanceof Error ? error.message : String(error)}` });
      });
  }

  /** Lets a batch job report what its batch system says while it is queued or running. */
  private watchBatch(live: LiveJob, running: RunningJob): void {
    running.batch?.watch((patch) => {
      if (this.live.get(live.record.id) !== live) return;
      // A stop asked from here shows as "stopping" until the batch system says how it ended.
      const state = live.stopRequested && patch.state ? undefined : patch.state;
      void this.update(live, { ...patch, ...(state ? { state } : { state: live.record.state }) });
    });
  }

  /** A re-attached job: follow it again as if it had never been left. */
  private adopt(record: JobRecord, running: RunningJob): void {
    const reattached = { ...record, reattachedAt: new Date().toISOString(), state: running.batch ? record.state : ('running' as const) };
    const log = new OutputLog(this.deps.store.outputPathOf(record.id), running.replaysFromStart ? 0 : record.outputBytes);
    const live = new LiveJob(reattached, log);
    this.live.set(record.id, live);
    this.records.set(record.id, reattached);
    live.running = running;
    live.finished = (async () => {
      const notice = running.batch?.replayNotice ?? 're-attached after Crossdock restarted; the output below is the engine\'s own log';
      if (running.replaysFromStart) await log.append('notice', Buffer.from(`[${notice}]\r\n`));
      void this.update(live, {});
      this.watchBatch(live, running);
      await this.follow(live, running);
    })();
  }

  private async conclude(record: JobRecord, patch: Partial<JobRecord>): Promise<void> {
    const updated = { ...record, endedAt: record.endedAt ?? new Date().toISOString(), ...patch };
    this.records.set(record.id, updated);
    await this.deps.store.save(updated);
    this.deps.feed.publish({ type: 'job', job: updated });
  }

  private async createRecord(
    spec: RunSpec,
    fields: Pick<JobRecord, 'engineLabel' | 'imageLabel' | 'commandLine' | 'commandLineIsEquivalent' | 'kind' | 'parentId'>,
  ): Promise<JobRecord> {
    const record: JobRecord = {
      id: newJobId(),
      ...fields,
      spec,
      state: 'starting',
      exitCode: null,
      signal: null,
      message: null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      endedAt: null,
      outputBytes: 0,
      handle: { containerId: null, pid: null },
      reattachedAt: null,
    };
    await this.deps.store.create(record);
    this.records.set(record.id, record);
    this.deps.feed.publish({ type: 'job', job: record });
    return record;
  }

  private track(record: JobRecord): LiveJob {
    const live = new LiveJob(record, new OutputLog(this.deps.store.outputPathOf(record.id)));
    this.live.set(record.id, live);
    return live;
  }

  private async launch(live: LiveJob, start: () => Promise<RunningJob>): Promise<void> {
    let running: RunningJob;
    try {
      running = await start();
    } catch (error) {
      const apiError = error instanceof ApiError ? error : null;
      if (!apiError) this.deps.log(`job ${live.record.id}: start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const message = live.startAbort.signal.aborted && live.stopRequested
        ? 'Stopped before it started.'
        : (apiError?.message ?? `The engine could not start the job: ${String(error)}`);
      await this.finish(live, { outcome: 'failed', exitCode: null, signal: null, message }, live.stopRequested ? 'killed' : undefined);
      return;
    }
    live.running = running;
    live.tap.started(running);
    // On disk before anyone sees it running: a Crossdock killed a moment later must still find the
    // handle (the pid of an orphan to stop, the container to re-attach) at its next start.
    const queued = running.batch !== undefined;
    await this.update(
      live,
      { state: live.stopRequested ? 'stopping' : queued ? 'pending' : 'running', startedAt: queued ? null : new Date().toISOString(), handle: running.handle },
      { persistFirst: true },
    );
    this.watchBatch(live, running);
    // A stop that arrived while the engine was starting the job applies now.
    if (live.stopRequested) void running.kill().catch(() => undefined);
    await this.follow(live, running);
  }

  /** Output to disk until it ends, then the exit; the record is final when this resolves. */
  private async follow(live: LiveJob, running: RunningJob): Promise<void> {
    let lastProgress = Date.now();
    const iterator = running.output[Symbol.asyncIterator]();
    try {
      for (;;) {
        // Waiting for output must not keep Crossdock from quitting: detaching wins the race.
        const next = await live.untilDetached(iterator.next());
        if (next === null || next.done) break;
        live.tap.output();
        await live.log.append(next.value.stream, next.value.data);
        if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = Date.now();
          void this.update(live, { outputBytes: live.log.flushed }, { save: false });
        }
        if (live.tty) await live.waitForViewers();
      }
    } catch (error) {
      // Runners must not throw from output; if one does, the job still gets a final state.
      this.deps.log(`job ${live.record.id}: output failed: ${String(error)}`);
    }
    if (live.detaching) {
      running.detach?.();
      void iterator.return?.(undefined).catch(() => undefined);
    }
    if (live.detaching && !live.stopRequested) {
      // Crossdock quits; the daemon keeps the job. The record stays "running" for the next start.
      await live.log.close();
      this.live.delete(live.record.id);
      await this.deps.store.save({ ...live.record, outputBytes: live.log.flushed });
      return;
    }
    const exit = await running.exit;
    live.tap.ended();
    await this.finish(live, exit);
    await running.dispose().catch((error: unknown) => this.deps.log(`job ${live.record.id}: cleanup failed: ${String(error)}`));
  }

  private async finish(live: LiveJob, exit: JobExit, forced?: JobRecord['state']): Promise<void> {
    const state = forced ?? exit.state ?? finalState(exit, { stopRequested: live.stopRequested, quitting: this.disposed });
    const message = this.disposed && state === 'interrupted'
      ? `Crossdock quit while the job ran; jobs of engines without a daemon end with it.${exit.message ? ` ${exit.message}` : ''}`
      : exit.message;
    const notice = endNotice(state, exit, message);
    if (notice) await live.log.append('notice', Buffer.from(notice));
    await live.log.close();
    this.live.delete(live.record.id);
    await this.update(live, {
      state,
      exitCode: exit.exitCode,
      signal: exit.signal,
      message,
      endedAt: new Date().toISOString(),
      outputBytes: live.log.flushed,
    });
  }

  private update(live: LiveJob, patch: Partial<JobRecord>, options: { save?: boolean; persistFirst?: boolean } = {}): Promise<void> {
    live.record = { ...live.record, ...patch };
    const record = live.record;
    const publish = () => {
      this.records.set(record.id, live.record);
      this.deps.feed.publish({ type: 'job', job: live.record });
    };
    if (!(options.save ?? true)) {
      publish();
      return Promise.resolve();
    }
    const saved = this.deps.store.save(record).catch((error: unknown) => this.deps.log(`job ${record.id}: could not save its record: ${String(error)}`));
    if (!options.persistFirst) {
      publish();
      return saved;
    }
    return saved.then(publish);
  }

  private async activeJob(jobId: string): Promise<LiveJob> {
    const record = await this.get(jobId);
    const live = this.live.get(jobId);
    if (!live || !isActiveJobState(record.state)) throw new ApiError('conflict', `The job is not running (${record.state}).`);
    return live;
  }

  private async runnerOf(engineId: string): Promise<{ engine: Engine; runner: JobRunner; label: string }> {
    const statuses = await this.deps.registry.list();
    const status = statuses.find((candidate) => candidate.id === engineId);
    if (!status) throw new ApiError('not-found', `There is no engine ${engineId}.`);
    if (!['ready', 'checking', 'degraded'].includes(status.state)) {
      throw new ApiError('engine-unavailable', `${status.label} cannot run jobs now: ${status.message ?? status.state}`, { engineId });
    }
    const engine = await this.deps.registry.get(engineId);
    if (!engine.runner) throw new ApiError('invalid-request', `${status.label} cannot run jobs in this version of Crossdock.`, { engineId });
    return { engine, runner: engine.runner, label: status.label };
  }

  private async canReattach(engineId: string): Promise<boolean> {
    const engine = await this.deps.registry.get(engineId).catch(() => null);
    return Boolean(engine?.runner?.reattach && engine.runner.capabilities().reattach);
  }

  private refuseWhenDisposed(): void {
    if (this.disposed) throw new ApiError('conflict', 'Crossdock is quitting; no new job is started.');
  }
}

async function missingBindSources(spec: RunSpec): Promise<string[]> {
  const missing: string[] = [];
  for (const bind of spec.binds) {
    try {
      await stat(bind.hostPath);
    } catch {
      missing.push(bind.hostPath);
    }
  }
  return missing;
}
