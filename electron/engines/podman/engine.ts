// One Podman connection. Which route it uses is decided when it is first detected, in this order:
// the socket CONTAINER_HOST names; Podman's default socket when something answers there; a
// `podman system service` Crossdock starts itself; and, when no socket can be had, the podman
// CLI with JSON output. Every call then goes to that route's Engine.
import { join } from 'node:path';
import { ApiError } from '../../../shared/errors';
import type { ImageDetail, ImageSummary, PruneResult, RemoveResult } from '../../../shared/model';
import type { Detection, DetectOptions, Disposable, Engine } from '../engine';
import { notReady } from '../docker-api/detection';
import { DockerApiEngine } from '../docker-api/engine';
import type { ImageEventHandlers } from '../docker-api/image-events';
import { findOnPath } from '../docker-api/path-lookup';
import { podmanRunDialect } from '../docker-api/run/dialect';
import { socketAnswers } from '../docker-api/ping';
import type { JobRunner } from '../../jobs/runner';
import { PodmanCliEngine } from './cli-engine';
import { routeRunner } from './route-runner';
import { PodmanService } from './service';

export interface PodmanConnection {
  id: string;
  label: string;
  rootless: boolean;
  /** Podman's default socket for this connection. */
  defaultSocket: string;
  /** A socket named by CONTAINER_HOST: used as is, with no fallback. */
  configuredSocket: string | null;
  /** Whether Crossdock may start a service or use the CLI for it (only for the user it runs as). */
  mayStartOwn: boolean;
  env: NodeJS.ProcessEnv;
  runtimeDir: string;
  log: (message: string) => void;
}

type Route =
  | { kind: 'api'; engine: DockerApiEngine; service: PodmanService | null }
  | { kind: 'cli'; engine: PodmanCliEngine }
  | { kind: 'none'; detection: Detection };

export const PODMAN_FAMILY = 'podman';

export class PodmanEngine implements Engine {
  readonly id: string;
  readonly label: string;
  readonly family = PODMAN_FAMILY;
  readonly canPrune = true;
  private route: Promise<Route> | null = null;
  /** The route once chosen, for the runner's synchronous calls. */
  private settled: Route | null = null;
  private disposed = false;
  readonly runner: JobRunner = routeRunner(
    () => (this.settled && this.settled.kind !== 'none' ? (this.settled.engine.runner ?? null) : null),
    () => new ApiError('engine-unavailable', `${this.label} has not been reached yet.`, { engineId: this.id }),
  );

  constructor(private readonly connection: PodmanConnection) {
    this.id = connection.id;
    this.label = connection.label;
  }

  /** The service Crossdock started for this connection, if any (for the engines panel and tests). */
  async startedService(): Promise<{ pid: number | undefined; socketPath: string } | null> {
    const route = this.route ? await this.route : null;
    return route?.kind === 'api' && route.service ? { pid: route.service.pid, socketPath: route.service.socketPath } : null;
  }

  async detect(signal: AbortSignal, options: DetectOptions): Promise<Detection> {
    const route = await this.currentRoute(true);
    return route.kind === 'none' ? route.detection : route.engine.detect(signal, options);
  }

  async listImages(signal: AbortSignal): Promise<ImageSummary[]> {
    return (await this.usable()).listImages(signal);
  }

  async inspectImage(imageId: string, signal: AbortSignal): Promise<ImageDetail> {
    return (await this.usable()).inspectImage(imageId, signal);
  }

  async removeImage(target: { imageId: string; reference: string | null; force: boolean }): Promise<RemoveResult> {
    return (await this.usable()).removeImage(target);
  }

  async pruneImages(): Promise<PruneResult> {
    return (await this.usable()).pruneImages();
  }

  /**
   * Podman's compatible API streams image events (tag, untag, remove were seen on 4.3); the CLI
   * route has none to offer, and its list is refreshed after Crossdock's own changes only.
   */
  watchImages(handlers: ImageEventHandlers): Disposable {
    let inner: Disposable | null = null;
    let disposed = false;
    this.currentRoute(false).then(
      (route) => {
        if (disposed || route.kind !== 'api') return;
        inner = route.engine.watchImages(handlers);
      },
      // No route (the engine was closed meanwhile, or the service could not start): nothing to watch,
      // and detection says why.
      () => undefined,
    );
    return {
      dispose: () => {
        disposed = true;
        return inner?.dispose();
      },
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const route = this.route ? await this.route.catch(() => null) : null;
    this.route = null;
    if (route?.kind === 'api' && route.service) await route.service.stop();
  }

  private async usable(): Promise<Engine> {
    const route = await this.currentRoute(false);
    if (route.kind === 'none') {
      throw new ApiError('engine-unavailable', route.detection.message ?? `${this.label} is not available.`, { engineId: this.id });
    }
    return route.engine;
  }

  /**
   * The route, chosen once; chosen again on detection when the service Crossdock started has
   * died, or when nothing was found last time (Podman may have been installed since).
   */
  private async currentRoute(redetecting: boolean): Promise<Route> {
    if (this.route && redetecting) {
      const previous = await this.route;
      const stale = previous.kind === 'none' || (previous.kind === 'api' && previous.service !== null && !previous.service.running);
      if (stale) {
        if (previous.kind === 'api' && previous.service) await previous.service.stop();
        this.route = null;
        this.settled = null;
      }
    }
    this.route ??= this.chooseRoute().then((route) => (this.settled = route));
    return this.route;
  }

  private async chooseRoute(): Promise<Route> {
    const { connection } = this;
    if (connection.configuredSocket) return this.apiRoute(connection.configuredSocket, null, `Docker-compatible API on ${connection.configuredSocket} (CONTAINER_HOST)`);
    if (await socketAnswers(connection.defaultSocket, 2_000)) {
      return this.apiRoute(connection.defaultSocket, null, `Docker-compatible API on ${connection.defaultSocket}`);
    }
    const podmanPath = await findOnPath('podman', connection.env);
    if (!podmanPath) {
      return {
        kind: 'none',
        detection: notReady(
          'not-installed',
          `Podman is not installed: no podman on PATH, and nothing answers on ${connection.defaultSocket}.`,
          { endpoint: connection.defaultSocket, via: null, rootless: connection.rootless },
        ),
      };
    }
    if (!connection.mayStartOwn) {
      return {
        kind: 'none',
        detection: notReady(
          'unreachable',
          `Podman is installed (${podmanPath}), but its ${connection.rootless ? 'rootless' : 'rootful'} API service is not running: nothing answers on ${connection.defaultSocket}.`,
          { endpoint: connection.defaultSocket, via: null, rootless: connection.rootless },
        ),
      };
    }
    if (this.disposed) throw new ApiError('engine-unavailable', `${this.label} was closed.`, { engineId: this.id });
    const socketPath = join(connection.runtimeDir, `podman-${connection.id}.sock`);
    try {
      const service = await PodmanService.start({ podmanPath, socketPath, env: connection.env, log: connection.log });
      return this.apiRoute(socketPath, service, `Docker-compatible API on ${socketPath} (started by Crossdock)`);
    } catch (error) {
      connection.log(`${this.id}: ${error instanceof Error ? error.message : String(error)}; using the podman CLI`);
      return {
        kind: 'cli',
        engine: new PodmanCliEngine({
          id: this.id,
          label: this.label,
          family: this.family,
          rootless: connection.rootless,
          cli: { podmanPath, env: connection.env },
        }),
      };
    }
  }

  private apiRoute(socketPath: string, service: PodmanService | null, via: string): Route {
    const { connection } = this;
    const engine = new DockerApiEngine({
      id: this.id,
      label: this.label,
      family: this.family,
      product: 'Podman',
      endpoint: { kind: 'unix', socketPath },
      via,
      rootless: connection.rootless,
      permissionHint: connection.rootless
        ? 'The socket belongs to another user: check XDG_RUNTIME_DIR.'
        : 'The rootful Podman socket belongs to root: use the rootless Podman connection, or give your user access to it.',
      familyAttribute: 'HasPodman',
      // Podman 4.3 accepts --gpus and silently does nothing; its real route is a CDI device.
      gpuFlag: '--device nvidia.com/gpu=all (CDI)',
      runDialect: podmanRunDialect,
      whenSocketMissing: (basics) =>
        notReady(
          'unreachable',
          service ? `The Podman service Crossdock started is gone: nothing at ${socketPath}.` : `Podman's API service is not running: nothing at ${socketPath}.`,
          basics,
        ),
      log: connection.log,
    });
    return { kind: 'api', engine, service };
  }
}
