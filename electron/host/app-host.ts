// Composes the transport-agnostic host: paths, settings, the engine registry, the change feed,
// the router and the stream handlers. Electron's main process and the browser host both start
// exactly this, so they cannot drift apart.
import { readFileSync } from 'node:fs';
import { platform } from 'node:os';
import { ComparisonManager } from '../compare/comparison-manager';
import { ComparisonStore } from '../compare/comparison-store';
import { defaultProviders } from '../engines/providers';
import type { EngineProvider } from '../engines/engine';
import { EngineRegistry, type RegistryOptions } from '../engines/registry';
import { JobManager } from '../jobs/job-manager';
import { JobStore } from '../jobs/job-store';
import { ensurePaths, resolvePaths, type AppPaths } from '../storage/paths';
import { SettingsStore } from '../storage/settings-store';
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
  const jobs = new JobManager({ store: new JobStore(paths.dataDir, log), registry, feed, log });
  const comparisons = new ComparisonManager({ store: new ComparisonStore(paths.dataDir, log), jobs, registry, feed, log });
  const deps = {
    registry,
    settings,
    feed,
    jobs,
    comparisons,
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
    paths,
    log,
    download: (path) => resolveDownload(path, { jobs, comparisons }),
    // Comparisons first (they kill their running job through the job manager), then jobs: they
    // still need their engines to detach from or to kill.
    dispose: async () => {
      await comparisons.dispose();
      await jobs.dispose();
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
