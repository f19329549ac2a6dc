// Finds the engines on this machine through their providers, probes them all in parallel (each
// with its own time limit), caches what it learned until the user asks again, and keeps watching
// the engines that can tell when their images change. The only place that holds every engine.
import { ApiError } from '../../shared/errors';
import type { ChangeEvent } from '../../shared/changes';
import type { EngineStatus } from '../../shared/model';
import type { ChangeFeed } from '../host/change-feed';
import type { Disposable, Engine, EngineContext, EngineProvider, Detection } from './engine';

export interface RegistryOptions {
  /** How long reaching one engine may take (finding it, starting a service it needs, its version). */
  reachTimeoutMs?: number;
  /** How long one engine's test container may take, the first one included (it makes its image). */
  detectTimeoutMs?: number;
  /** Quiet time before an engine's burst of image events becomes one notification. */
  changeDebounceMs?: number;
  /**
   * How long the test containers may wait for a window's first listing of every reached engine
   * (0: they start at once). On a small machine a window that loads while a dozen test processes
   * run is seconds slower, so the list goes first and the proof follows.
   */
  probeDelayMs?: number;
}

export class EngineRegistry {
  private discovered: Promise<Engine[]> | null = null;
  private statuses = new Map<string, EngineStatus>();
  private detection: DetectionRound | null = null;
  private readonly watches = new Map<string, Disposable>();
  private readonly debounce = new Map<string, NodeJS.Timeout>();
  private readonly reachTimeoutMs: number;
  private readonly detectTimeoutMs: number;
  private readonly changeDebounceMs: number;
  private readonly probeDelayMs: number;
  /** Engines whose images were listed since the last reach, and who waits for that. */
  private listedSinceReach = new Set<string>();
  private onListed: (() => void) | null = null;

  constructor(
    private readonly providers: EngineProvider[],
    private readonly context: EngineContext,
    private readonly feed: ChangeFeed,
    options: RegistryOptions = {},
  ) {
    this.reachTimeoutMs = options.reachTimeoutMs ?? 10_000;
    this.detectTimeoutMs = options.detectTimeoutMs ?? 30_000;
    this.changeDebounceMs = options.changeDebounceMs ?? 250;
    this.probeDelayMs = options.probeDelayMs ?? 0;
  }

  /** Every engine connection, discovered once. A provider that fails contributes none and says why. */
  engines(): Promise<Engine[]> {
    this.discovered ??= Promise.all(
      this.providers.map((provider) =>
        provider.discover(this.context).catch((error: unknown) => {
          this.context.log(`discovering ${provider.family} failed: ${String(error)}`);
          return [] as Engine[];
        }),
      ),
    ).then((lists) => lists.flat());
    return this.discovered;
  }

  async get(engineId: string): Promise<Engine> {
    const engine = (await this.engines()).find((candidate) => candidate.id === engineId);
    if (!engine) throw new ApiError('not-found', `Crossdock knows no engine "${engineId}".`, { engineId });
    return engine;
  }

  /**
   * The engines' statuses, detecting first when nothing was detected yet or `refresh` asks. Detection
   * goes in two steps: every engine is reached (milliseconds: version, socket), which is what this
   * answers by default, so that the window can list images at once; then the test containers run
   * and their results reach the windows as engine-status events. `waitForProbes` answers only
   * after the second step. A refresh while a detection is still running joins it.
   */
  async list(refresh = false, options: { waitForProbes?: boolean } = {}): Promise<EngineStatus[]> {
    const engines = await this.engines();
    if (!this.detection || (refresh && this.detection.settled)) this.detection = this.detectAll(engines);
    await (options.waitForProbes ? this.detection.probed : this.detection.reached);
    return engines.map((engine) => this.statuses.get(engine.id)!);
  }

  /** Detect one engine again, test container included (after its connection was lost), and tell the windows. */
  async redetect(engineId: string): Promise<EngineStatus> {
    const engine = await this.get(engineId);
    const reached = await this.detectOne(engine, false);
    return reached.state === 'checking' ? this.detectOne(engine, true) : reached;
  }

  /**
   * Runs `action` against an engine; when it fails because the engine went away, the engine is
   * detected again so the window's engines panel follows without being asked.
   */
  async use<T>(engineId: string, action: (engine: Engine) => Promise<T>): Promise<T> {
    const engine = await this.get(engineId);
    try {
      return await action(engine);
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'engine-unavailable') void this.redetect(engineId).catch(() => undefined);
      throw error;
    }
  }

  /** What a window that starts watching now must know: every engine's last known status. */
  snapshot(): ChangeEvent[] {
    return [...this.statuses.values()].map((status) => ({ type: 'engine-status', status }));
  }

  /** A window listed this engine's images (the test containers may be waiting for that). */
  noteListed(engineId: string): void {
    this.listedSinceReach.add(engineId);
    this.onListed?.();
  }

  /** Tell the windows an engine's images changed (after Crossdock's own change, or an event). */
  imagesChanged(engineId: string): void {
    clearTimeout(this.debounce.get(engineId));
    this.debounce.set(
      engineId,
      setTimeout(() => {
        this.debounce.delete(engineId);
        this.feed.publish({ type: 'images-changed', engineId });
      }, this.changeDebounceMs),
    );
  }

  async dispose(): Promise<void> {
    for (const timer of this.debounce.values()) clearTimeout(timer);
    this.debounce.clear();
    for (const watch of this.watches.values()) await watch.dispose();
    this.watches.clear();
    const engines = this.discovered ? await this.discovered : [];
    await Promise.all(engines.map((engine) => Promise.resolve(engine.dispose()).catch(() => undefined)));
  }

  private detectAll(engines: Engine[]): DetectionRound {
    const round: DetectionRound = { reached: Promise.resolve([]), probed: Promise.resolve([]), settled: false };
    round.reached = Promise.all(engines.map((engine) => this.detectOne(engine, false)));
    round.probed = round.reached
      .then(async (reached) => {
        await this.listingsFirst(reached);
        return Promise.all(engines.map((engine, index) => (reached[index]?.state === 'checking' ? this.detectOne(engine, true) : reached[index]!)));
      })
      .finally(() => {
        round.settled = true;
      });
    // Nobody may be waiting for the test containers; a failure there must not go unhandled.
    round.probed.catch((error: unknown) => this.context.log(`detection failed: ${String(error)}`));
    return round;
  }

  /** Resolves once every reached engine was listed by a window, or after probeDelayMs. */
  private listingsFirst(reached: EngineStatus[]): Promise<void> {
    if (this.probeDelayMs <= 0) return Promise.resolve();
    this.listedSinceReach = new Set();
    const waitingFor = reached.filter((status) => status.state === 'checking').map((status) => status.id);
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.onListed = null;
        resolve();
      };
      const timer = setTimeout(done, this.probeDelayMs);
      this.onListed = () => {
        if (waitingFor.every((id) => this.listedSinceReach.has(id))) done();
      };
      this.onListed();
    });
  }

  private async detectOne(engine: Engine, probe: boolean): Promise<EngineStatus> {
    const started = performance.now();
    const detection = await withTimeout(engine, probe, probe ? Math.max(this.detectTimeoutMs, engine.probeTimeoutMs ?? 0) : this.reachTimeoutMs);
    const status: EngineStatus = {
      ...detection,
      id: engine.id,
      label: engine.label,
      family: engine.family,
      canPrune: engine.canPrune,
      checkedAt: new Date().toISOString(),
      detectMs: Math.round(performance.now() - started),
    };
    const previous = this.statuses.get(engine.id);
    this.statuses.set(engine.id, status);
    this.updateWatch(engine, status);
    if (!previous || previous.state !== status.state || previous.message !== status.message) {
      this.feed.publish({ type: 'engine-status', status });
    }
    return status;
  }

  /** Watch a working engine's images; stop watching one that no longer works. */
  private updateWatch(engine: Engine, status: EngineStatus): void {
    const usable = status.state === 'ready' || status.state === 'degraded' || status.state === 'checking';
    const existing = this.watches.get(engine.id);
    if (!usable) {
      if (existing) {
        this.watches.delete(engine.id);
        void Promise.resolve(existing.dispose()).catch(() => undefined);
      }
      return;
    }
    if (existing || !engine.watchImages) return;
    const watch = engine.watchImages({
      onChange: () => this.imagesChanged(engine.id),
      onLost: (reason) => {
        this.context.log(`${engine.id}: lost its event stream (${reason}); detecting it again`);
        if (this.watches.get(engine.id) === watch) this.watches.delete(engine.id);
        void this.redetect(engine.id).then(() => this.imagesChanged(engine.id)).catch(() => undefined);
      },
    });
    this.watches.set(engine.id, watch);
  }
}

interface DetectionRound {
  /** Every engine reached (or found missing). */
  reached: Promise<EngineStatus[]>;
  /** Every reachable engine's test container finished. */
  probed: Promise<EngineStatus[]>;
  settled: boolean;
}

async function withTimeout(engine: Engine, probe: boolean, timeoutMs: number): Promise<Detection> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Detection>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({
        state: 'error',
        version: null,
        apiVersion: null,
        endpoint: null,
        via: null,
        rootless: null,
        message: `${engine.label} gave no answer within ${Math.round(timeoutMs / 1000)} s.`,
        probe: { attempted: false, ok: false, expectedExitCode: 37, exitCode: null, durationMs: null, message: 'timed out' },
        attributes: {},
      });
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      engine.detect(controller.signal, { probe }).catch(
        (error: unknown): Detection => ({
          state: 'error',
          version: null,
          apiVersion: null,
          endpoint: null,
          via: null,
          rootless: null,
          message: `Detection failed: ${error instanceof Error ? error.message : String(error)}`,
          probe: { attempted: false, ok: false, expectedExitCode: 37, exitCode: null, durationMs: null, message: null },
          attributes: {},
        }),
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
