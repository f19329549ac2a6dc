// GET /images/json -> ImageSummary rows: one row per repo tag, one row for an image with none.
import type { ImageSummary } from '../../../shared/model';
import type { RawImageListEntry } from './raw-types';
import { isNoneName, splitReference } from './references';

export function mapImageList(entries: RawImageListEntry[], engineId: string): ImageSummary[] {
  return entries.flatMap((entry) => imageRows(entry, engineId));
}

/**
 * The listing's rows of one image, each carrying only its own name (and the digests of its own
 * repository). Engines answer every tag's entry with the image's whole tag list; copying that list
 * into every row made the answer grow with the square of an image's tags (1,000 tags: 28.7 MB).
 * The window counts an image's names from its rows; the detail (imageSummary) has them all.
 */
export function imageRows(entry: RawImageListEntry, engineId: string): ImageSummary[] {
  const repoTags = namesOf(entry.RepoTags);
  const repoDigests = namesOf(entry.RepoDigests);
  const base = summaryBase(entry, engineId, repoTags.length === 0);
  if (repoTags.length === 0) return [{ ...base, repository: null, tag: null, repoTags: [], repoDigests }];
  // Names are kept as the engine wrote them (Podman's "localhost/..." included).
  return repoTags.map((name) => {
    const { repository, tag } = splitReference(name);
    return { ...base, repository, tag, repoTags: [name], repoDigests: repoDigests.filter((digest) => digestRepository(digest) === repository) };
  });
}

/** One image as a whole (an inspected image's detail): its first name stands for it, and every name and digest is listed once. */
export function imageSummary(entry: RawImageListEntry, engineId: string): ImageSummary {
  const repoTags = namesOf(entry.RepoTags);
  const first = repoTags[0];
  const name = first === undefined ? { repository: null, tag: null } : splitReference(first);
  return { ...summaryBase(entry, engineId, repoTags.length === 0), ...name, repoTags, repoDigests: namesOf(entry.RepoDigests) };
}

function summaryBase(entry: RawImageListEntry, engineId: string, nameless: boolean): Omit<ImageSummary, 'repository' | 'tag' | 'repoTags' | 'repoDigests'> {
  return {
    engineId,
    id: entry.Id,
    sizeBytes: Math.max(0, entry.Size ?? 0),
    createdAt: unixSecondsToIso(entry.Created),
    // An image is dangling when nothing names it; Podman's own flag agrees, Docker has none.
    dangling: nameless,
    containers: typeof entry.Containers === 'number' ? entry.Containers : -1,
    labels: entry.Labels ?? {},
    // The config's digest: Docker and Podman agree on it for the same image (save/load keeps it).
    contentDigest: entry.Id.startsWith('sha256:') ? entry.Id : `sha256:${entry.Id}`,
  };
}

/** "registry:5000/team/tool@sha256:..." -> "registry:5000/team/tool". */
function digestRepository(digest: string): string {
  const at = digest.indexOf('@');
  return at < 0 ? digest : digest.slice(0, at);
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
