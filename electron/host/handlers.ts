// The handlers behind every contract call and stream. They are thin: look the engine up through
// the registry, call the adapter, tell the windows what changed. Both transports use these.
import { ApiError } from '../../shared/errors';
import type { AppInfo } from '../../shared/model';
import type { EngineRegistry } from '../engines/registry';
import { checkNewFolders } from '../storage/check-folders';
import type { SettingsStore } from '../storage/settings-store';
import type { ChangeFeed } from './change-feed';
import type { CallHandlers } from './router';
import type { StreamHandlers } from './stream-sessions';

export interface HandlerDeps {
  registry: EngineRegistry;
  settings: SettingsStore;
  feed: ChangeFeed;
  appInfo: Omit<AppInfo, 'transport'>;
}

export function createCallHandlers({ registry, settings, appInfo }: HandlerDeps): CallHandlers {
  return {
    'app.info': async (_request, context) => ({ ...appInfo, transport: context.transport }),
    'engines.list': async ({ refresh, waitForProbes }) => registry.list(refresh, { waitForProbes }),
    'images.list': async ({ engineId }, context) => {
      const images = await registry.use(engineId, (engine) => engine.listImages(context.signal));
      registry.noteListed(engineId);
      return images;
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

export function createStreamHandlers({ feed, registry }: HandlerDeps): StreamHandlers {
  return {
    'changes.watch': (_request, signal) => feed.watch(signal, () => registry.snapshot()),
  };
}
