// GET /images/json -> ImageSummary rows: one row per repo tag, one row for an image with none.
import type { ImageSummary } from '../../../shared/model';
import type { RawImageListEntry } from './raw-types';
import { isNoneName, splitReference } from './references';

export function mapImageList(entries: RawImageListEntry[], engineId: string): ImageSummary[] {
  return entries.flatMap((entry) => imageRows(entry, engineId));
}

export function imageRows(entry: RawImageListEntry, engineId: string): ImageSummary[] {
  const repoTags = namesOf(entry.RepoTags);
  const base: Omit<ImageSummary, 'repository' | 'tag'> = {
    engineId,
    id: entry.Id,
    repoTags,
    repoDigests: namesOf(entry.RepoDigests),
    sizeBytes: Math.max(0, entry.Size ?? 0),
    createdAt: unixSecondsToIso(entry.Created),
    // An image is dangling when nothing names it; Podman's own flag agrees, Docker has none.
    dangling: repoTags.length === 0,
    containers: typeof entry.Containers === 'number' ? entry.Containers : -1,
    labels: entry.Labels ?? {},
    // The config's digest: Docker and Podman agree on it for the same image (save/load keeps it).
    contentDigest: entry.Id.startsWith('sha256:') ? entry.Id : `sha256:${entry.Id}`,
  };
  if (repoTags.length === 0) return [{ ...base, repository: null, tag: null }];
  // Names are kept as the engine wrote them (Podman's "localhost/..." included).
  return repoTags.map((name) => ({ ...base, ...splitReference(name) }));
}

/** Drops Docker's "<none>" placeholders; null becomes empty. */
export function namesOf(names: string[] | null | undefined): string[] {
  return (names ?? []).filter((name) => !isNoneName(name));
}

export function unixSecondsToIso(seconds: number | null | undefined): string | null {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return null;
  return new Date(seconds * 1000).toISOString();
}

/** Engines write nanosecond RFC 3339 and Go's zero time ("0001-01-01T00:00:00Z") for "unknown". */
export function rfc3339ToIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  if (!Number.isFinite(time) || time <= 0) return null;
  return new Date(time).toISOString();
}
