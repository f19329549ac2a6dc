// Composes the transport-agnostic host: paths, settings, the engine registry, the change feed,
// the router and the stream handlers. Electron's main process and the browser host both start
// exactly this, so they cannot drift apart.
import { readFileSync } from 'node:fs';
import { platform } from 'node:os';
import { SlurmCluster } from '../batch/slurm/slurm-cluster';
import { ComparisonManager } from '../compare/comparison-manager';
import { BatchExporter } from '../batch/export/batch-exporter';
import { ComparisonStore } from '../compare/comparison-store';
import { sharedSifCache } from '../sif/cache';
import { defaultProviders } from '../engines/providers';
import type { EngineProvider } from '../engines/engine';
import { EngineRegistry, type RegistryOptions } from '../engines/registry';
import { JobManager } from '../jobs/job-manager';
import { JobStore } from '../jobs/job-store';
import { ensurePaths, resolvePaths, type AppPaths } from '../storage/paths';
import { SettingsStore } from '../storage/settings-store';
import { ContentIndex } from '../transfer/content-index';
import { TransferManager } from '../transfer/transfer-manager';
import { TransferStore } from '../transfer/transfer-store';
import { ChangeFeed } from './change-feed';
import { resolveDownload, type Download } from './downloads';
import { createCallHandlers, createStreamHandlers } from './handlers';
import { createRouter, type Router } from './router';
import type { StreamHandlers } from './stream-sessions';

export interface AppHost {
  router: Router;
  streamHandlers: StreamHandlers;
  registry: EngineRegistry;
  feed: ChangeFeed;
  jobs: JobManager;
  comparisons: ComparisonManager;
  slurm: SlurmCluster;
  transfers: TransferManager;
  paths: AppPaths;
  /** Files the window downloads (GET /api/... in the browser, app://crossdock/api/... in Electron). */
  download(path: string): Promise<Download | null>;
  log: (message: string) => void;
  dispose(): Promise<void>;
}

export interface AppHostOptions {
  env?: NodeJS.ProcessEnv;
  providers?: EngineProvider[];
  registry?: RegistryOptions;
  log?: (message: string) => void;
  /**
   * Start detecting engines now rather than when the window first asks (default true): the window
   * then finds the work under way or done, which is most of a cold start.
   */
  detectOnStart?: boolean;
}

export function createAppHost(options: AppHostOptions = {}): AppHost {
  const env = options.env ?? process.env;
  const log = options.log ?? ((message: string) => process.stderr.write(`[crossdock] ${message}\n`));
  const paths = ensurePaths(resolvePaths(env));
  const feed = new ChangeFeed();
  const settings = new SettingsStore(paths.configDir, log);
  const registry = new EngineRegistry(
    options.providers ?? defaultProviders(),
    { env, runtimeDir: paths.runtimeDir, log, imageFolders: async () => (await settings.get()).imageFolders },
    feed,
    // A window is coming (Electron's, or a browser's): its list goes before the test containers.
    { probeDelayMs: (options.detectOnStart ?? true) ? 3_000 : 0, ...options.registry },
  );
  if (options.detectOnStart ?? true) void registry.list().catch((error: unknown) => log(`detection failed: ${String(error)}`));
  // Slurm jobs outlive Crossdock: the job manager asks the cluster about them again at start.
  const slurm = new SlurmCluster({ env, dataDir: paths.dataDir, log });
  const jobs = new JobManager({ store: new JobStore(paths.dataDir, log), registry, feed, log, batch: slurm });
  const comparisons = new ComparisonManager({ store: new ComparisonStore(paths.dataDir, log), jobs, registry, feed, log });
  const contentIndex = new ContentIndex(paths.dataDir);
  const transfers = new TransferManager({
    store: new TransferStore(paths.dataDir, log),
    index: contentIndex,
    registry,
    feed,
    context: { env, runtimeDir: paths.runtimeDir, log, imageFolders: async () => (await settings.get()).imageFolders },
  });
  const deps = {
    transfers,
    contentIndex,
    registry,
    settings,
    feed,
    jobs,
    comparisons,
    slurm,
    exporter: new BatchExporter({ registry, env }),
    sifCache: sharedSifCache(env),
    appInfo: {
      name: 'Crossdock',
      version: packageVersion(),
      configDir: paths.configDir,
      dataDir: paths.dataDir,
      platform: platform(),
      pid: process.pid,
    },
  };
  return {
    router: createRouter(createCallHandlers(deps), log),
    streamHandlers: createStreamHandlers(deps),
    registry,
    feed,
    jobs,
    comparisons,
    slurm,
    transfers,
    paths,
    log,
    download: (path) => resolveDownload(path, { jobs, comparisons }),
    // Comparisons first (they kill their running job through the job manager), then jobs: they
    // still need their engines to detach from or to kill.
    dispose: async () => {
      await transfers.dispose();
      await comparisons.dispose();
      await jobs.dispose();
      slurm.dispose();
      await registry.dispose();
    },
  };
}

function packageVersion(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
