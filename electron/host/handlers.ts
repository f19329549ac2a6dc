// The handlers behind every contract call and stream. They are thin: look the engine up through
// the registry, call the adapter, tell the windows what changed. Both transports use these.
import { ApiError } from '../../shared/errors';
import type { AppInfo } from '../../shared/model';
import type { BatchExporter } from '../batch/export/batch-exporter';
import type { SlurmCluster } from '../batch/slurm/slurm-cluster';
import type { ComparisonManager } from '../compare/comparison-manager';
import type { EngineRegistry } from '../engines/registry';
import type { JobManager } from '../jobs/job-manager';
import { sharedSifCache, type SifCache } from '../sif/cache';
import { checkNewFolders } from '../storage/check-folders';
import type { SettingsStore } from '../storage/settings-store';
import type { TransferManager } from '../transfer/transfer-manager';
import type { ContentIndex } from '../transfer/content-index';
import type { ChangeFeed } from './change-feed';
import type { CallHandlers } from './router';
import type { StreamHandlers } from './stream-sessions';

export interface HandlerDeps {
  registry: EngineRegistry;
  settings: SettingsStore;
  feed: ChangeFeed;
  jobs: JobManager;
  comparisons: ComparisonManager;
  slurm: SlurmCluster;
  exporter: BatchExporter;
  transfers?: TransferManager;
  contentIndex?: ContentIndex;
  appInfo: Omit<AppInfo, 'transport'>;
  /** Unpacked SIF files; the process's shared cache for its environment when left out. */
  sifCache?: SifCache;
}

export function createCallHandlers({ registry, settings, jobs, comparisons, exporter, slurm, appInfo, sifCache, transfers, contentIndex }: HandlerDeps): CallHandlers {
  const transferManager = (): TransferManager => {
    if (!transfers) throw new ApiError('engine-unavailable', 'Transfers are not available in this host.');
    return transfers;
  };
  return {
    'app.info': async (_request, context) => ({ ...appInfo, transport: context.transport }),
    'engines.list': async ({ refresh, waitForProbes }) => registry.list(refresh, { waitForProbes }),
    'images.list': async ({ engineId }, context) => {
      const images = await registry.use(engineId, (engine) => engine.listImages(context.signal));
      registry.noteListed(engineId);
      // Copies Crossdock made and checked carry their source's content digest (one row, several badges).
      return contentIndex ? contentIndex.stamp(images) : images;
    },
    'images.inspect': async ({ engineId, imageId }, context) =>
      registry.use(engineId, async (engine) => {
        try {
          return await engine.inspectImage(imageId, context.signal);
        } catch (error) {
          // The row the window showed is stale (removed outside Crossdock): tell it to re-list.
          if (error instanceof ApiError && error.kind === 'not-found') registry.imagesChanged(engineId);
          throw error;
        }
      }),
    'images.remove': async ({ engineId, imageId, reference, force }) =>
      registry.use(engineId, async (engine) => {
        try {
          return await engine.removeImage({ imageId, reference, force });
        } finally {
          // Whether it worked or the image was already gone, the list must be read again.
          registry.imagesChanged(engineId);
        }
      }),
    'images.prune': async ({ engineId }) =>
      registry.use(engineId, async (engine) => {
        try {
          return await engine.pruneImages();
        } finally {
          registry.imagesChanged(engineId);
        }
      }),
    'run.options': async () => jobs.options(),
    'run.preview': async ({ spec }, context) => jobs.preview(spec, context.signal),
    'jobs.run': async ({ spec }) => jobs.run(spec),
    'jobs.list': async () => jobs.list(),
    'jobs.get': async ({ jobId }) => jobs.get(jobId),
    'jobs.recent': async ({ engineId, imageId, limit }) => jobs.recent(engineId, imageId, limit),
    'jobs.stop': async ({ jobId, graceSeconds }) => jobs.stop(jobId, graceSeconds),
    'jobs.kill': async ({ jobId }) => jobs.kill(jobId),
    'jobs.remove': async ({ jobId }) => {
      await jobs.remove(jobId);
      return { jobId };
    },
    'jobs.input': async ({ jobId, data }) => ({ accepted: await jobs.input(jobId, data) }),
    'jobs.resize': async ({ jobId, size }) => {
      await jobs.resize(jobId, size);
      return { jobId };
    },
    'jobs.exec': async ({ jobId, command }) => jobs.exec(jobId, command),
    'slurm.info': async (_request, context) => slurm.info(context.signal),
    'slurm.preview': async (submission, context) => slurm.preview(submission, jobs, context.signal),
    'slurm.submit': async (submission) => slurm.submit(submission, jobs),
    'compare.run': async (request) => comparisons.run(request),
    'compare.list': async () => comparisons.list(),
    'compare.get': async ({ comparisonId }) => comparisons.get(comparisonId),
    'compare.cancel': async ({ comparisonId }) => comparisons.cancel(comparisonId),
    'compare.remove': async ({ comparisonId }) => {
      await comparisons.remove(comparisonId);
      return { comparisonId };
    },
    'compare.stdout': async ({ comparisonId, target, round }) => comparisons.stdout(comparisonId, target, round),
    'export.htcondor': async (request, context) => exporter.htcondor(request, context.signal),
    'export.kubernetes': async (request, context) => exporter.kubernetes(request, context.signal),
    'sif.cache': async () => (sifCache ?? sharedSifCache(process.env)).usage(),
    'sif.clearCache': async () => (sifCache ?? sharedSifCache(process.env)).clear(),
    'transfers.plan': async (request, context) => transferManager().plan(request, context.signal),
    'transfers.start': async (request) => transferManager().start(request),
    'transfers.list': async () => transferManager().list(),
    'transfers.get': async ({ transferId }) => transferManager().get(transferId),
    'transfers.cancel': async ({ transferId }) => transferManager().cancel(transferId),
    'transfers.remove': async ({ transferId }) => {
      await transferManager().remove(transferId);
      return { transferId };
    },
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => {
      if (patch.imageFolders) await checkNewFolders(patch.imageFolders, (await settings.get()).imageFolders);
      const updated = await settings.update(patch);
      // New image folders change what the file-based engines list.
      if (patch.imageFolders) for (const engine of await registry.engines()) registry.imagesChanged(engine.id);
      return updated;
    },
  };
}

export function createStreamHandlers({ feed, registry, jobs }: HandlerDeps): StreamHandlers {
  return {
    'changes.watch': (_request, signal) => feed.watch(signal, () => registry.snapshot()),
    'jobs.output': ({ jobId, fromOffset }, signal) => jobs.output(jobId, fromOffset, signal),
  };
}
