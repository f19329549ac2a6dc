// The one interface every engine adapter implements. The registry, the handlers and the window
// see only this; which engine sits behind it is the adapter's business. Docker's REST API is one
// way of implementing it (dockerode stays inside the adapters that speak it), a command-line
// engine with no daemon and no socket is another.
import type {
  EngineId,
  EngineStatus,
  ImageDetail,
  ImageSummary,
  PruneResult,
  RemoveResult,
} from '../../shared/model';
import type { JobRunner } from '../jobs/runner';

export interface Disposable {
  dispose(): void | Promise<void>;
}

/** What detection learned, before the registry stamps it with the engine's identity and timing. */
export type Detection = Omit<EngineStatus, 'id' | 'label' | 'family' | 'canPrune' | 'checkedAt' | 'detectMs'>;

export interface DetectOptions {
  /** Run the test container (seconds, the first time) or only reach the engine (milliseconds). */
  probe: boolean;
}

export interface Engine extends Disposable {
  readonly id: EngineId;
  readonly label: string;
  readonly family: string;
  /**
   * Whether the engine has dangling images to prune (an image store with untagged leftovers).
   * Engines whose images are files and folders have none; the window offers no prune for them.
   */
  readonly canPrune: boolean;

  /**
   * Find the engine, read its version and, when `options.probe` asks, run the test container.
   * Without the probe, a reachable engine answers "checking". Must not throw: every failure is a
   * state with a message. Honours the signal (the registry times detection out).
   */
  detect(signal: AbortSignal, options: DetectOptions): Promise<Detection>;

  /** Local images, a row per tag. Throws ApiError (engine-unavailable, permission-denied, ...). */
  listImages(signal: AbortSignal): Promise<ImageSummary[]>;
  inspectImage(imageId: string, signal: AbortSignal): Promise<ImageDetail>;
  /** Untag `reference` when given (the image stays while other names hold it), else delete by id. */
  removeImage(target: { imageId: string; reference: string | null; force: boolean }): Promise<RemoveResult>;
  pruneImages(): Promise<PruneResult>;

  /** Runs jobs; engines that cannot run anything (yet) leave it out. */
  readonly runner?: JobRunner;

  /**
   * How long detection with the test container may take, where that is longer than the
   * registry's default: udocker runs a test container in each of its execution modes, one after
   * another, which on a busy login node takes well over the default.
   */
  readonly probeTimeoutMs?: number;

  /**
   * Calls `onChange` whenever the engine's images may have changed (from the engine's own event
   * stream where it has one), and `onLost` once if the connection behind the watch dies. Returns
   * a Disposable that stops watching. Engines without events leave this out and are re-listed
   * after Crossdock's own changes only.
   */
  watchImages?(handlers: { onChange: () => void; onLost: (reason: string) => void }): Disposable;
}

/**
 * An adapter folder exports one provider. `discover` finds the connections of that engine on this
 * machine (Podman may have a rootful and a rootless one) without probing them: it returns an
 * Engine for every connection worth showing, including one that will report "not-installed".
 */
export interface EngineProvider {
  readonly family: string;
  discover(context: EngineContext): Promise<Engine[]>;
}

/** What adapters may need from the host, passed in so they stay testable. */
export interface EngineContext {
  /** The host's environment (DOCKER_HOST, CONTAINER_HOST, XDG_RUNTIME_DIR, PATH, ...). */
  env: NodeJS.ProcessEnv;
  /** Crossdock's own runtime folder (sockets it starts, temporary files). */
  runtimeDir: string;
  log: (message: string) => void;
  /** The folders the user added for file and folder images (SIF, sandboxes, directory images); read at each listing. */
  imageFolders?: () => Promise<string[]>;
}
