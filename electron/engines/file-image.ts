// Images that are files or folders rather than entries of an engine's store (SIF files, sandboxes,
// Charliecloud directory images), shared by the adapters that list them: one id rule and one
// summary shape, so the same path gets the same id whichever engine lists it.
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { ImageSummary } from '../../shared/model';

/** The image id of a file or folder image: sha256 of its absolute path, 64 hex. */
export function imageIdOf(path: string): string {
  return createHash('sha256').update(resolve(path)).digest('hex');
}

export interface FileImage {
  engineId: string;
  /** Absolute path of the file or folder. */
  path: string;
  format: string;
  sizeBytes: number;
  createdAt: string | null;
  labels: Record<string, string>;
  /** A name the engine gave it (Charliecloud's storage); the file or folder name otherwise. */
  reference?: { repository: string; tag: string | null; full: string } | null;
}

export function fileImageSummary(image: FileImage): ImageSummary {
  return {
    engineId: image.engineId,
    id: imageIdOf(image.path),
    repository: image.reference?.repository ?? basename(image.path),
    tag: image.reference?.tag ?? null,
    repoTags: image.reference ? [image.reference.full] : [],
    repoDigests: [],
    sizeBytes: image.sizeBytes,
    createdAt: image.createdAt,
    // Without a name it is still not dangling: a file or folder leaves nothing over to prune.
    dangling: false,
    containers: -1,
    labels: image.labels,
    location: image.path,
    format: image.format,
  };
}
