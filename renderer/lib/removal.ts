// The words of the delete and prune confirmations and results: exactly what will happen, named.
import type { PruneResult, RemoveResult } from '../../shared/model';
import { formatBytes, plural, shortImageId } from './format';
import type { ImageRow } from './image-rows';

export function describeRemoval(row: ImageRow): { title: string; sentence: string } {
  if (row.reference === null) {
    return {
      title: `Delete image ${row.shortId}?`,
      sentence: `Delete image ${row.shortId} from ${row.engineLabel}.`,
    };
  }
  const others = Math.max(0, row.namesOfImage - 1);
  return {
    title: `Untag ${row.reference}?`,
    sentence:
      others > 0
        ? `Untag ${row.reference} in ${row.engineLabel}. The image ${row.shortId} stays: it has ${plural(others, 'other tag')}.`
        : `Untag ${row.reference} in ${row.engineLabel}. It is the image's only tag, so image ${row.shortId} is deleted too.`,
  };
}

export function describeRemoveResult(engineLabel: string, result: RemoveResult): string {
  const parts: string[] = [];
  if (result.untagged.length > 0) parts.push(`untagged ${result.untagged.join(', ')}`);
  const deleted = describeDeleted(result.deleted, result.layersDeleted);
  if (deleted !== null) parts.push(deleted);
  return parts.length > 0 ? `${engineLabel}: ${parts.join('; ')}.` : `${engineLabel}: nothing was removed.`;
}

/** "deleted image a1b2c3d4e5f6 and 1 layer": layers are named apart, never counted as images. */
function describeDeleted(imageIds: readonly string[], layers: number): string | null {
  const images = imageIds.length === 0 ? null : `${imageIds.length === 1 ? 'image' : 'images'} ${imageIds.map(shortImageId).join(', ')}`;
  const layerWords = layers > 0 ? plural(layers, 'layer') : null;
  if (images === null && layerWords === null) return null;
  return `deleted ${[images, layerWords].filter((part) => part !== null).join(' and ')}`;
}

export function describePrune(engineLabel: string, danglingShown: number): string {
  return danglingShown === 0
    ? `The list shows no dangling images of ${engineLabel}; the engine may still find some it does not list.`
    : `Remove the ${plural(danglingShown, 'dangling image')} of ${engineLabel} that the list shows (untagged images no container uses).`;
}

export function describePruneResult(engineLabel: string, result: PruneResult): string {
  const layers = result.layersDeleted > 0 ? ` (${plural(result.layersDeleted, 'layer')})` : '';
  return `${engineLabel}: removed ${plural(result.deleted.length, 'dangling image')}${layers}, reclaimed ${formatBytes(result.reclaimedBytes)}.`;
}
