// The cells detection proved, looked up by (row, column): the matrix asks once per cell, and one
// cell may be proven by several connections (Podman rootless and rootful both say "daemonless").
import { seenHere, type SeenCell } from '../../../shared/feature-evidence';
import type { FeatureEngineId, FeatureRowId } from '../../../shared/features';
import type { EngineStatus } from '../../../shared/model';

export type SeenIndex = ReadonlyMap<string, readonly SeenCell[]>;

const key = (row: FeatureRowId, column: FeatureEngineId) => `${row}\u0000${column}`;

export function indexSeenCells(statuses: readonly EngineStatus[]): SeenIndex {
  const index = new Map<string, SeenCell[]>();
  for (const cell of seenHere(statuses)) {
    const list = index.get(key(cell.row, cell.column)) ?? [];
    // The same fact from one connection twice (two attributes saying it) is said once.
    if (!list.some((seen) => seen.engineId === cell.engineId && seen.why === cell.why)) list.push(cell);
    index.set(key(cell.row, cell.column), list);
  }
  return index;
}

export function seenCellsAt(index: SeenIndex, row: FeatureRowId, column: FeatureEngineId): readonly SeenCell[] {
  return index.get(key(row, column)) ?? [];
}
