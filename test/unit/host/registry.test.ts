// The registry's own logic (parallel detection, time limits, caching, change notifications) with
// scripted in-memory engines: these stand for no real tool, they only let the test decide when and
// how detection answers. Real engines are exercised in test/integration.
import { describe, expect, it } from 'vitest';
import { ChangeFeed } from '../../../electron/host/change-feed';
import type { Detection, DetectOptions, Engine, EngineProvider } from '../../../electron/engines/engine';
import { EngineRegistry } from '../../../electron/engines/registry';
import { ApiError } from '../../../shared/errors';
import type { ChangeEvent } from '../../../shared/changes';

const ready: Detection = {
  state: 'ready',
  version: '1.0',
  apiVersion: null,
  endpoint: null,
  via: 'script',
  rootless: false,
  message: null,
  probe: { attempted: true, ok: true, expectedExitCode: 37, exitCode: 37, durationMs: 1, message: null },
  attributes: {},
};

function scripted(id: string, detect: (signal: AbortSignal, options: DetectOptions) => Promise<Detection>, extra: Partial<Engine> = {}): Engine {
  return {
    id,
    label: id.toUpperCase(),
    family: 'scripted',
    canPrune: true,
    detect,
    listImages: async () => [],
    inspectImage: async () => {
      throw new ApiError('not-found', 'no');
    },
    removeImage: async () => ({ untagged: [], deleted: [], layersDeleted: 0 }),
    pruneImages: async () => ({ engineId: id, deleted: [], layersDeleted: 0, reclaimedBytes: 0 }),
    dispose: () => undefined,
    ...extra,
  };
}

const provider = (engines: Engine[]): EngineProvider => ({ family: 'scripted', discover: async () => engines });
const context = { env: {}, runtimeDir: '/tmp', log: () => undefined };

function collect(feed: ChangeFeed): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  const iterator = feed.watch(new AbortController().signal)[Symbol.asyncIterator]();
  const pull = (): void => void iterator.next().then((next) => { if (!next.done) { events.push(next.value); pull(); } });
  pull();
  return events;
}

describe('EngineRegistry', () => {
  it('detects every engine in parallel and caches until refresh', async () => {
    let calls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const detect = async () => {
      calls += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return ready;
    };
    const registry = new EngineRegistry([provider([scripted('a', detect), scripted('b', detect)])], context, new ChangeFeed());
    const first = await registry.list();
    expect(first.map((status) => [status.id, status.label, status.state])).toEqual([['a', 'A', 'ready'], ['b', 'B', 'ready']]);
    expect(maxInFlight).toBe(2);
    await registry.list();
    expect(calls).toBe(2);
    await registry.list(true);
    expect(calls).toBe(4);
  });

  it('gives an engine that hangs a clear error state after its time limit, and the others still answer', async () => {
    let aborted = false;
    const hanging = scripted('slow', (signal) => new Promise(() => signal.addEventListener('abort', () => (aborted = true))));
    const registry = new EngineRegistry([provider([hanging, scripted('fast', async () => ready)])], context, new ChangeFeed(), { reachTimeoutMs: 50 });
    const statuses = await registry.list();
    expect(statuses.find((s) => s.id === 'slow')).toMatchObject({ state: 'error', message: expect.stringMatching(/no answer within/) });
    expect(statuses.find((s) => s.id === 'fast')?.state).toBe('ready');
    expect(aborted).toBe(true);
  });

  it('turns a detect that throws into an error state instead of failing the list', async () => {
    const registry = new EngineRegistry([provider([scripted('bad', async () => { throw new Error('garbage'); })])], context, new ChangeFeed());
    expect((await registry.list())[0]).toMatchObject({ state: 'error', message: 'Detection failed: garbage' });
  });

  it('keeps the other providers when one fails to discover', async () => {
    const broken: EngineProvider = { family: 'broken', discover: async () => { throw new Error('boom'); } };
    const registry = new EngineRegistry([broken, provider([scripted('a', async () => ready)])], context, new ChangeFeed());
    expect((await registry.list()).map((s) => s.id)).toEqual(['a']);
  });

  it('re-detects an engine whose watch is lost and publishes its new state', async () => {
    let state: Detection = ready;
    let lose: ((reason: string) => void) | undefined;
    const engine = scripted('d', async () => state, {
      watchImages: ({ onLost }) => {
        lose = onLost;
        return { dispose: () => undefined };
      },
    });
    const feed = new ChangeFeed();
    const events = collect(feed);
    const registry = new EngineRegistry([provider([engine])], context, feed, { changeDebounceMs: 1 });
    await registry.list();
    expect(lose).toBeDefined();
    state = { ...ready, state: 'unreachable', message: 'daemon stopped' };
    lose?.('stream ended');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events.filter((e) => e.type === 'engine-status').map((e) => (e.type === 'engine-status' ? e.status.state : ''))).toEqual(['ready', 'unreachable']);
    expect(events.some((e) => e.type === 'images-changed')).toBe(true);
    await registry.dispose();
  });

  it('re-detects an engine when a call finds it unavailable', async () => {
    let detections = 0;
    const engine = scripted('e', async () => { detections += 1; return ready; }, {
      listImages: async () => { throw new ApiError('engine-unavailable', 'gone'); },
    });
    const registry = new EngineRegistry([provider([engine])], context, new ChangeFeed());
    await registry.list();
    await expect(registry.use('e', (found) => found.listImages(new AbortController().signal))).rejects.toMatchObject({ kind: 'engine-unavailable' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(detections).toBe(2);
  });

  it('answers not-found for an engine it does not know', async () => {
    const registry = new EngineRegistry([provider([])], context, new ChangeFeed());
    await expect(registry.get('nope')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('coalesces a burst of image changes into one notification', async () => {
    const feed = new ChangeFeed();
    const events = collect(feed);
    const registry = new EngineRegistry([provider([])], context, feed, { changeDebounceMs: 10 });
    for (let i = 0; i < 50; i += 1) registry.imagesChanged('x');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(events).toEqual([{ type: 'images-changed', engineId: 'x' }]);
  });
});

describe('EngineRegistry: detection in two steps', () => {
  const checking: Detection = { ...ready, state: 'checking', probe: { ...ready.probe, attempted: false, ok: false, exitCode: null, durationMs: null, message: 'pending' } };

  it('answers once engines are reached, then publishes each test container result', async () => {
    let release: () => void = () => undefined;
    const probeDone = new Promise<void>((resolve) => (release = resolve));
    const engine = scripted('p', async (_signal, options) => {
      if (!options.probe) return checking;
      await probeDone;
      return ready;
    });
    const feed = new ChangeFeed();
    const events = collect(feed);
    const registry = new EngineRegistry([provider([engine])], context, feed);
    expect((await registry.list())[0]?.state).toBe('checking');
    const waited = registry.list(false, { waitForProbes: true });
    release();
    expect((await waited)[0]?.state).toBe('ready');
    expect((await registry.list())[0]?.state).toBe('ready');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events.map((e) => (e.type === 'engine-status' ? e.status.state : e.type))).toEqual(['checking', 'ready']);
  });

  it('does not run the test container of an engine it could not reach', async () => {
    const probes: boolean[] = [];
    const engine = scripted('gone', async (_signal, options) => {
      probes.push(options.probe);
      return { ...ready, state: 'unreachable', message: 'nothing answers' };
    });
    const registry = new EngineRegistry([provider([engine])], context, new ChangeFeed());
    expect((await registry.list(false, { waitForProbes: true }))[0]?.state).toBe('unreachable');
    expect(probes).toEqual([false]);
  });

  it('joins a detection still under way instead of starting another', async () => {
    let reaches = 0;
    const engine = scripted('j', async (_signal, options) => {
      if (!options.probe) reaches += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return options.probe ? ready : checking;
    });
    const registry = new EngineRegistry([provider([engine])], context, new ChangeFeed());
    await Promise.all([registry.list(), registry.list(true), registry.list(true, { waitForProbes: true })]);
    expect(reaches).toBe(1);
    await registry.list(true);
    expect(reaches).toBe(2);
  });

  it('gives reaching an engine its own, shorter time limit', async () => {
    const engine = scripted('hang', (_signal, options) => (options.probe ? Promise.resolve(ready) : new Promise(() => undefined)));
    const registry = new EngineRegistry([provider([engine])], context, new ChangeFeed(), { reachTimeoutMs: 30, detectTimeoutMs: 10_000 });
    expect((await registry.list(false, { waitForProbes: true }))[0]).toMatchObject({ state: 'error', message: expect.stringMatching(/no answer within/) });
  });

  it("gives an engine's test containers the longer time it asks for, and no more", async () => {
    const slowProbe = (ms: number) => (_signal: AbortSignal, options: DetectOptions) =>
      options.probe ? new Promise<Detection>((resolve) => setTimeout(() => resolve(ready), ms)) : Promise.resolve({ ...ready, state: 'checking' as const });
    const patient = scripted('patient', slowProbe(80), { probeTimeoutMs: 2_000 });
    const impatient = scripted('impatient', slowProbe(80));
    const overlong = scripted('overlong', slowProbe(5_000), { probeTimeoutMs: 150 });
    const registry = new EngineRegistry([provider([patient, impatient, overlong])], context, new ChangeFeed(), { detectTimeoutMs: 30 });
    const byId = new Map((await registry.list(false, { waitForProbes: true })).map((status) => [status.id, status]));
    expect(byId.get('patient')).toMatchObject({ state: 'ready' });
    expect(byId.get('impatient')).toMatchObject({ state: 'error', message: expect.stringMatching(/no answer within 0 s/) });
    expect(byId.get('overlong')).toMatchObject({ state: 'error', message: expect.stringMatching(/no answer within/) });
  });
});

describe('EngineRegistry: the window lists before the test containers run', () => {
  const checking: Detection = { ...ready, state: 'checking' };

  it('holds the test containers until every reached engine was listed once', async () => {
    const probed: string[] = [];
    const engine = (id: string) => scripted(id, async (_signal, options) => {
      if (options.probe) probed.push(id);
      return options.probe ? ready : checking;
    });
    const registry = new EngineRegistry([provider([engine('a'), engine('b')])], context, new ChangeFeed(), { probeDelayMs: 10_000 });
    await registry.list();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(probed).toEqual([]);
    registry.noteListed('a');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(probed).toEqual([]);
    registry.noteListed('b');
    expect((await registry.list(false, { waitForProbes: true })).map((s) => s.state)).toEqual(['ready', 'ready']);
    expect(probed.sort()).toEqual(['a', 'b']);
  });

  it('runs them anyway once the delay is over (no window came)', async () => {
    const registry = new EngineRegistry(
      [provider([scripted('lonely', async (_signal, options) => (options.probe ? ready : checking))])],
      context,
      new ChangeFeed(),
      { probeDelayMs: 30 },
    );
    expect((await registry.list(false, { waitForProbes: true }))[0]?.state).toBe('ready');
  });
});
