// DELETE /images/{name} and POST /images/prune answers -> RemoveResult / PruneResult.
// Docker lists under "Deleted" the image AND every layer that went with it (layer chain ids), in
// one flat list; Podman lists images only. Which entries are images is decided by id, against the
// image the request named (remove) or the dangling images listed just before (prune).
import type { PruneResult, RemoveResult } from '../../../shared/model';
import type { RawDeleteItem, RawPruneResponse } from './raw-types';

/** Docker writes "sha256:<hex>", Podman's compatible API and CLI often the bare hex. */
export function bareImageId(id: string): string {
  return id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
}

/** A full id names one image; a shorter prefix must be resolved by the engine first. */
export function isFullImageId(id: string): boolean {
  return /^[a-f0-9]{64}$/.test(bareImageId(id));
}

/** Splits "Deleted" ids into the images among `imageIds` (kept as the engine wrote them) and a count of the rest. */
export function splitDeleted(deletedIds: readonly string[], imageIds: readonly string[]): { deleted: string[]; layersDeleted: number } {
  const images = new Set(imageIds.map(bareImageId));
  const deleted = deletedIds.filter((id) => images.has(bareImageId(id)));
  return { deleted, layersDeleted: deletedIds.length - deleted.length };
}

function deletedIdsOf(items: RawDeleteItem[] | null | undefined): string[] {
  return (items ?? []).flatMap((item) => (item.Deleted ? [item.Deleted] : []));
}

/** `imageId` is the full id of the image the request named. */
export function mapRemoveResult(items: RawDeleteItem[] | null | undefined, imageId: string): RemoveResult {
  const untagged = (items ?? []).flatMap((item) => (item.Untagged ? [item.Untagged] : []));
  return { untagged, ...splitDeleted(deletedIdsOf(items), [imageId]) };
}

/** `danglingIds`: the dangling images listed just before the prune. */
export function mapPruneResult(response: RawPruneResponse | null | undefined, engineId: string, danglingIds: readonly string[]): PruneResult {
  return {
    engineId,
    ...splitDeleted(deletedIdsOf(response?.ImagesDeleted), danglingIds),
    reclaimedBytes: Math.max(0, response?.SpaceReclaimed ?? 0),
  };
}
