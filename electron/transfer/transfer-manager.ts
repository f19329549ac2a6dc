// The transfers of this host. `start` answers the record at once; its targets are copied one after
// another in the background, each with its own progress, cancel and result, every change saved to
// disk and published to the windows. What a crash would leave (temporary folders, a name being
// loaded) is recorded per target before it is made, and so is every process a target starts, so
// the next start ends those processes, removes what they made and marks the transfer interrupted
// (recovery.ts): nothing half-made is ever listed.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../shared/errors';
import {
  EMPTY_PROGRESS,
  type TransferPlan,
  type TransferProgress,
  type TransferRecord,
  type TransferStartRequest,
  type TransferTarget,
  type TransferTargetRecord,
} from '../../shared/transfer';
import type { EngineRegistry } from '../engines/registry';
import type { ChangeFeed } from '../host/change-feed';
import { watchChildProcesses } from '../process/child-report';
import { procStat, startTimeOf } from '../process/proc-stat';
import type { ContentIndex } from './content-index';
import type { Source, Target, TransferContext } from './endpoints/endpoint';
import { resolveSource, resolveTarget } from './endpoints/resolve';
import { recoverTransfer, removeLeftover, settleAside } from './recovery';
import { describeRoute, runRoute } from './route';
import type { TransferStore } from './transfer-store';

export interface TransferManagerDeps {
  store: TransferStore;
  index: ContentIndex;
  registry: EngineRegistry;
  feed: ChangeFeed;
  context: TransferContext;
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', arm: 'arm' };
export const HOST_ARCHITECTURE = GOARCH[process.arch] ?? process.arch;

/** The newest processes of a target kept in its record (a target starts two or three). */
const MAX_RECORDED_CHILDREN = 32;

export function newTransferId(now = Date.now()): string {
  return `t-${now.toString(36).padStart(9, '0')}${[...randomBytes(6)].map((byte) => (byte % 36).toString(36)).join('')}`;
}

/** Names travel into paths (udocker's repos/, Charliecloud's img/): no "." or ".." segment. */
function checkName(name: string): void {
  if (name.split(/[/:]/).some((part) => part === '.' || part === '..')) throw new ApiError('invalid-request', `The name ${JSON.stringify(name)} has a "." or ".." part.`);
}

export class TransferManager {
  private readonly records = new Map<string, TransferRecord>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly loaded: Promise<void>;
  private disposed = false;

  constructor(private readonly deps: TransferManagerDeps) {
    this.loaded = this.load();
  }

  async plan(request: TransferStartRequest, signal: AbortSignal): Promise<TransferPlan> {
    const source = await this.source(request.source, signal);
    const entries = [];
    for (const wanted of request.targets) {
      entries.push(await this.planOne(source, wanted));
    }
    return { sourceLabel: source.facts.label, sourceSizeBytes: source.facts.sizeBytes, entries };
  }

  private async planOne(source: Source, wanted: TransferTarget): Promise<TransferPlan['entries'][number]> {
    const problems: string[] = [];
    const warnings = [...source.facts.warnings];
    let target: Target;
    try {
      const engine = await this.deps.registry.get(wanted.engineId);
      if (engine.id === request_engine(source)) problems.push('The image is already in this engine.');
      target = await resolveTarget(engine, this.deps.context, wanted.folder);
    } catch (error) {
      return {
        target: wanted, label: wanted.engineId, canReceive: false, problems: [message(error)], warnings, name: wanted.name ?? '', nameExists: false,
        spaceNeededBytes: source.facts.sizeBytes, spaceFreeBytes: null, spaceWhere: null, sourceArchitecture: source.facts.architecture, hostArchitecture: HOST_ARCHITECTURE, route: '',
      };
    }
    const name = wanted.name ?? target.defaultName(source.facts);
    let nameExists = false;
    let shownName = name;
    try {
      checkName(name);
      shownName = await target.describeName(name);
      nameExists = await target.nameExists(name);
    } catch (error) {
      problems.push(message(error));
    }
    if (nameExists && !wanted.replace) problems.push(`${shownName} exists already in ${target.label}: confirm to replace it.`);
    if (nameExists && wanted.replace) warnings.push(`${shownName} will be replaced.`);
    const space = await target.space().catch(() => null);
    const needed = source.facts.sizeBytes === null ? null : source.facts.sizeBytes * target.spaceFactor;
    if (space && needed !== null && space.freeBytes < needed) {
      problems.push(`Not enough space in ${space.where}: ${formatBytes(needed)} needed, ${formatBytes(space.freeBytes)} free.`);
    }
    const arch = source.facts.architecture;
    if (arch && arch !== HOST_ARCHITECTURE) {
      if (target.runsHere) problems.push(`The image is for ${arch}, this machine is ${HOST_ARCHITECTURE}: ${target.label} would run it here, and cannot.`);
      else warnings.push(`The image is for ${arch}, this machine is ${HOST_ARCHITECTURE}.`);
    }
    return {
      target: wanted, label: target.label, canReceive: problems.length === 0, problems, warnings, name: shownName, nameExists,
      spaceNeededBytes: needed, spaceFreeBytes: space?.freeBytes ?? null, spaceWhere: space?.where ?? null,
      sourceArchitecture: arch, hostArchitecture: HOST_ARCHITECTURE, route: describeRoute(source, target),
    };
  }

  async start(request: TransferStartRequest): Promise<TransferRecord> {
    await this.loaded;
    if (this.disposed) throw new ApiError('conflict', 'Crossdock is quitting; no transfer is started.');
    const signal = AbortSignal.timeout(120_000);
    const plan = await this.plan(request, signal);
    const refused = plan.entries.filter((entry) => !entry.canReceive);
    if (refused.length > 0) {
      throw new ApiError(
        refused.some((entry) => entry.nameExists && !entry.target.replace) ? 'conflict' : 'invalid-request',
        refused.map((entry) => `${entry.label}: ${entry.problems.join(' ')}`).join(' '),
      );
    }
    const source = await this.source(request.source, signal);
    const record: TransferRecord = {
      id: newTransferId(),
      source: request.source,
      sourceLabel: plan.sourceLabel,
      sourceContentDigest: source.facts.contentDigest,
      state: 'running',
      createdAt: new Date().toISOString(),
      endedAt: null,
      targets: plan.entries.map((entry) => ({
        target: { ...entry.target, name: entry.target.name ?? null },
        label: entry.label, state: 'pending', progress: { ...EMPTY_PROGRESS, bytesTotal: source.facts.sizeBytes, layersTotal: source.facts.layers },
        result: null, message: null, notes: entry.warnings, startedAt: null, endedAt: null, leftovers: [], children: [], asides: [],
      })),
    };
    await this.commit(record);
    const controller = new AbortController();
    this.controllers.set(record.id, controller);
    const work = this.execute(record.id, request, controller.signal).finally(() => {
      this.controllers.delete(record.id);
      this.running.delete(record.id);
    });
    this.running.set(record.id, work);
    return record;
  }

  async list(): Promise<TransferRecord[]> {
    await this.loaded;
    return [...this.records.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  async get(id: string): Promise<TransferRecord> {
    await this.loaded;
    const record = this.records.get(id);
    if (!record) throw new ApiError('not-found', `There is no transfer ${id}.`);
    return record;
  }

  async cancel(id: string): Promise<TransferRecord> {
    const record = await this.get(id);
    const controller = this.controllers.get(id);
    if (record.state !== 'running' || !controller) throw new ApiError('conflict', `The transfer is not running (${record.state}).`);
    controller.abort();
    await this.running.get(id)?.catch(() => undefined);
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const record = await this.get(id);
    if (record.state === 'running') throw new ApiError('conflict', 'The transfer is still running: cancel it first.');
    await this.deps.store.remove(id);
    this.records.delete(id);
    this.deps.feed.publish({ type: 'transfer-removed', transferId: id });
  }

  /** Resolves once the transfer ended (tests, the bench). */
  async settled(id: string): Promise<TransferRecord> {
    await this.running.get(id)?.catch(() => undefined);
    return this.get(id);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const controller of this.controllers.values()) controller.abort();
    await Promise.all([...this.running.values()].map((work) => work.catch(() => undefined)));
    await this.deps.store.flush();
  }

  // ---- internals ---------------------------------------------------------------------------

  private async source(ref: TransferStartRequest['source'], signal: AbortSignal): Promise<Source> {
    const engine = await this.deps.registry.get(ref.engineId);
    const source = await resolveSource(engine, this.deps.context, ref.imageId, ref.reference, signal);
    (source as Source & { engineId?: string }).engineId = engine.id;
    if (!source.facts.contentDigest) source.facts.contentDigest = await this.deps.index.lookup(engine.id, ref.imageId);
    return source;
  }

  private async load(): Promise<void> {
    for (const record of await this.deps.store.loadAll()) {
      let current = record;
      if (record.state === 'running') {
        // The Crossdock that ran it stopped in the middle: its processes end, what it was making goes.
        current = await recoverTransfer(record, { stagingRoot: this.stagingRoot(record.id), log: this.deps.context.log });
        await this.deps.store.save(current).catch(() => undefined);
      }
      this.records.set(current.id, current);
    }
  }

  private async execute(id: string, request: TransferStartRequest, signal: AbortSignal): Promise<void> {
    const stagingRoot = this.stagingRoot(id);
    let anyFailed = false;
    for (let index = 0; index < request.targets.length; index += 1) {
      if (signal.aborted) {
        await this.editTarget(id, index, (target) => ({ ...target, state: 'cancelled', endedAt: new Date().toISOString(), message: 'Cancelled before it started.' }));
        continue;
      }
      const ok = await this.runTarget(id, index, request, join(stagingRoot, String(index)), signal);
      anyFailed ||= !ok;
    }
    await rm(stagingRoot, { recursive: true, force: true }).catch(() => undefined);
    const record = this.records.get(id)!;
    const state = signal.aborted ? 'cancelled' : anyFailed ? 'failed' : 'done';
    await this.commit({ ...record, state: this.disposed && signal.aborted ? 'interrupted' : state, endedAt: new Date().toISOString() });
  }

  /** The folder under the runtime folder that holds this transfer's targets' staging folders. */
  private stagingRoot(id: string): string {
    return join(this.deps.context.runtimeDir, 'transfers', id);
  }

  private async runTarget(id: string, index: number, request: TransferStartRequest, stagingDir: string, signal: AbortSignal): Promise<boolean> {
    const wanted = request.targets[index]!;
    const started = Date.now();
    let progress: TransferProgress = { ...this.records.get(id)!.targets[index]!.progress, phase: 'starting' };
    let lastPublished = 0;
    const samples: { at: number; bytes: number }[] = [];
    const publish = (force = false) => {
      const now = Date.now();
      if (!force && now - lastPublished < 250) return;
      lastPublished = now;
      samples.push({ at: now, bytes: progress.bytesDone });
      while (samples.length > 2 && now - samples[0]!.at > 3_000) samples.shift();
      const first = samples[0]!;
      const rate = now - first.at > 200 ? ((progress.bytesDone - first.bytes) * 1000) / (now - first.at) : null;
      const left = rate && progress.bytesTotal ? Math.max(0, (progress.bytesTotal - progress.bytesDone) / rate) : null;
      progress = { ...progress, rateBytesPerSecond: rate, secondsLeft: left };
      void this.editTarget(id, index, (target) => ({ ...target, progress }));
    };
    await this.editTarget(id, index, (target) => ({ ...target, state: 'running', startedAt: new Date(started).toISOString() }));
    const removeOnFailure: string[] = [];
    try {
      await mkdir(stagingDir, { recursive: true, mode: 0o700 });
      await this.editTarget(id, index, (target) => ({ ...target, leftovers: [stagingDir] }));
      const source = await this.source(request.source, signal);
      const engine = await this.deps.registry.get(wanted.engineId);
      const target = await resolveTarget(engine, this.deps.context, wanted.folder);
      const name = wanted.name ?? target.defaultName(source.facts);
      checkName(name);
      const existedBefore = await target.nameExists(name);
      if (existedBefore && !wanted.replace) throw new ApiError('conflict', `${name} exists already in ${target.label}: replace it, or choose another name.`);
      const outcome = await watchChildProcesses((pid) => void this.recordChild(id, index, pid), () => runRoute(source, target, {
        name,
        replace: wanted.replace,
        signal,
        stagingDir,
        addLeftover: async (path) => {
          if (!existedBefore) removeOnFailure.push(path);
          else if (!path.includes('/repos/')) removeOnFailure.push(path);
          await this.editTarget(id, index, (current) => ({ ...current, leftovers: [...current.leftovers, path] }));
        },
        recordAside: async (aside) => {
          await this.editTarget(id, index, (current) => ({ ...current, asides: [...current.asides, aside] }));
        },
        onBytes: (count) => {
          progress = { ...progress, bytesDone: progress.bytesDone + count };
          publish();
        },
        onLayer: () => {
          progress = { ...progress, layersDone: progress.layersDone + 1 };
          publish();
        },
        onPhase: (phase) => {
          progress = { ...progress, phase };
          publish(true);
        },
      }));
      const digest = source.facts.contentDigest ?? outcome.verified.treeDigest;
      const verified = outcome.verified.treeDigest !== null || outcome.verified.layersMatched;
      const notes = [...outcome.notes];
      if (verified && digest && outcome.imageId) await this.deps.index.record(wanted.engineId, outcome.imageId, digest);
      if (verified && digest && !source.facts.contentDigest) {
        const ref = request.source;
        await this.deps.index.record(ref.engineId, ref.imageId, digest);
      }
      if (!verified) notes.push('The copy was not compared with the source here (the target engine keeps its own content digest, or it cannot be read back as files).');
      progress = { ...progress, phase: 'done', bytesDone: Math.max(progress.bytesDone, progress.bytesTotal ?? 0), secondsLeft: 0 };
      await this.editTarget(id, index, (current) => ({
        ...current, state: 'done', progress, leftovers: [], children: [], asides: [], endedAt: new Date().toISOString(), notes: [...current.notes, ...notes],
        result: { imageId: outcome.imageId, reference: outcome.reference, location: outcome.location, treeDigest: outcome.verified.treeDigest },
      }));
      this.deps.registry.imagesChanged(wanted.engineId);
      return true;
    } catch (error) {
      // An image moved aside first: put back unless its replacement got in (before the leftovers go).
      for (const aside of this.records.get(id)?.targets[index]?.asides ?? []) await settleAside(aside, this.deps.context.log).catch(() => undefined);
      for (const path of removeOnFailure) await removeLeftover(path);
      await rm(stagingDir, { recursive: true, force: true }).catch(() => undefined);
      const cancelled = signal.aborted;
      await this.editTarget(id, index, (current) => ({
        ...current, state: cancelled ? (this.disposed ? 'interrupted' : 'cancelled') : 'failed', leftovers: [], children: [], asides: [], endedAt: new Date().toISOString(),
        progress: { ...progress, rateBytesPerSecond: null, secondsLeft: null, phase: cancelled ? 'cancelled' : 'failed' },
        message: cancelled ? 'Cancelled; nothing of the copy was left in the target.' : `${message(error)} Nothing of the copy was left in the target.`,
      }));
      this.deps.registry.imagesChanged(wanted.engineId);
      return false;
    }
  }

  /**
   * Records a process the target started, with its start time, so that a restart after a crash
   * can tell it from a process that got its pid since (recovery.ts). One that ended before its
   * start time could be read needs no record.
   */
  private async recordChild(id: string, index: number, pid: number): Promise<void> {
    try {
      const stat = await procStat(pid);
      const startedAt = stat && stat.state !== 'Z' ? await startTimeOf(stat) : null;
      if (!stat || startedAt === null) return;
      await this.editTarget(id, index, (current) =>
        current.state !== 'running' ? current : { ...current, children: [...current.children, { pid, startedAt, name: stat.name.slice(0, 64) }].slice(-MAX_RECORDED_CHILDREN) },
      );
    } catch (error) {
      this.deps.context.log(`transfer ${id}: could not record process ${pid}: ${message(error)}`);
    }
  }

  private async editTarget(id: string, index: number, edit: (target: TransferTargetRecord) => TransferTargetRecord): Promise<void> {
    const record = this.records.get(id);
    if (!record) return;
    const targets = record.targets.map((target, at) => (at === index ? edit(target) : target));
    await this.commit({ ...record, targets });
  }

  private async commit(record: TransferRecord): Promise<void> {
    this.records.set(record.id, record);
    this.deps.feed.publish({ type: 'transfer', transfer: record });
    await this.deps.store.save(record);
  }
}

function request_engine(source: Source): string | undefined {
  return (source as Source & { engineId?: string }).engineId;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
