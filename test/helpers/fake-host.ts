// A host made of fake handlers, for transport tests: every contract call answers something valid
// without any engine, and the one stream yields whatever the test feeds it.
import type { ChangeEvent } from '../../shared/changes';
import { defaultSettings } from '../../shared/settings';
import { createRouter, type CallHandlers, type Router } from '../../electron/host/router';
import type { StreamHandlers } from '../../electron/host/stream-sessions';

export interface FakeSource {
  /** How many events the source produced (i.e. how many times the host pulled). */
  produced: number;
  /** Whether the host called the iterator's return(). */
  returned: boolean;
}

export interface FakeHost {
  router: Router;
  streamHandlers: StreamHandlers;
  log: (message: string) => void;
  logs: string[];
  sources: FakeSource[];
  /** Resolves the pending `images.list` calls' signals, for abort tests. */
  lastSignal: AbortSignal | null;
}

export function imagesChanged(engineId = 'docker'): ChangeEvent {
  return { type: 'images-changed', engineId };
}

/** `eventCount` events per stream (Infinity for an endless source). */
export function createFakeHost(overrides: Partial<CallHandlers> = {}, eventCount = 100): FakeHost {
  const logs: string[] = [];
  const sources: FakeSource[] = [];
  const fake: FakeHost = {
    router: undefined as unknown as Router,
    streamHandlers: {
      'changes.watch': (_request, signal) => {
        const source: FakeSource = { produced: 0, returned: false };
        sources.push(source);
        const iterator: AsyncIterator<ChangeEvent> = {
          next: async () => {
            if (signal.aborted || source.produced >= eventCount) return { done: true, value: undefined };
            source.produced += 1;
            return { done: false, value: imagesChanged(`engine-${source.produced}`) };
          },
          return: async () => {
            source.returned = true;
            return { done: true, value: undefined };
          },
        };
        return { [Symbol.asyncIterator]: () => iterator };
      },
      // Transport tests stream changes.watch only; job output is tested against real jobs.
      'jobs.output': () => notUsedStream(),
    },
    log: (message) => logs.push(message),
    logs,
    sources,
    lastSignal: null,
  };
  const handlers: CallHandlers = {
    'app.info': async (_request, context) => ({
      name: 'Crossdock',
      version: '0.0.0-test',
      transport: context.transport,
      configDir: '/tmp/config',
      dataDir: '/tmp/data',
      platform: 'linux',
      pid: 1,
    }),
    'engines.list': async () => [],
    'images.list': async (_request, context) => {
      fake.lastSignal = context.signal;
      return [];
    },
    'images.inspect': async () => {
      throw new Error('not used');
    },
    'images.remove': async () => ({ untagged: [], deleted: [], layersDeleted: 0 }),
    'images.prune': async ({ engineId }) => ({ engineId, deleted: [], layersDeleted: 0, reclaimedBytes: 0 }),
    'run.options': async () => [],
    'run.preview': notUsed,
    'jobs.run': notUsed,
    'jobs.list': async () => [],
    'jobs.get': notUsed,
    'jobs.recent': async () => [],
    'jobs.stop': notUsed,
    'jobs.kill': notUsed,
    'jobs.remove': notUsed,
    'jobs.input': notUsed,
    'jobs.resize': notUsed,
    'jobs.exec': notUsed,
    // As with jobs: the list is empty, and what needs a comparison is tested against real engines.
    'transfers.plan': notUsed,
    'transfers.start': notUsed,
    'transfers.list': notUsed,
    'transfers.get': notUsed,
    'transfers.cancel': notUsed,
    'transfers.remove': notUsed,
    'compare.run': notUsed,
    'compare.list': async () => [],
    'compare.get': notUsed,
    'compare.cancel': notUsed,
    'compare.remove': notUsed,
    'compare.stdout': notUsed,
    // Exports are tested against the real image lists and HTCondor's bindings (test/integration).
    'export.htcondor': notUsed,
    'export.kubernetes': notUsed,
    // Slurm is tested against the real one-node cluster (test/integration/slurm-*.test.ts).
    'slurm.info': notUsed,
    'slurm.preview': notUsed,
    'slurm.submit': notUsed,
    // The SIF cache is tested against real SIF files (test/integration/sif-*.test.ts).
    'sif.cache': notUsed,
    'sif.clearCache': notUsed,
    'settings.get': async () => defaultSettings(),
    'settings.update': async (patch) => ({ ...defaultSettings(), ...patch }),
    ...overrides,
  };
  fake.router = createRouter(handlers, fake.log);
  return fake;
}


async function notUsed(): Promise<never> {
  throw new Error('not used by transport tests');
}

async function* notUsedStream(): AsyncGenerator<never> {
  throw new Error('not used by transport tests');
}
