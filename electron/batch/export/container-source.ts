// What a batch system is told to run: an image a registry serves by name, a SIF file, or an
// unpacked root file system (an Apptainer sandbox, a Charliecloud directory image). Decided from
// the image row's own format and location, never from which engine listed it.
import { ApiError } from '../../../shared/errors';
import type { ImageSummary } from '../../../shared/model';
import type { RunSpec } from '../../../shared/run';

export type ContainerSource =
  | {
      kind: 'registry';
      /** The name a registry serves it by ("busybox:1.36", "quay.io/x/y:2"). */
      reference: string;
      /** Whether the engine knows a registry copy (a repo digest); false for images built or loaded here. */
      fromRegistry: boolean;
    }
  | { kind: 'sif'; path: string }
  | { kind: 'folder'; path: string };

/** Formats whose location is an unpacked root file system a runtime can start from. */
const FOLDER_FORMATS = new Set(['sandbox', 'directory']);

export function containerSourceOf(spec: RunSpec, row: ImageSummary): ContainerSource {
  if (row.format === 'sif' && row.location) return { kind: 'sif', path: row.location };
  if (row.format !== undefined && FOLDER_FORMATS.has(row.format) && row.location) return { kind: 'folder', path: row.location };
  const reference = spec.image.reference ?? row.repoTags[0] ?? null;
  if (reference === null) {
    throw new ApiError(
      'invalid-request',
      `The image ${row.id.replace(/^sha256:/, '').slice(0, 12)} has no name: a batch system pulls an image by its name, so tag it (and push it to a registry the cluster reaches) first.`,
    );
  }
  return { kind: 'registry', reference, fromRegistry: row.repoDigests.length > 0 };
}

/** A note for registry images the cluster may not find. */
export function registryNote(source: Extract<ContainerSource, { kind: 'registry' }>): string | null {
  if (source.reference.startsWith('localhost/') || source.reference.startsWith('localhost:')) {
    return `${source.reference} names a registry on this machine ("localhost"): the cluster's machines cannot pull it from there; push it to a registry they reach and change the name.`;
  }
  if (!source.fromRegistry) {
    return `The engine knows no registry copy of ${source.reference} (no repo digest: built or loaded here?): the cluster pulls it by that name, so it must be in a registry the cluster reaches.`;
  }
  return null;
}
