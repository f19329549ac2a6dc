// GET /images/{id}/json + /images/{id}/history -> ImageDetail.
import type { ImageDetail } from '../../../shared/model';
import { imageSummary, rfc3339ToIso, unixSecondsToIso } from './image-summary';
import type { RawHistoryEntry, RawImageInspect } from './raw-types';

export function mapImageDetail(inspect: RawImageInspect, history: RawHistoryEntry[], engineId: string): ImageDetail {
  const config = inspect.Config ?? {};
  const labels = config.Labels ?? {};
  const summary = imageSummary(
    {
      Id: inspect.Id.includes(':') ? inspect.Id : `sha256:${inspect.Id}`,
      RepoTags: inspect.RepoTags,
      RepoDigests: inspect.RepoDigests,
      Size: inspect.Size,
      Labels: labels,
      // Inspect does not count containers.
      Containers: -1,
    },
    engineId,
  );
  return {
    // The first name stands for the image; every name is in repoTags.
    summary: { ...summary, createdAt: rfc3339ToIso(inspect.Created) },
    architecture: orNull(inspect.Architecture),
    os: orNull(inspect.Os),
    variant: orNull(inspect.Variant),
    author: orNull(inspect.Author),
    entrypoint: config.Entrypoint ?? null,
    cmd: config.Cmd ?? null,
    env: config.Env ?? [],
    workingDir: orNull(config.WorkingDir),
    user: orNull(config.User),
    exposedPorts: Object.keys(config.ExposedPorts ?? {}),
    labels,
    layers: inspect.RootFS?.Layers ?? [],
    // Newest first, as the engine answers and as `docker history` shows it.
    history: history.map((entry) => ({
      createdAt: unixSecondsToIso(entry.Created),
      createdBy: entry.CreatedBy ?? '',
      sizeBytes: Math.max(0, entry.Size ?? 0),
      comment: entry.Comment ?? '',
      // The history API has no empty-layer flag; a step that added no bytes made no layer.
      emptyLayer: (entry.Size ?? 0) === 0,
    })),
  };
}

function orNull(value: string | null | undefined): string | null {
  return value ? value : null;
}
