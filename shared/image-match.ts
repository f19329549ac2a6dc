// The same image in another engine's store: engines give one image different ids and spell its
// name differently ("docker.io/library/busybox:1.36", "busybox:1.36", "localhost/x:latest"), so
// the comparison view proposes a match that the user can change. Same id first, then same name.
import type { ImageSummary } from './model';

/** "docker.io/library/busybox" -> "busybox:latest"; registries Podman prefixes are dropped too. */
export function normalReference(reference: string): string {
  // A digest pins content the tag already names here; it is dropped so that both spellings match.
  const name = reference
    .replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io|localhost)\//, '')
    .replace(/^library\//, '')
    .split('@')[0]!;
  return name.split('/').pop()!.includes(':') ? name : `${name}:latest`;
}

const bareId = (id: string) => id.replace(/^sha256:/, '');

/** The row of `candidates` that is the same image as `source`, or null. */
export function matchImage(source: ImageSummary, candidates: readonly ImageSummary[]): ImageSummary | null {
  const byId = candidates.find((row) => bareId(row.id) === bareId(source.id));
  if (byId) return byId;
  const names = new Set(source.repoTags.map(normalReference));
  if (names.size === 0) return null;
  return candidates.find((row) => row.repoTags.some((tag) => names.has(normalReference(tag)))) ?? null;
}
