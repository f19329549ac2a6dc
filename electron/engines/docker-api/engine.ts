// The Engine interface over the Docker REST API. Docker and Podman's Docker-compatible socket
// both use it; their providers only decide where the socket is and what its absence means.
import type Dockerode from 'dockerode';
import type { ImageDetail, ImageSummary, PruneResult, RemoveResult } from '../../../shared/model';
import type { JobRunner } from '../../jobs/runner';
import type { Detection, DetectOptions, Disposable, Engine } from '../engine';
import { abortable } from './abortable';
import { createDockerClient } from './client';
import { detectDockerApi, type DetectionPlan } from './detect';
import type { DetectionBasics } from './detection';
import { describeEndpoint, type DockerEndpoint } from './endpoint';
import { toEngineError, type ErrorContext } from './errors';
import { mapImageDetail } from './image-detail';
import { watchImageEvents, type ImageEventHandlers } from './image-events';
import { mapImageList } from './image-summary';
import type { RawDeleteItem, RawHistoryEntry, RawImageInspect, RawImageListEntry, RawPruneResponse } from './raw-types';
import { isFullImageId, mapPruneResult, mapRemoveResult } from './remove-results';
import { checkedImageId, checkedReference } from './references';
import { dockerRunDialect, type RunDialect } from './run/dialect';
import { DockerApiRunner } from './run/runner';

export interface DockerApiEngineOptions {
  id: string;
  label: string;
  family: string;
  /** The engine's name in messages: "Docker", "Podman". */
  product: string;
  endpoint: DockerEndpoint;
  via: string;
  rootless: boolean | null;
  permissionHint: string;
  familyAttribute: string;
  /** The documented GPU flag of this engine (see DetectionPlan). */
  gpuFlag: string;
  /** How jobs run on it: the CLI they are shown as, the GPU route (default: Docker's). */
  runDialect?: RunDialect;
  whenSocketMissing: (basics: DetectionBasics) => Detection | Promise<Detection>;
  log: (message: string) => void;
  /** Extra cleanup (a service Crossdock started for this engine). */
  onDispose?: () => Promise<void>;
}

export class DockerApiEngine implements Engine {
  readonly id: string;
  readonly label: string;
  readonly family: string;
  readonly canPrune = true;
  readonly docker: Dockerode;
  readonly runner: JobRunner;
  private readonly errors: ErrorContext;

  constructor(private readonly options: DockerApiEngineOptions) {
    this.id = options.id;
    this.label = options.label;
    this.family = options.family;
    this.docker = createDockerClient(options.endpoint);
    this.errors = {
      engineId: options.id,
      product: options.product,
      endpoint: describeEndpoint(options.endpoint),
      permissionHint: options.permissionHint,
    };
    this.runner = new DockerApiRunner({
      docker: this.docker,
      endpoint: options.endpoint,
      dialect: options.runDialect ?? dockerRunDialect,
      errors: this.errors,
      log: (message) => options.log(`${options.id}: ${message}`),
    });
  }

  detect(signal: AbortSignal, options: DetectOptions): Promise<Detection> {
    const plan: DetectionPlan = {
      docker: this.docker,
      endpoint: this.options.endpoint,
      errors: this.errors,
      via: this.options.via,
      rootless: this.options.rootless,
      familyAttribute: this.options.familyAttribute,
      gpuFlag: this.options.gpuFlag,
      whenSocketMissing: this.options.whenSocketMissing,
      log: this.options.log,
    };
    return detectDockerApi(plan, signal, options);
  }

  async listImages(signal: AbortSignal): Promise<ImageSummary[]> {
    try {
      const entries = (await this.docker.listImages({ abortSignal: signal })) as unknown as RawImageListEntry[];
      return mapImageList(entries, this.id);
    } catch (error) {
      throw toEngineError(error, this.errors);
    }
  }

  async inspectImage(imageId: string, signal: AbortSignal): Promise<ImageDetail> {
    const id = checkedImageId(imageId, this.id);
    try {
      const image = this.docker.getImage(id);
      const [inspect, history] = await abortable(Promise.all([image.inspect(), image.history()]), signal);
      return mapImageDetail(inspect as unknown as RawImageInspect, history as RawHistoryEntry[], this.id);
    } catch (error) {
      throw toEngineError(error, { ...this.errors, subject: id });
    }
  }

  async removeImage(target: { imageId: string; reference: string | null; force: boolean }): Promise<RemoveResult> {
    // With a reference the engine untags it (and deletes the image only if it was the last name).
    const name = target.reference !== null ? checkedReference(target.reference, this.id) : checkedImageId(target.imageId, this.id);
    try {
      // The answer lists the image's layers as "Deleted" too: telling the image apart needs its full id.
      const imageId = await this.fullImageId(checkedImageId(target.imageId, this.id));
      const answer = (await this.docker.getImage(name).remove({ force: target.force })) as RawDeleteItem[];
      return mapRemoveResult(answer, imageId);
    } catch (error) {
      throw toEngineError(error, { ...this.errors, subject: name });
    }
  }

  async pruneImages(): Promise<PruneResult> {
    const dangling = { filters: { dangling: ['true'] } };
    try {
      // Listed first so the answer's image ids can be told from its layer ids. An image that turns
      // dangling between the two calls is counted as a layer: a miscount, never a lost deletion.
      const before = (await this.docker.listImages(dangling)) as unknown as RawImageListEntry[];
      const answer = (await this.docker.pruneImages(dangling)) as RawPruneResponse;
      return mapPruneResult(answer, this.id, before.map((image) => image.Id));
    } catch (error) {
      throw toEngineError(error, this.errors);
    }
  }

  /** The window sends full ids; a short one (another caller's) is resolved by the engine. */
  private async fullImageId(imageId: string): Promise<string> {
    if (isFullImageId(imageId)) return imageId;
    const inspect = (await this.docker.getImage(imageId).inspect()) as unknown as RawImageInspect;
    return inspect.Id;
  }

  watchImages(handlers: ImageEventHandlers): Disposable {
    return watchImageEvents(this.docker, handlers, (message) => this.options.log(`${this.id}: ${message}`));
  }

  async dispose(): Promise<void> {
    await this.options.onDispose?.();
  }
}
