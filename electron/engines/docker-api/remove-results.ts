// DELETE /images/{name} and POST /images/prune answers -> RemoveResult / PruneResult.
import type { PruneResult, RemoveResult } from '../../../shared/model';
import type { RawDeleteItem, RawPruneResponse } from './raw-types';

export function mapRemoveResult(items: RawDeleteItem[] | null | undefined): RemoveResult {
  const result: RemoveResult = { untagged: [], deleted: [] };
  for (const item of items ?? []) {
    if (item.Untagged) result.untagged.push(item.Untagged);
    if (item.Deleted) result.deleted.push(item.Deleted);
  }
  return result;
}

export function mapPruneResult(response: RawPruneResponse | null | undefined, engineId: string): PruneResult {
  return {
    engineId,
    deleted: mapRemoveResult(response?.ImagesDeleted).deleted,
    reclaimedBytes: Math.max(0, response?.SpaceReclaimed ?? 0),
  };
}
