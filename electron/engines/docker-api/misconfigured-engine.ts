// Stands for a connection whose configuration Crossdock cannot use (DOCKER_HOST=ssh://...):
// it shows up in the engines panel with the reason instead of vanishing.
import { ApiError } from '../../../shared/errors';
import type { ImageDetail, ImageSummary, PruneResult, RemoveResult } from '../../../shared/model';
import type { Detection, Engine } from '../engine';
import { notReady } from './detection';

export class MisconfiguredEngine implements Engine {
  readonly canPrune = false;
  constructor(
    readonly id: string,
    readonly label: string,
    readonly family: string,
    private readonly message: string,
  ) {}

  async detect(): Promise<Detection> {
    return notReady('error', this.message, { endpoint: null, via: null, rootless: null });
  }

  listImages(): Promise<ImageSummary[]> {
    return this.refuse();
  }
  inspectImage(): Promise<ImageDetail> {
    return this.refuse();
  }
  removeImage(): Promise<RemoveResult> {
    return this.refuse();
  }
  pruneImages(): Promise<PruneResult> {
    return this.refuse();
  }
  dispose(): void {}

  private refuse(): Promise<never> {
    return Promise.reject(new ApiError('engine-unavailable', this.message, { engineId: this.id }));
  }
}
