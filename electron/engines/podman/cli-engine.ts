// The Engine interface over the podman command line with JSON output, for when no API socket can
// be had. Every id and reference is re-validated before it becomes an argument, and never starts
// with "-", so it cannot be read as an option.
import { ApiError } from '../../../shared/errors';
import type { ImageDetail, ImageSummary, PruneResult, RemoveResult } from '../../../shared/model';
import type { Detection, DetectOptions, Engine } from '../engine';
import { notReady, probeNotAttempted, PROBE_PENDING } from '../docker-api/detection';
import { mapImageDetail } from '../docker-api/image-detail';
import { mapImageList } from '../docker-api/image-summary';
import type { RawImageInspect } from '../docker-api/raw-types';
import { checkedImageId, checkedReference } from '../docker-api/references';
import { isFullImageId, splitDeleted } from '../docker-api/remove-results';
import { runPodman, type CliOutcome, type PodmanCli } from './cli';
import { podmanWords, toCliError } from './cli-errors';
import {
  fromCliHistory,
  fromCliImages,
  fromCliInspect,
  parseRmiOutput,
  withDigestPrefix,
  type PodmanCliHistoryEntry,
  type PodmanCliImage,
} from './cli-mapping';
import { runCliProbe } from './cli-probe';
import { PodmanCliRunner } from './run/runner';

export const CLI_VIA = 'podman CLI (JSON)';

export interface PodmanCliEngineOptions {
  id: string;
  label: string;
  family: string;
  rootless: boolean;
  cli: PodmanCli;
}

export class PodmanCliEngine implements Engine {
  readonly id: string;
  readonly label: string;
  readonly family: string;
  readonly canPrune = true;
  readonly runner: PodmanCliRunner;
  private readonly cli: PodmanCli;

  constructor(private readonly options: PodmanCliEngineOptions) {
    this.id = options.id;
    this.label = options.label;
    this.family = options.family;
    this.cli = options.cli;
    this.runner = new PodmanCliRunner({ engineId: options.id, cli: options.cli });
  }

  async detect(signal: AbortSignal, options: DetectOptions): Promise<Detection> {
    const basics = { endpoint: this.cli.podmanPath, via: CLI_VIA, rootless: this.options.rootless };
    const version = await runPodman(this.cli, ['version', '--format', 'json'], { signal, timeoutMs: 30_000 });
    if (version.exitCode !== 0) {
      const failure = toCliError(version, { engineId: this.id });
      const state = failure.kind === 'engine-unavailable' ? 'not-installed' : failure.kind === 'permission-denied' ? 'permission-denied' : 'error';
      return notReady(state, failure.message, basics);
    }
    const parsed = parseJson<{ Client?: { Version?: string; APIVersion?: string } }>(version.stdout) ?? {};
    if (!options.probe) {
      return {
        state: 'checking',
        version: parsed.Client?.Version ?? null,
        apiVersion: parsed.Client?.APIVersion ?? null,
        ...basics,
        message: null,
        probe: probeNotAttempted(PROBE_PENDING),
        attributes: { HasPodmanCLI: true },
      };
    }
    const probe = await runCliProbe(this.cli, signal);
    const attributes: Detection['attributes'] = { HasPodmanCLI: true, ProbeExitCodeKept: probe.ok };
    if (probe.ok) attributes.HasPodman = true;
    return {
      state: probe.ok ? 'ready' : 'degraded',
      version: parsed.Client?.Version ?? null,
      apiVersion: parsed.Client?.APIVersion ?? null,
      ...basics,
      message: probe.ok ? null : `Podman answers, but ${probe.message ?? 'the test container failed'}.`,
      probe,
      attributes,
    };
  }

  async listImages(signal: AbortSignal): Promise<ImageSummary[]> {
    const images = await this.json<PodmanCliImage[]>(['images', '--format', 'json'], { signal });
    return mapImageList(fromCliImages(images ?? []), this.id);
  }

  async inspectImage(imageId: string, signal: AbortSignal): Promise<ImageDetail> {
    const id = checkedImageId(imageId, this.id);
    const context = { subject: id };
    const [inspected, history] = await Promise.all([
      this.json<RawImageInspect[]>(['image', 'inspect', '--', id], { signal }, context),
      this.json<PodmanCliHistoryEntry[]>(['image', 'history', '--format', 'json', '--', id], { signal }, context),
    ]);
    const first = inspected?.[0];
    if (!first) throw new ApiError('not-found', `image ${id} is no longer in Podman — removed outside Crossdock?`, { engineId: this.id });
    return mapImageDetail(fromCliInspect(first), fromCliHistory(history ?? []), this.id);
  }

  async removeImage(target: { imageId: string; reference: string | null; force: boolean }): Promise<RemoveResult> {
    const name = target.reference !== null ? checkedReference(target.reference, this.id) : checkedImageId(target.imageId, this.id);
    // "Deleted:" lines may name other images that went with it (parents): only this one counts as the image.
    const imageId = await this.fullImageId(checkedImageId(target.imageId, this.id));
    const outcome = await runPodman(this.cli, ['rmi', ...(target.force ? ['--force'] : []), '--', name]);
    if (outcome.exitCode !== 0) throw toCliError(outcome, { engineId: this.id, subject: name });
    const removed = parseRmiOutput(outcome.stdout);
    return { untagged: removed.untagged, ...splitDeleted(removed.deleted.map(withDigestPrefix), [imageId]) };
  }

  async pruneImages(): Promise<PruneResult> {
    // The CLI does not say how much it freed, nor which ids were images: the dangling images are read before.
    const dangling = fromCliImages((await this.json<PodmanCliImage[]>(['images', '--filter', 'dangling=true', '--format', 'json'], {})) ?? []);
    const outcome = await runPodman(this.cli, ['image', 'prune', '--force']);
    if (outcome.exitCode !== 0) throw toCliError(outcome, { engineId: this.id });
    const printed = outcome.stdout.split('\n').map((line) => line.trim()).filter((line) => /^[a-f0-9]{12,64}$/.test(line)).map(withDigestPrefix);
    const { deleted, layersDeleted } = splitDeleted(printed, dangling.map((image) => image.Id));
    const reclaimedBytes = dangling.filter((image) => deleted.includes(image.Id)).reduce((sum, image) => sum + (image.Size ?? 0), 0);
    return { engineId: this.id, deleted, layersDeleted, reclaimedBytes };
  }

  /** The window sends full ids; a short one (another caller's) is resolved by podman. */
  private async fullImageId(imageId: string): Promise<string> {
    if (isFullImageId(imageId)) return imageId;
    const inspected = await this.json<RawImageInspect[]>(['image', 'inspect', '--', imageId], {}, { subject: imageId });
    const first = inspected?.[0];
    if (!first) throw new ApiError('not-found', `image ${imageId} is no longer in Podman — removed outside Crossdock?`, { engineId: this.id });
    return first.Id;
  }

  dispose(): void {}

  private async json<T>(args: string[], call: { signal?: AbortSignal }, context: { subject?: string } = {}): Promise<T | null> {
    const outcome: CliOutcome = await runPodman(this.cli, args, { ...call, timeoutMs: 60_000 });
    if (outcome.exitCode !== 0) throw toCliError(outcome, { engineId: this.id, ...context });
    const parsed = parseJson<T>(outcome.stdout);
    if (parsed === undefined) throw new ApiError('internal', `podman ${args[0] ?? ''} printed something that is not JSON: ${podmanWords(outcome)}`, { engineId: this.id });
    return parsed;
  }
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
