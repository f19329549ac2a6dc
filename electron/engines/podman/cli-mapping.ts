// podman's own JSON (`podman images --format json`, `image inspect`, `image history`) turned into
// the Docker API shapes the shared mappers read. Recorded answers from Podman 4.3 show how it
// differs: names are in `Names` (RepoTags is null), an image is listed once per name, ids have no
// "sha256:" prefix, history times are RFC 3339.
import type { RawHistoryEntry, RawImageInspect, RawImageListEntry } from '../docker-api/raw-types';

/** The Docker API's list entry, plus the `Names` podman's own JSON puts its names in. */
export interface PodmanCliImage extends RawImageListEntry {
  Names?: string[] | null;
}

export interface PodmanCliHistoryEntry {
  id?: string;
  created?: string | null;
  CreatedBy?: string | null;
  size?: number | null;
  comment?: string | null;
}

export function withDigestPrefix(id: string): string {
  return id.includes(':') ? id : `sha256:${id}`;
}

/** One entry per image, however many times podman repeated it. */
export function fromCliImages(images: PodmanCliImage[]): RawImageListEntry[] {
  const byId = new Map<string, RawImageListEntry>();
  for (const image of images) {
    const id = withDigestPrefix(image.Id);
    if (byId.has(id)) continue;
    byId.set(id, {
      Id: id,
      RepoTags: image.Names ?? image.RepoTags ?? [],
      RepoDigests: image.RepoDigests ?? [],
      Created: image.Created ?? null,
      Size: image.Size ?? null,
      Labels: image.Labels ?? null,
      Containers: image.Containers ?? null,
      Dangling: image.Dangling ?? null,
    });
  }
  return [...byId.values()];
}

/** `podman image inspect` already uses the Docker API's field names for what Crossdock reads. */
export function fromCliInspect(inspect: RawImageInspect): RawImageInspect {
  return { ...inspect, Id: withDigestPrefix(inspect.Id) };
}

export function fromCliHistory(entries: PodmanCliHistoryEntry[]): RawHistoryEntry[] {
  return entries.map((entry) => {
    const time = entry.created ? Date.parse(entry.created) : Number.NaN;
    return {
      Id: entry.id ?? '',
      Created: Number.isFinite(time) ? Math.floor(time / 1000) : null,
      CreatedBy: entry.CreatedBy ?? '',
      Size: entry.size ?? 0,
      Comment: entry.comment ?? '',
    };
  });
}

/** `podman rmi` prints "Untagged: NAME" and "Deleted: ID" lines. */
export function parseRmiOutput(stdout: string): { untagged: string[]; deleted: string[] } {
  const result = { untagged: [] as string[], deleted: [] as string[] };
  for (const line of stdout.split('\n')) {
    const match = /^(Untagged|Deleted):\s*(\S+)/.exec(line.trim());
    if (!match) continue;
    if (match[1] === 'Untagged') result.untagged.push(match[2]!);
    else result.deleted.push(match[2]!);
  }
  return result;
}
