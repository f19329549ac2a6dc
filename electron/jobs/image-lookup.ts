// Finds the image row a spec names in its engine's current list. File and folder images (SIF,
// sandboxes, directory images) are run by their location, so the runner needs the row itself.
import type { ImageSummary } from '../../shared/model';
import type { RunSpec } from '../../shared/run';

const bare = (id: string) => id.replace(/^sha256:/, '');

export function findImage(images: ImageSummary[], image: RunSpec['image']): ImageSummary | null {
  const wanted = bare(image.imageId);
  const sameImage = images.filter((row) => bare(row.id) === wanted || bare(row.id).startsWith(wanted));
  if (image.reference === null) return sameImage[0] ?? null;
  return sameImage.find((row) => row.repoTags.includes(image.reference ?? '')) ?? null;
}

/** How the job list names the image: its tag, the file's name, or a short id. */
export function imageLabelOf(spec: RunSpec, row: ImageSummary | null): string {
  if (spec.image.reference) return spec.image.reference;
  if (row?.location) return row.location.split('/').pop() || row.location;
  return bare(spec.image.imageId).slice(0, 12);
}
